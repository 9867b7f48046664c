/* Kernel-private declarations shared by the kernel's files. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H
#ifndef EXOV_KERNEL
#error "kernel/kernel.h is kernel-private: user code must use only include/exov/"
#endif

#include <exov/env.h>
#include <exov/memlayout.h>

/* struct upcall_fast, struct env's second field, for trap.S. */
#define ENV_FAST TF_SIZE
#define FAST_BASE (ENV_FAST + 0)
#define FAST_SPAN (ENV_FAST + 8)
#define FAST_ENTRY (ENV_FAST + 16)
#define FAST_FRAME_VA (ENV_FAST + 24)
#define FAST_FRAME (ENV_FAST + 32)

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <exov/error.h>
#include <exov/mmu.h>

#define noreturn __attribute__((noreturn))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* string.c: the freestanding basics the compiler may call. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

/* sbi.c: the board's firmware interface (console, timer, power). */
void sbi_console_putchar(int c);
int sbi_console_getchar(void);
void sbi_set_timer(uint64_t when);
noreturn void sbi_shutdown(void);
void sbi_probe(void);

/* printf.c: console output. */
void kputs(const char *s);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void panic_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)
#define assert(x)                                          \
	do {                                               \
		if (!(x))                                  \
			panic("assertion failed: %s", #x); \
	} while (0)
void backtrace(uint64_t sp);
noreturn void kstack_overflow(uint64_t sp); /* trap.S, on the emergency stack */

/* parse.h: the device tree, boot archive and ELF readers; main.c keeps
 * what the device tree told. */
#include "parse.h"
extern struct bootinfo boot;

/* boot.c / entry.S / linker script: where the kernel image lives; its
 * parts are page aligned (text R-X, rodata R--, then data and bss RW-). */
extern uint64_t kernel_load_pa;
extern pte_t kernel_root[PT_ENTRIES];
extern char _start[], _etext[], _erodata[], _end[];
extern char boot_stack_guard[], boot_stack[], boot_stack_top[]; /* the guard is unmapped */

/* Physical <-> kernel virtual (direct map or kernel image). */
static inline void *kva(uint64_t pa)
{
	return (void *)(pa + DIRECT_MAP);
}
static inline uint64_t kpa(const void *p)
{
	uint64_t va = (uint64_t)p;
	if (va >= KERNEL_VMA)
		return va - KERNEL_VMA + kernel_load_pa;
	assert(va >= DIRECT_MAP && va < DIRECT_MAP + DIRECT_MAP_SIZE);
	return va - DIRECT_MAP;
}

/* page.c: physical pages with reference counts. struct page is the
 * user-visible struct upage: ref = mappings + kernel uses (0 = free, and
 * then the page's first word links the free list); reserved = never
 * freed (firmware, kernel, device tree, initrd, this array). */
#define page upage
void page_init(void);
struct page *page_alloc(void);		  /* zeroed, ref = 0; NULL when out of memory */
struct page *page_take(void);		  /* the same, not zeroed: the caller fills it all */
void page_free_last_ref(struct page *pg); /* page_decref's out-of-line end */
extern struct page *pages;		  /* mapped read-only for users at UPAGES */
extern uint64_t ram_base, ram_end;

/* Inline: every mapping change counts, and most keep the page. */
static inline void page_incref(struct page *pg)
{
	pg->ref++;
}

static inline void page_decref(struct page *pg)
{
	assert(pg->ref > 0);
	if (--pg->ref == 0)
		page_free_last_ref(pg);
}
static inline struct page *pa_to_page(uint64_t pa)
{
	assert(pa >= ram_base && pa < ram_end);
	return &pages[(pa - ram_base) >> PGSHIFT];
}
static inline uint64_t page_to_pa(struct page *pg)
{
	return ram_base + ((uint64_t)(pg - pages) << PGSHIFT);
}
static inline void *page_kva(struct page *pg)
{
	return kva(page_to_pa(pg));
}
extern struct sysinfo *sysinfo;

/* vm.c: Sv39 address spaces. */
struct env;
void vm_init(void);
int vm_create(struct env *e);
void vm_destroy(struct env *e);
pte_t *vm_lookup(struct env *e, uint64_t va);
/* Every user leaf: V, U, and A/D preset (cores such as the U54 do not set
 * A and D in hardware; a missing bit would fault). */
#define USER_LEAF(perm) \
	(((perm) & (PTE_R | PTE_W | PTE_X | PTE_COW | PTE_SHARE)) | PTE_V | PTE_U | PTE_A | PTE_D)
/* The table a valid non-leaf PTE points to. */
static inline pte_t *table_of(pte_t pte)
{
	return kva(PTE_PA(pte));
}
/* The leaf slot for va in the tables under root, or NULL when a table on
 * the way is missing. Inline: IPC's page path walks without a frame. */
static inline pte_t *pt_leaf_slot(pte_t *root, uint64_t va)
{
	pte_t *table = root;
	for (int level = 2; level > 0; level--) {
		pte_t pte = table[PT_INDEX(va, level)];
		if (!(pte & PTE_V))
			return NULL;
		table = table_of(pte);
	}
	return &table[PT_INDEX(va, 0)];
}
int vm_map(struct env *e, uint64_t va, struct page *pg, uint64_t perm);
void vm_unmap(struct env *e, uint64_t va);
int vm_map_range(struct env *src, struct env *dst, uint64_t lo, uint64_t hi, uint64_t delta,
		 int flags);
void vm_unmap_range(struct env *e, uint64_t lo, uint64_t hi);
int user_check(struct env *e, uint64_t va, uint64_t len, uint64_t need);
int copy_from_user(struct env *e, void *dst, uint64_t va, uint64_t len);
int copy_to_user(struct env *e, uint64_t va, const void *src, uint64_t len);

/* env.c: the env table. */
struct fpstate {
	uint64_t f[32];
	uint64_t fcsr;
};
/*
 * A slow-path upcall that put its frame at the top of the exception stack
 * leaves what it checked here, so that trap.S can deliver the next
 * exception the same way without C: while the env's sp is outside [base,
 * base + span) (its exception stack and the guard page below, where an
 * exception is nested or an overflow), the frame at frame_va (kernel
 * address frame) is known to lie in writable user memory of this env.
 * Owner: trap.c fills it (upcall_deliver); anything that changes the
 * upcall or that page's mapping empties it (span = ~0: every sp slow).
 */
struct upcall_fast {
	uint64_t base, span;
	uint64_t entry;
	uint64_t frame_va;
	struct upcall_frame *frame;
};

struct env {
	struct trapframe tf;	 /* first: the trap vector saves user registers here */
	struct upcall_fast fast; /* second: the trap vector's fast upcall reads it */
	struct env_info *info;	 /* this slot's record in the user-visible table */
	pte_t *root;		 /* root page table (kernel VA); owned */
	/* IPC's walk cache (env_leaf_slot): leaf_slot is e's leaf slot for
	 * leaf_va, in a level-0 table of e's; leaf_va is NO_LEAF when none.
	 * vm.c empties it before freeing any table of e's. */
	uint64_t leaf_va;
	pte_t *leaf_slot;
	uint64_t satp;
	uint64_t upcall_entry; /* 0: exceptions destroy the env */
	uint64_t xstack_lo, xstack_hi;
	uint64_t ipc_dstva;    /* while info->env_ipc_recving */
	bool suspended;	       /* stopped itself: an interrupt wakes it */
	bool wake_pending;     /* interrupted while running: its next sleep returns */
	uint64_t timer_period; /* 0: no timer upcalls; or ticks, or TIMER_EACH_SLICE */
	uint64_t timer_next;   /* time of the next timer upcall */
	uint32_t nchildren;    /* live and zombie children: none, no scan at exit */
	bool child_notice;     /* a child-death upcall is pushed and not yet run;
				* never while in ipc_recv (it is pushed after
				* env_wake ends the wait, cleared when e runs) */
	struct env *next;      /* free list, or run queue while RUNNABLE */
	struct env *prev;      /* run queue while RUNNABLE */
	struct fpstate fp;     /* valid unless this env owns the FPU */
};
extern struct env envs[NENV];

#define NO_LEAF (~0ULL) /* no address below UTOP */
/* e's leaf slot for va < UTOP (NULL when a table on the way is missing),
 * through e's one-entry cache: a page passed back and forth by IPC is
 * walked to once. */
static inline pte_t *env_leaf_slot(struct env *e, uint64_t va)
{
	if (e->leaf_va == va)
		return e->leaf_slot;
	pte_t *slot = pt_leaf_slot(e->root, va);
	if (slot) {
		e->leaf_va = va;
		e->leaf_slot = slot;
	}
	return slot;
}
extern struct env_info env_table[NENV];
extern struct env *curenv;
void env_init(void);
int env_alloc(struct env **out, envid_t parent_id);
int env_lookup(envid_t id, bool must_be_mine, struct env **out);
void env_destroy(struct env *e, uint32_t kind, int32_t code, uint64_t tval);
void env_set_status(struct env *e, uint32_t status);
int env_live_count(void);
bool env_reap_lonely_daemons(void);
static inline bool env_alive(struct env *e)
{
	uint32_t s = e->info->env_status;
	return s != ENV_FREE && s != ENV_ZOMBIE;
}

/* sched.c: run queue, env switch and idle. */
void runq_add(struct env *e);
void runq_remove(struct env *e);
noreturn void schedule(void);
noreturn void env_run(struct env *e);
int64_t env_switch_direct(struct env *from, struct env *e); /* never returns */
extern uint64_t time_slice;
bool timer_tick(struct env *e);
void timer_idle_tick(void);
void env_wake(struct env *e);

/* trap.c / trap.S */
void trap_init(void);
noreturn void env_return(struct trapframe *tf);
/* env_return, typed so that a system call handler's last statement can be
 * "return env_resume(tf);", which GCC makes a jump: it makes no noreturn
 * call a tail call (the caller's frame stays for backtraces), and on the
 * yield and IPC paths each such frame costs two stores. Never returns. */
int64_t env_resume(struct trapframe *tf);
void fpu_save(struct fpstate *fp);
void fpu_restore(const struct fpstate *fp);
void fpu_release(struct env *e);
extern struct env *fpu_owner; /* trap.c: whose F/D registers the FPU holds */
static inline bool fpu_is_owner(struct env *e)
{
	return fpu_owner == e;
}
void fpu_copy_state(struct env *from, struct fpstate *to);
void user_fault(struct env *e, uint64_t cause, uint64_t tval, const char *why);
void upcall_or_destroy(struct env *e, uint64_t cause, uint64_t tval);
void upcall_fast_forget(struct env *e);
/* Called for every change of e's mappings in [lo, hi). */
static inline void upcall_fast_mapping_changed(struct env *e, uint64_t lo, uint64_t hi)
{
	uint64_t page = ROUNDDOWN(e->fast.frame_va, PGSIZE);
	if (page < hi && page + PGSIZE > lo)
		upcall_fast_forget(e);
}
bool upcall_try(struct env *e, uint64_t cause, uint64_t tval);

/* syscall.c / generated dispatch */
#define SYSRET_KEEP_FRAME INT64_MIN /* handler replaced the caller's frame */
int64_t syscall_dispatch(uint64_t num, const uint64_t *args);
/* trap.S calls syscall_fast_table[num] (a handler taking a0..a5) when it
 * is not 0: with bit 0 clear, a fast call (never switches env nor reads
 * the caller's saved registers); with bit 0 set, a switch call (reads
 * none of them but a0, may switch env). See include/exov/syscalls.tbl. */
extern const uintptr_t syscall_fast_table[];

/* loader.c: the first env. */
void load_init(void);
const char *bootarg(const char *key, size_t *len);

/* selftest.c: selftest=kstack|wx in bootargs. */
void selftest_run(void);

#endif /* __ASSEMBLER__ */
#endif
