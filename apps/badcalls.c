/* badcalls: every system call with bad arguments; each must return its
 * documented error (or destroy the caller where documented), and the
 * kernel must survive. */
#include <stdio.h>
#include <stdlib.h>

#include "libos.h"

static int checks, failures;

#define EXPECT(call, want)                                                                  \
	do {                                                                                \
		long got_ = (long)(call);                                                   \
		checks++;                                                                   \
		if (got_ != (long)(want)) {                                                 \
			failures++;                                                         \
			printf("FAIL line %d: %s = %ld, want %ld\n", __LINE__, #call, got_, \
			       (long)(want));                                               \
		}                                                                           \
	} while (0)

static const uintptr_t bad_addrs[] = {
	KERNEL_VMA, DIRECT_MAP, UVPT, UENVS, UTOP, 0xffffffffffffffffUL, 0x8000000000UL,
};

static long raw_syscall(long num)
{
	register long a0 asm("a0") = 0;
	register long a7 asm("a7") = num;
	asm volatile("ecall"
		     : "+r"(a0), "+r"(a7)
		     :
		     : "a1", "a2", "a3", "a4", "a5", "a6", "t0", "t1", "t2", "t3", "t4", "t5", "t6",
		       "memory");
	return a0;
}

static envid_t stale_id(void)
{
	envid_t child = sys_exofork();
	if (child == 0)
		for (;;) /* never runs: it is never made runnable */
			;
	sys_env_destroy(child, 0);
	sys_env_destroy(child, 0); /* reap */
	return child;
}

static void bad_env_ids(void)
{
	envid_t stale = stale_id();
	envid_t ids[] = {-1, 0x7fffffff, NENV + 5, stale, thisenv->env_parent_id + 1};
	for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		envid_t id = ids[i];
		EXPECT(sys_env_destroy(id, 0), -E_BAD_ENV);
		EXPECT(sys_env_set_status(id, ENV_RUNNABLE), -E_BAD_ENV);
		EXPECT(sys_env_set_trapframe(id, (void *)&thisenv), -E_BAD_ENV);
		EXPECT(sys_env_set_upcall(id, 0, 0, 0), -E_BAD_ENV);
		EXPECT(sys_page_alloc(id, UTEMP, PTE_R), -E_BAD_ENV);
		EXPECT(sys_page_map(0, UTEXT, id, UTEMP, PTE_R), -E_BAD_ENV);
		EXPECT(sys_page_map(id, UTEXT, 0, UTEMP, PTE_R), -E_BAD_ENV);
		EXPECT(sys_page_unmap(id, UTEMP), -E_BAD_ENV);
		EXPECT(sys_ipc_try_send(id, 1, UTOP, 0), -E_BAD_ENV);
		EXPECT(sys_ipc_call(id, 1, UTOP, 0, UTOP, (uint64_t[3]){0}), -E_BAD_ENV);
		EXPECT(sys_env_interrupt(id, 1), -E_BAD_ENV);
	}
}

/* A dead env is no target for a send, even one that died waiting in
 * ipc_recv (the send's hot path trusts the receiving flag, so destroy
 * must clear it); nor is the caller (0), which runs. */
static void dead_ipc_targets(void)
{
	uint64_t out[3];
	EXPECT(sys_ipc_try_send(0, 1, UTOP, 0), -E_IPC_NOT_RECV);
	EXPECT(sys_ipc_call(0, 1, UTOP, 0, UTOP, out), -E_IPC_NOT_RECV);
	envid_t child = dumbfork();
	if (child == 0)
		for (;;)
			sys_ipc_recv(UTOP, out);
	while (!envs[ENVX(child)].env_ipc_recving)
		sys_yield();
	EXPECT(sys_env_destroy(child, 0), 0); /* a zombie until reaped */
	EXPECT(envs[ENVX(child)].env_ipc_recving, 0);
	EXPECT(sys_ipc_try_send(child, 1, UTOP, 0), -E_BAD_ENV);
	EXPECT(sys_ipc_call(child, 1, UTOP, 0, UTOP, out), -E_BAD_ENV);
	EXPECT(sys_env_destroy(child, 0), 0); /* reaped: a free slot now */
	EXPECT(sys_ipc_try_send(child, 1, UTOP, 0), -E_BAD_ENV);
	EXPECT(sys_ipc_call(child, 1, UTOP, 0, UTOP, out), -E_BAD_ENV);
}

