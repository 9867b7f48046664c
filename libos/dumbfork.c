/* dumbfork: fork by copying every page eagerly (the simple way, before
 * copy-on-write). */
#include "libos.h"

/* Gives the child (*arg) a private copy of the page at va, same perm. */
static int copy_page(uintptr_t va, pte_t pte, void *arg)
{
	envid_t child = *(envid_t *)arg;
	if (va == UTEMP)
		return 0;
	if (pte & PTE_SHARE) /* descriptors, pipes: shared, as fork does */
		return sys_page_map(0, va, child, va, pte & (PTE_R | PTE_W | PTE_X | PTE_SHARE));
	int r = sys_page_alloc(0, UTEMP, PTE_R | PTE_W);
	if (r < 0)
		return r;
	memcpy((void *)UTEMP, (void *)va, PGSIZE);
	r = sys_page_map(0, UTEMP, child, va, pte & (PTE_R | PTE_W | PTE_X));
	sys_page_unmap(0, UTEMP);
	return r;
}

int exceptions_init_child(envid_t child); /* exception.c */

envid_t dumbfork(void)
{
	envid_t child = sys_exofork();
	if (child < 0)
		return child;
	if (child == 0) {
		thisenv = &envs[ENVX(sys_getenvid())];
		return 0;
	}
	/* Every page below the exception stack, the per-env page included. */
	int r = foreach_mapped_page(0, UXSTACK_LO, copy_page, &child);
	if (r == 0)
		r = exceptions_init_child(child);
	if (r == 0)
		r = sys_env_set_status(child, ENV_RUNNABLE);
	if (r == 0)
		return child;
	discard_child(child);
	return r;
}
