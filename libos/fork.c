/* fork and sfork, copy-on-write, in the library OS: the kernel only
 * provides exofork and page mappings. */
#include <errno.h>
#include <unistd.h>

#include "process.h"
#include "thread.h"

int exceptions_init_child(envid_t child); /* exception.c */

#define PERM_BITS (PTE_R | PTE_W | PTE_X | PTE_COW | PTE_SHARE)

/* Resolves a write to a copy-on-write page: takes the page over if this
 * is its only mapping (the kernel allows W then), else copies it. */
bool cow_fault(uintptr_t va)
{
	va = ROUNDDOWN(va, PGSIZE);
	pte_t pte = va_pte(va);
	if (!(pte & PTE_V) || !(pte & PTE_COW))
		return false;
	uint64_t perm = (pte & (PTE_R | PTE_X | PTE_SHARE)) | PTE_R | PTE_W;
	if (sys_page_map(0, va, 0, va, perm) == 0)
		return true;
	if (sys_page_alloc(0, PFTEMP, PTE_R | PTE_W) < 0)
		return false; /* out of memory: the write faults for good */
	memcpy((void *)PFTEMP, (void *)va, PGSIZE);
	int r = sys_page_map(0, PFTEMP, 0, va, perm);
	sys_page_unmap(0, PFTEMP);
	if (r == 0)
		PERENV->cow_copies++;
	return r == 0;
}

uint64_t cow_copy_count(void)
{
	return PERENV->cow_copies;
}

/* Gives child the page at va: shared as is (PTE_SHARE, or any non-stack
 * page for sfork), read-only pages shared, writable ones copy-on-write in
 * both (the child first, so the parent's page never looks private while
 * the child still maps it writable). */
static int dup_page(envid_t child, uintptr_t va, pte_t pte, bool share)
{
	uint64_t perm = pte & PERM_BITS;
	bool in_stack = (va >= USTACK_LIMIT && va < USTACKTOP) || thread_slot_page(va);
	if ((perm & PTE_SHARE) || (share && !in_stack && !(perm & PTE_COW)))
		return sys_page_map(0, va, child, va, perm);
	if (!(perm & (PTE_W | PTE_COW)))
		return sys_page_map(0, va, child, va, perm);
	uint64_t cow = (perm & ~(uint64_t)PTE_W) | PTE_COW;
	int r = sys_page_map(0, va, child, va, cow);
	if (r == 0 && (perm & PTE_W))
		r = sys_page_map(0, va, 0, va, cow);
	return r;
}

/* Scratch and private pages fork does not pass on. */
static bool private_page(uintptr_t va)
{
	return (va >= UEXEC && va < UTEXT) || va >= UPERENV;
}

/* The child's per-env page: a copy of ours, naming the child. */
static int perenv_for_child(envid_t child)
{
	int r = sys_page_alloc(0, FORKTEMP, PTE_R | PTE_W);
	if (r < 0)
		return r;
	struct perenv *copy = (struct perenv *)FORKTEMP;
	memcpy(copy, PERENV, PGSIZE);
	copy->env = &envs[ENVX(child)];
	copy->cow_copies = 0;
	r = sys_page_map(0, FORKTEMP, child, UPERENV, PTE_R | PTE_W);
	sys_page_unmap(0, FORKTEMP);
	return r;
}

struct dup_args {
	envid_t child;
	bool share;
};

static int dup_one(uintptr_t va, pte_t pte, void *arg)
{
	struct dup_args *a = arg;
	return private_page(va) ? 0 : dup_page(a->child, va, pte, a->share);
}

/* Maps everything into child and starts it; destroys it on failure. */
static int fork_build(envid_t child, bool share)
{
	struct dup_args args = {child, share};
	int r = foreach_mapped_page(0, UTOP, dup_one, &args);
	if (r == 0)
		r = perenv_for_child(child);
	if (r == 0)
		r = exceptions_init_child(child);
	if (r == 0)
		r = sys_env_set_status(child, ENV_RUNNABLE);
	if (r < 0) {
		sys_env_destroy(child, 0);
		sys_env_destroy(child, 0); /* reap the zombie */
	}
	return r;
}

/* The process's threads stand still while it is copied; the child has
 * only the calling thread (sfork's child shares the thread library's
 * memory with the parent, so it must not use threads). */
static pid_t fork_common(bool share)
{
	thread_fork_prepare();
	envid_t child = sys_exofork();
	if (child == 0) {
		if (!share)
			thread_fork_child();
		return 0; /* our per-env page, made by the parent, names us */
	}
	int r = child < 0 ? child : fork_build(child, share);
	thread_fork_parent();
	if (r == 0)
		return child;
	errno = r == -E_NO_FREE_ENV ? EAGAIN : ENOMEM;
	return -1;
}

pid_t fork(void)
{
	return fork_common(false);
}

pid_t sfork(void)
{
	return fork_common(true);
}