static void bad_addresses(void)
{
	for (unsigned i = 0; i < sizeof bad_addrs / sizeof bad_addrs[0]; i++) {
		uintptr_t va = bad_addrs[i];
		EXPECT(sys_cputs((const char *)va, 1), -E_FAULT);
		EXPECT(sys_env_set_trapframe(0, (void *)va), -E_FAULT);
		EXPECT(sys_page_alloc(0, va, PTE_R), -E_INVAL);
		EXPECT(sys_page_map(0, va, 0, UTEMP, PTE_R), -E_INVAL);
		EXPECT(sys_page_map(0, UTEXT, 0, va, PTE_R), -E_INVAL);
		EXPECT(sys_page_unmap(0, va), -E_INVAL);
	}
	/* unmapped, unaligned, wrapping */
	EXPECT(sys_cputs((const char *)0x10000000, 1), -E_FAULT);
	EXPECT(sys_cputs((const char *)UTEXT, 0xffffffffffffffffUL), -E_FAULT);
	EXPECT(sys_cputs((const char *)UTEXT, UTOP), -E_FAULT);
	EXPECT(sys_env_set_trapframe(0, (void *)0x10000000), -E_FAULT);
	EXPECT(sys_page_alloc(0, UTEMP + 1, PTE_R), -E_INVAL);
	EXPECT(sys_page_map(0, UTEXT + 8, 0, UTEMP, PTE_R), -E_INVAL);
	EXPECT(sys_page_map(0, UTEXT, 0, UTEMP + 8, PTE_R), -E_INVAL);
	EXPECT(sys_page_map(0, 0x10000000, 0, UTEMP, PTE_R), -E_NOT_MAPPED);
	EXPECT(sys_page_unmap(0, UTEMP + 4), -E_INVAL);
	EXPECT(sys_page_unmap(0, 0x10000000), 0); /* nothing there: fine */
	EXPECT(sys_ipc_recv(0x1001, (uint64_t[3]){0}), -E_INVAL);
	EXPECT(sys_ipc_try_send(thisenv->env_id, 0, 0x1001, PTE_R), -E_IPC_NOT_RECV);
}

