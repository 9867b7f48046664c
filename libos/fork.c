/* fork and sfork, copy-on-write, in the library OS: the kernel only
 * provides exofork and page mappings. */
#include <errno.h>
#include <picolibc.h>
#include <picotls.h>
#include <unistd.h>

#include "process.h"
#include "thread.h"

int exceptions_init_child(envid_t child); /* exception.c */

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

/* Gives the child its own copy of the page at va now (the page holding
 * the stack pointer: both sides write it at once, so sharing it
 * copy-on-write would only cost each a fault). */
static int copy_page_to(envid_t child, uintptr_t va)
{
	return sys_page_map_range(child, va, va + PGSIZE, va, MAP_RANGE_COPY);
}

/* sfork: everything from the program up to the stack is shared as is,
 * but the thread stacks (the caller may run on one): copy-on-write. */
static int share_all_but_stacks(envid_t child)
{
	int r = sys_page_map_range(child, UTEXT, UTHREADS, UTEXT, 0);
	if (r == 0)
		r = sys_page_map_range(child, UTHREADS, UTHREADS_END, UTHREADS, MAP_RANGE_COW);
	if (r == 0)
		r = sys_page_map_range(child, UTHREADS_END, USTACK_LIMIT, UTHREADS_END, 0);
	return r;
}

/* Maps the parent's memory into the child, in one kernel crossing per
 * range: everything below the per-env page except the scratch pages.
 * fork: writable pages become copy-on-write in both (PTE_SHARE pages stay
 * shared). sfork: everything is shared as is, but the stacks. The page
 * holding sp is copied, not shared. */
static int share_memory(envid_t child, bool share)
{
	uintptr_t sp = ROUNDDOWN((uintptr_t)__builtin_frame_address(0), PGSIZE);
	bool sp_in_stack = sp >= USTACK_LIMIT && sp < USTACKTOP;
	int r = sys_page_map_range(child, PGSIZE, UEXEC, PGSIZE, MAP_RANGE_COW);
	if (r == 0 && share)
		r = share_all_but_stacks(child);
	uintptr_t cow_lo = share ? USTACK_LIMIT : UTEXT;
	uintptr_t cow_hi = sp_in_stack ? sp : UPERENV;
	if (r == 0)
		r = sys_page_map_range(child, cow_lo, cow_hi, cow_lo, MAP_RANGE_COW);
	if (r == 0 && sp_in_stack)
		r = copy_page_to(child, sp);
	if (r == 0 && sp_in_stack && sp + PGSIZE < UPERENV)
		r = sys_page_map_range(child, sp + PGSIZE, UPERENV, sp + PGSIZE, MAP_RANGE_COW);
	return r;
}

/* The child's per-env page: a copy of ours, naming the child. */
static int perenv_for_child(envid_t child)
{
	int r = sys_page_alloc(0, FORKTEMP, PTE_R | PTE_W);
	if (r < 0)
		return r;
	struct perenv *copy = (struct perenv *)FORKTEMP;
	memcpy(copy, PERENV, sizeof *copy + _tls_size()); /* the rest is unused */
	copy->env = &envs[ENVX(child)];
	copy->cow_copies = 0;
	r = sys_page_map(0, FORKTEMP, child, UPERENV, PTE_R | PTE_W);
	sys_page_unmap(0, FORKTEMP);
	return r;
}

/* Maps everything into child and starts it; destroys it on failure. */
static int fork_build(envid_t child, bool share)
{
	int r = share_memory(child, share);
	if (r == 0)
		r = perenv_for_child(child);
	if (r == 0)
		r = exceptions_init_child(child);
	if (r == 0)
		r = sys_env_set_status(child, ENV_RUNNABLE);
	if (r < 0) {
		discard_child(child);
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
