/* Boot-time self-tests of the kernel's memory protection, for CI:
 * selftest=kstack overflows the kernel stack on purpose (the guard page
 * must trap and the kernel panic with "kernel stack overflow");
 * selftest=wx checks W^X over the kernel's whole map and probes it. */
#include "kernel.h"

uint64_t selftest_probe(uint64_t kind, void *p); /* selftest.S */

#define PROBE_STORE 0
#define PROBE_CALL 1

static volatile uint64_t recursion_limit = ~0ULL; /* no limit: only a base case */
static uint32_t ret_insn = 0x00008067;		  /* ret, in .data: must not run */

/* 256 bytes and a return address a level, until the guard page traps. */
static __attribute__((noinline)) uint64_t recurse(uint64_t depth)
{
	volatile uint64_t frame[32];
	frame[0] = depth;
	if (depth >= recursion_limit)
		return depth;
	return recurse(depth + 1) + frame[0];
}

static void selftest_kstack(void)
{
	kprintf("selftest: kstack: recursing until the guard page at %p traps\n",
		(void *)boot_stack_guard);
	uint64_t r = recurse(0);
	panic("selftest: kstack: the recursion returned (%lu) without a trap", r);
}

struct audit {
	uint64_t leaves, bad;
};

/* Checks every leaf under table (covering from va at level): none may
 * map kernel text or rodata writable, nor anything but text executable. */
static void audit(const pte_t *table, int level, uint64_t va, struct audit *a)
{
	uint64_t span = PGSIZE << (9 * level);
	uint64_t text_hi = kpa(_etext), ro_hi = kpa(_erodata);
	for (int i = 0; i < PT_ENTRIES; i++, va += span) {
		pte_t pte = table[i];
		if (!(pte & PTE_V))
			continue;
		if (!(pte & (PTE_R | PTE_W | PTE_X))) {
			audit(table_of(pte), level - 1, va, a);
			continue;
		}
		uint64_t pa = PTE_PA(pte);
		bool ro = pa < ro_hi && pa + span > kernel_load_pa;
		bool text = pa >= kernel_load_pa && pa + span <= text_hi;
		a->leaves++;
		if (((pte & PTE_W) && ro) || ((pte & PTE_X) && !text)) {
			a->bad++;
			kprintf("selftest: va %lx maps pa %lx with perm %lx\n",
				(uint64_t)((int64_t)(va << 25) >> 25), pa, PTE_FLAGS(pte));
		}
	}
}

static void probe(const char *what, uint64_t kind, void *p)
{
	uint64_t cause = selftest_probe(kind, p);
	if (cause)
		kprintf("selftest: %s faulted (cause %lu)\n", what, cause);
	else
		kprintf("selftest: %s went through\n", what);
}

static void *direct_alias(const void *p)
{
	return kva(kpa(p));
}

static void selftest_wx(void)
{
	struct audit a = {0, 0};
	audit(kernel_root, 2, 0, &a);
	kprintf("selftest: kernel page table: %lu leaves, %lu break W^X\n", a.leaves, a.bad);
	probe("write to kernel text", PROBE_STORE, _start);
	probe("write to kernel text through the direct map", PROBE_STORE, direct_alias(_start));
	probe("write to kernel rodata", PROBE_STORE, (void *)syscall_fast_table);
	probe("write to kernel rodata through the direct map", PROBE_STORE,
	      direct_alias(syscall_fast_table));
	probe("fetch from kernel data", PROBE_CALL, &ret_insn);
	probe("fetch from kernel data through the direct map", PROBE_CALL, direct_alias(&ret_insn));
	probe("write to kernel data", PROBE_STORE, &ret_insn); /* the probe's control */
}

/* selftest=NAME in bootargs; called once the trap vector is set. */
void selftest_run(void)
{
	size_t len;
	const char *v = bootarg("selftest", &len);
	if (!v)
		return;
	if (len == 6 && !strncmp(v, "kstack", 6))
		selftest_kstack();
	else if (len == 2 && !strncmp(v, "wx", 2))
		selftest_wx();
	else
		kprintf("selftest: unknown test (kstack, wx)\n");
}