static void bad_permissions(void)
{
	uint64_t bad[] = {0,
			  PTE_W,
			  PTE_W | PTE_X,
			  PTE_G | PTE_R,
			  PTE_A | PTE_R,
			  PTE_D | PTE_R,
			  PTE_R | (1UL << 10),
			  PTE_R | (1UL << 63),
			  PTE_U};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		EXPECT(sys_page_alloc(0, UTEMP, bad[i]), -E_INVAL);
		EXPECT(sys_page_map(0, UTEXT, 0, UTEMP, bad[i]), -E_INVAL);
	}
	/* no write access the source lacks when others may see the page:
	 * text mapped twice, and the boot archive */
	EXPECT(sys_page_map(0, UTEXT, 0, UTEMP, PTE_R), 0);
	EXPECT(sys_page_map(0, UTEXT, 0, UTEMP + PGSIZE, PTE_R | PTE_W), -E_INVAL);
	EXPECT(sys_page_unmap(0, UTEMP), 0);
	/* ... but the only mapping of a page may take write access */
	EXPECT(sys_page_alloc(0, UTEMP, PTE_R), 0);
	EXPECT(sys_page_map(0, UTEMP, 0, UTEMP, PTE_R | PTE_W), 0);
	EXPECT(va_pte(UTEMP) & PTE_W, PTE_W);
	EXPECT(sys_page_unmap(0, UTEMP), 0);
	EXPECT(sys_page_map(0, UINITRD, 0, UTEMP, PTE_R | PTE_W), -E_INVAL);
	EXPECT(sys_page_map(0, UINITRD, 0, UTEMP, PTE_R), 0);
	EXPECT(sys_page_map(0, UINITRD + sysinfo->initrd_size + PGSIZE, 0, UTEMP, PTE_R), -E_INVAL);
	EXPECT(sys_page_unmap(0, UTEMP), 0);
	/* the kernel's reference counts, read through UPAGES */
	EXPECT(sys_page_alloc(0, UTEMP, PTE_R | PTE_W), 0);
	EXPECT(pageref(UTEMP), 1);
	EXPECT(sys_page_map(0, UTEMP, 0, UTEMP + PGSIZE, PTE_R), 0);
	EXPECT(pageref(UTEMP), 2);
	/* the same page again, in place: a new perm, the same count */
	EXPECT(sys_page_map(0, UTEMP, 0, UTEMP, PTE_R), 0);
	EXPECT(va_pte(UTEMP) & PTE_W, 0);
	EXPECT(pageref(UTEMP), 2);
	EXPECT(sys_page_map(0, UTEMP + PGSIZE, 0, UTEMP + PGSIZE, PTE_R), 0);
	EXPECT(pageref(UTEMP), 2);
	/* another page over it: the old page loses one, the new gains one */
	EXPECT(sys_page_alloc(0, UTEMP + 2 * PGSIZE, PTE_R | PTE_W), 0);
	EXPECT(sys_page_map(0, UTEMP + 2 * PGSIZE, 0, UTEMP + PGSIZE, PTE_R), 0);
	EXPECT(pageref(UTEMP), 1);
	EXPECT(pageref(UTEMP + 2 * PGSIZE), 2);
	EXPECT(sys_page_unmap(0, UTEMP + 2 * PGSIZE), 0);
	EXPECT(sys_page_unmap(0, UTEMP + PGSIZE), 0);
	EXPECT(pageref(UTEMP), 1);
	EXPECT(sys_page_unmap(0, UTEMP), 0);
	EXPECT(pageref(UTEMP), 0);
	/* a read-only mapping really is read-only: the PTE says so */
	EXPECT(sys_page_alloc(0, UTEMP, PTE_R), 0);
	EXPECT(va_pte(UTEMP) & (PTE_W | PTE_U | PTE_V), PTE_U | PTE_V);
	EXPECT(sys_page_unmap(0, UTEMP), 0);
	EXPECT(va_pte(UTEMP), 0);
}

static void bad_other_arguments(void)
{
	EXPECT(sys_env_set_status(0, 7), -E_INVAL);
	EXPECT(sys_env_set_status(0, ENV_ZOMBIE), -E_INVAL);
	EXPECT(sys_env_set_upcall(0, UTOP, UXSTACKTOP - PGSIZE, UXSTACKTOP), -E_INVAL);
	EXPECT(sys_env_set_upcall(0, UTEXT, UXSTACKTOP, UXSTACKTOP + PGSIZE), -E_INVAL);
	EXPECT(sys_env_set_upcall(0, UTEXT, UXSTACKTOP - 64, UXSTACKTOP), -E_INVAL);
	EXPECT(sys_env_set_upcall(0, UTEXT, UXSTACKTOP - PGSIZE, UXSTACKTOP - 4), -E_INVAL);
	struct trapframe tf = {.pc = KERNEL_VMA};
	EXPECT(sys_env_set_trapframe(0, &tf), -E_INVAL);
	envid_t child = sys_exofork();
	if (child == 0)
		for (;;) /* never runs */
			;
	EXPECT(sys_env_interrupt(child, 1), -E_INVAL); /* it has no upcall */
	EXPECT(sys_env_destroy(child, 0), 0);
	EXPECT(sys_env_destroy(child, 0), 0);
	EXPECT(raw_syscall(0), -E_NOSYS);
	EXPECT(raw_syscall(999), -E_NOSYS);
	EXPECT(raw_syscall(-1), -E_NOSYS);
}

