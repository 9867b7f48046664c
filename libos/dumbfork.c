/* dumbfork: fork by copying every page eagerly (the simple way, before
 * copy-on-write). */
#include "libos.h"

/* Gives child a private copy of the page at va, with the same perm. */
static int copy_page(envid_t child, uintptr_t va, pte_t pte)
{
	int r = sys_page_alloc(0, UTEMP, PTE_R | PTE_W);
	if (r < 0)
		return r;
	memcpy((void *)UTEMP, (void *)va, PGSIZE);
	r = sys_page_map(0, UTEMP, child, va, pte & (PTE_R | PTE_W | PTE_X));
	sys_page_unmap(0, UTEMP);
	return r;
}

envid_t dumbfork(void)
{
	envid_t child = sys_exofork();
	if (child < 0)
		return child;
	if (child == 0) {
		thisenv = &envs[ENVX(sys_getenvid())];
		return 0;
	}
	/* Every mapped page below the exception stack, found with the
	 * page-table views: whole empty regions are skipped a level up. */
	for (uintptr_t va = 0; va < UXSTACKTOP - PGSIZE;) {
		if (!(uvpgd[va >> 30] & PTE_V)) {
			va = ROUNDDOWN(va, GIGASIZE) + GIGASIZE;
			continue;
		}
		if (!(uvpmd[va >> 21] & PTE_V)) {
			va = ROUNDDOWN(va, MEGASIZE) + MEGASIZE;
			continue;
		}
		pte_t pte = uvpt[va >> 12];
		int r = (pte & PTE_V) && va != UTEMP ? copy_page(child, va, pte) : 0;
		if (r < 0) {
			sys_env_destroy(child, 0);
			sys_env_destroy(child, 0); /* reap the zombie */
			return r;
		}
		va += PGSIZE;
	}
	int r = sys_env_set_status(child, ENV_RUNNABLE);
	return r < 0 ? r : child;
}
