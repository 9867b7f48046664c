/* exov ABI: env ids, the user-visible env record, trap frames and the
 * system information page. */
#ifndef EXOV_ENV_H
#define EXOV_ENV_H

#include <exov/memlayout.h>

#define LOG2NENV 10
#define NENV (1 << LOG2NENV)
#define ENVGENSHIFT 12

/*
 * An env id: bits 0..9 are the slot in the env table; bits 12..30 are a
 * generation that grows each time the slot is reused, so a stale id never
 * names a new env. Ids are always positive. 0 in a system call means "me".
 */
#define ENVX(envid) ((envid) & (NENV - 1))

/* env_status values */
#define ENV_FREE 0	   /* slot unused */
#define ENV_RUNNABLE 1	   /* waiting for the CPU */
#define ENV_RUNNING 2	   /* on a hart now */
#define ENV_NOT_RUNNABLE 3 /* stopped, or blocked in ipc_recv */
#define ENV_ZOMBIE 4	   /* destroyed; its parent has not reaped it yet */

/* env_exit_kind values: why a zombie died. */
#define EXIT_NONE 0   /* still alive */
#define EXIT_SELF 1   /* it destroyed itself; env_exit_code is its code */
#define EXIT_FAULT 2  /* an exception it could not take; code = scause */
#define EXIT_KILLED 3 /* an ancestor destroyed it; code is the ancestor's */

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef int32_t envid_t;

/*
 * One entry of the env table, mapped read-only at UENVS for every env.
 * It holds only what any env may know of any other; registers and IPC
 * payloads stay in the kernel.
 */
struct env_info {
	envid_t env_id;		  /* 0 when the slot is free */
	envid_t env_parent_id;	  /* 0 when the parent is gone */
	uint32_t env_status;	  /* ENV_* */
	uint32_t env_ipc_recving; /* 1 while blocked in ipc_recv */
	uint32_t env_exit_kind;	  /* EXIT_* (set when it becomes a zombie) */
	int32_t env_exit_code;
	uint64_t env_runs;	/* times it was given the CPU */
	uint64_t env_exit_tval; /* for EXIT_FAULT: the faulting address */
	uint32_t env_priority;	/* PRIO_MIN..PRIO_MAX */
	uint32_t env_daemon;	/* 1: does not keep the machine running */
	uint64_t env_pad[2];
};

/*
 * Register state, as the kernel saves it at a trap. x0 is always zero,
 * so its slot holds the pc. Used by env_set_trapframe and, inside
 * struct upcall_frame, by exception upcalls.
 */
struct trapframe {
	uint64_t pc, ra, sp, gp, tp, t0, t1, t2;
	uint64_t s0, s1, a0, a1, a2, a3, a4, a5;
	uint64_t a6, a7, s2, s3, s4, s5, s6, s7;
	uint64_t s8, s9, s10, s11, t3, t4, t5, t6;
};

/*
 * What the kernel pushes on the exception stack before it enters the
 * env's upcall with sp = a0 = the frame's address. scause and stval are
 * the RISC-V trap cause and value (e.g. 13/15 = load/store page fault,
 * stval = the address).
 */
struct upcall_frame {
	struct trapframe tf;
	uint64_t cause;
	uint64_t tval;
};

/*
 * One per physical page, mapped read-only at UPAGES: upages[(pa -
 * sysinfo->ram_base) >> PGSHIFT]. ref counts the page's mappings (plus
 * kernel uses), so a library OS can tell when it holds the last one: how
 * a pipe knows every writer is gone, even one that was killed.
 */
struct upage {
	uint32_t ref;
	uint32_t reserved; /* 1: never freed (firmware, kernel, boot archive) */
	uint64_t pt_used;  /* a page table's scan hint: bit i set if entries
			      8i..8i+7 may be valid (kernel use) */
};

/* The system information page, mapped read-only at UINFO. */
struct sysinfo {
	uint64_t free_pages;  /* physical pages free right now */
	uint64_t total_pages; /* pages the allocator manages */
	uint64_t timebase_hz; /* rate of the time CSR */
	uint64_t initrd_size; /* bytes of the boot archive at UINITRD */
	uint32_t boot_hart;
	uint32_t nenv;
	uint64_t ram_base; /* physical address of upages[0] */
	uint64_t npages;   /* entries at UPAGES */
};
#endif

/* Offsets into struct trapframe / upcall_frame, for assembly. */
#define TF_REG(n) ((n)*8) /* x_n; n = 0 is the pc */
#define TF_SIZE (32 * 8)
#define UF_CAUSE TF_SIZE
#define UF_TVAL (TF_SIZE + 8)
#define UF_SIZE (TF_SIZE + 16)

/* Exception causes (scause values) the kernel may deliver. */
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_MISALIGNED_LOAD 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_USER_ECALL 8
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT 13
#define CAUSE_STORE_PAGE_FAULT 15
/* Not a hardware cause (24..31 are for custom use): an upcall made by
 * env_interrupt; tval is the value the interrupter passed. */
#define CAUSE_INTERRUPT 24
/* Another custom cause: the timer upcall an env asked for with
 * env_set_timer; tval is the time CSR's value. */
#define CAUSE_TIMER 25
/* The tval of the CAUSE_INTERRUPT upcall the kernel sends a parent when
 * one of its children becomes a zombie (env_interrupt values from envs
 * are below this). */
#define INTERRUPT_CHILD (1ULL << 32)

/* Scheduling priorities: higher runs first; an env starts with its
 * parent's (the first env with PRIO_MAX) and may lower itself or a
 * descendant, never raise above its own. */
#define PRIO_MIN 0
#define PRIO_MAX 3
#define PRIO_LEVELS (PRIO_MAX + 1)
/* env_set_timer period meaning "at the end of each of my time slices". */
#define TIMER_EACH_SLICE (~0ULL)

#endif