/* page_map_range: bad arguments change nothing; pages spread over many
 * groups and chunks all arrive; MAP_RANGE_COPY gives a private copy. */
#define RANGE_SRC 0x30000000UL
#define RANGE_DST 0x50000000UL
static void map_ranges(void)
{
	EXPECT(sys_page_map_range(0, RANGE_SRC + 8, RANGE_SRC + PGSIZE, RANGE_DST, 0), -E_INVAL);
	EXPECT(sys_page_map_range(0, RANGE_SRC, RANGE_SRC, RANGE_DST, 0), -E_INVAL);
	EXPECT(sys_page_map_range(0, RANGE_SRC, UTOP + PGSIZE, RANGE_DST, 0), -E_INVAL);
	EXPECT(sys_page_map_range(0, RANGE_SRC, RANGE_SRC + 2 * PGSIZE, RANGE_SRC + PGSIZE, 0),
	       -E_INVAL);
	EXPECT(sys_page_map_range(0, RANGE_SRC, RANGE_SRC + PGSIZE, RANGE_DST, 8), -E_INVAL);
	EXPECT(sys_page_map_range(0, RANGE_SRC, RANGE_SRC + PGSIZE, RANGE_DST,
				  MAP_RANGE_COPY | MAP_RANGE_COW),
	       -E_INVAL);
	EXPECT(sys_page_map_range(0, RANGE_SRC, RANGE_SRC + PGSIZE, UTOP - PGSIZE / 2, 0),
	       -E_INVAL);

	/* Pages in different groups of 8 entries, in two 2 MiB chunks. */
	static const uintptr_t offs[] = {0, 9 * PGSIZE, 100 * PGSIZE, MEGASIZE + 7 * PGSIZE};
	const int n = sizeof offs / sizeof offs[0];
	for (int i = 0; i < n; i++) {
		EXPECT(sys_page_alloc(0, RANGE_SRC + offs[i], PTE_R | PTE_W), 0);
		*(volatile uint64_t *)(RANGE_SRC + offs[i]) = 0x5eed0000 + i;
	}
	uintptr_t hi = RANGE_SRC + 2 * MEGASIZE;
	EXPECT(sys_page_map_range(0, RANGE_SRC, hi, RANGE_DST, MAP_RANGE_COPY), 0);
	int found = 0;
	for (uintptr_t off = 0; off < 2 * MEGASIZE; off += PGSIZE)
		found += (va_pte(RANGE_DST + off) & PTE_V) != 0;
	EXPECT(found, n);
	for (int i = 0; i < n; i++) {
		volatile uint64_t *copy = (uint64_t *)(RANGE_DST + offs[i]);
		EXPECT(*copy, 0x5eed0000 + i);
		*copy = 1; /* private and writable */
		EXPECT(*(volatile uint64_t *)(RANGE_SRC + offs[i]), 0x5eed0000 + i);
		EXPECT(pageref(RANGE_DST + offs[i]), 1);
	}
	/* A partial unmap leaves the rest. */
	EXPECT(sys_page_unmap_range(0, RANGE_DST, RANGE_DST + 10 * PGSIZE), 0);
	EXPECT(va_pte(RANGE_DST) & PTE_V, 0);
	EXPECT(va_pte(RANGE_DST + 9 * PGSIZE) & PTE_V, 0);
	EXPECT(*(volatile uint64_t *)(RANGE_DST + 100 * PGSIZE), 1);
	EXPECT(sys_page_unmap_range(0, RANGE_DST, RANGE_DST + 2 * MEGASIZE), 0);
	EXPECT(sys_page_unmap_range(0, RANGE_SRC, hi), 0);
	EXPECT(va_pte(RANGE_DST + MEGASIZE + 7 * PGSIZE), 0);
}

/* A child may not act on its parent: only on itself and descendants. */
static void not_my_env(void)
{
	envid_t parent = thisenv->env_id;
	envid_t child = dumbfork();
	if (child == 0) {
		int bad = 0;
		bad += sys_env_destroy(parent, 0) != -E_BAD_ENV;
		bad += sys_page_alloc(parent, UTEMP, PTE_R) != -E_BAD_ENV;
		bad += sys_env_set_status(parent, ENV_NOT_RUNNABLE) != -E_BAD_ENV;
		bad += sys_page_map(parent, UTEXT, 0, UTEMP, PTE_R) != -E_BAD_ENV;
		bad += sys_env_interrupt(parent, 1) != -E_BAD_ENV;
		exit(bad);
	}
	int code = -1;
	EXPECT(wait_env(child, &code), EXIT_SELF);
	EXPECT(code, 0);
}

static void fault_handler(struct upcall_frame *uf)
{
	(void)uf;
	*(volatile int *)0 = 1; /* fault again, on the exception stack */
}

/* A child whose exception stack is unusable is destroyed with a message. */
static void bad_exception_stacks(void)
{
	for (int how = 0; how < 3; how++) {
		envid_t child = dumbfork();
		if (child == 0) {
			if (how == 0) /* the stack is not mapped */
				sys_env_set_upcall(0, UTEXT, 0x20000000, 0x20001000);
			else if (how == 1) { /* mapped read-only */
				sys_page_alloc(0, 0x20000000, PTE_R);
				sys_env_set_upcall(0, UTEXT, 0x20000000, 0x20001000);
			} else /* the handler faults until the stack overflows */
				set_pgfault_handler(fault_handler);
			*(volatile int *)0 = 1;
			exit(0);
		}
		int code = -1;
		EXPECT(wait_env(child, &code), EXIT_FAULT);
		EXPECT(code, CAUSE_STORE_PAGE_FAULT);
	}
}

/* The kernel's fast upcall keeps the checked frame slot at the top of the
 * exception stack: any change to that page's mapping must drop it. */
static int breaks;
static void count_break(struct upcall_frame *uf)
{
	breaks++;
	uf->tf.pc += 4;
}

static void ebreak4(void)
{
	asm volatile(".option push\n.option norvc\nebreak\n.option pop" ::: "memory");
}

static void fast_upcall_cache(void)
{
	uintptr_t top = UXSTACKTOP - PGSIZE;
	uintptr_t frame_off = (UXSTACKTOP - sizeof(struct upcall_frame)) % PGSIZE & ~15UL;
	set_exception_handler(CAUSE_BREAKPOINT, count_break);
	ebreak4();
	ebreak4(); /* by the fast path */
	/* A fresh page replaces the top one (kept at UTEMP): the next frame
	 * must go to the new page, not the old one. */
	EXPECT(sys_page_map(0, top, 0, UTEMP, PTE_R | PTE_W), 0);
	*(volatile uint64_t *)(UTEMP + frame_off) = 0xcafe;
	EXPECT(sys_page_alloc(0, top, PTE_R | PTE_W), 0);
	ebreak4();
	ebreak4();
	EXPECT(breaks, 4);
	EXPECT(*(volatile uint64_t *)(UTEMP + frame_off), 0xcafe);
	EXPECT(sys_page_unmap(0, UTEMP), 0);
	/* Unmapped, or read-only, after a fast delivery: the env dies. */
	for (int how = 0; how < 2; how++) {
		envid_t child = dumbfork();
		if (child == 0) {
			set_exception_handler(CAUSE_BREAKPOINT, count_break);
			ebreak4();
			ebreak4();
			if (how == 0)
				sys_page_unmap(0, top);
			else
				sys_page_map(0, top, 0, top, PTE_R);
			ebreak4();
			exit(0);
		}
		int code = -1;
		EXPECT(wait_env(child, &code), EXIT_FAULT);
		EXPECT(code, CAUSE_BREAKPOINT);
	}
}

int main(void)
{
	bad_env_ids();
	dead_ipc_targets();
	bad_addresses();
	bad_permissions();
	bad_other_arguments();
	map_ranges();
	not_my_env();
	bad_exception_stacks();
	fast_upcall_cache();
	printf("badcalls: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}
