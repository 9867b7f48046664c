/* The library OS's own interface for programs: system calls, the env
 * table and kernel info views, and the basics every program uses. */
#ifndef LIBOS_H
#define LIBOS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <exov/env.h>
#include <exov/error.h>
#include <exov/memlayout.h>
#include <exov/mmu.h>
#include <exov/syscall_stubs.h>

/* Read-only views the kernel maps into every env. */
#define envs ((const volatile struct env_info *)UENVS)
#define sysinfo ((const volatile struct sysinfo *)UINFO)
#define upages ((const volatile struct upage *)UPAGES)
#define uvpt ((const volatile pte_t *)UVPT)
#define uvpmd ((const volatile pte_t *)UVPMD)
#define uvpgd ((const volatile pte_t *)UVPGD)

/*
 * The library OS's part of the address space (below UTOP):
 *
 *   UXSTACKTOP ----> +---------------------------+
 *                    | exception stack (2 pages) |  private: fresh in a child
 *   UXSTACK_LO ----> +---------------------------+
 *                    | guard                     |
 *   UPERENV -------> +---------------------------+
 *                    | struct perenv + main TLS  |  private: copied to a child
 *                    +---------------------------+
 *   USTACKTOP -----> +---------------------------+
 *                    | stack, grows on demand    |  down to USTACK_LIMIT
 *   USTACK_LIMIT     :                           :
 *   UFDREGION        | descriptors, system page  |  16 MiB, see fd.h
 *   UTHREADS_END --> +---------------------------+
 *                    | thread slots, THREAD_SLOT |  each: stack, guard, TLS
 *                    | bytes each (thread.c)     |  and thread record
 *   UTHREADS ------> +---------------------------+  = USTAGE_STACK
 *                    | exec stages the new stack |  below here
 *   USTAGE           | exec stages the new image |  at va + USTAGE
 *   UIMAGE_TOP       : heap (sbrk), mappings     :
 *   UTEXT ---------> | program                   |
 *   UTEMP, FORKTEMP, | scratch pages             |
 *   PFTEMP, UEXEC    |                           |
 */
#define UXSTACK_LO (UXSTACKTOP - 2 * PGSIZE)
#define UPERENV (UXSTACKTOP - 4 * PGSIZE)
#define USTACK_LIMIT (USTACKTOP - 0x100000UL) /* 1 MiB of stack */
#define UIMAGE_TOP 0x1000000000UL	      /* programs must lie below this */
#define USTAGE 0x2000000000UL		      /* exec stages a new image at va + USTAGE */
#define USTAGE_STACK 0x3800000000UL	      /* and its stack below this */
#define UEXEC 0x200000UL		      /* exec's switch code, then its plan and stack */
#define UARGS 0x210000UL		      /* spawn and exec build a new stack here (ARG_MAX) */
#define PFTEMP 0x3fe000UL		      /* copy-on-write copies */
#define FORKTEMP 0x3ff000UL		      /* fork's copy of the per-env page */
#define UTHREADS USTAGE_STACK		      /* thread stacks (libos/thread.c) */
#define THREAD_SLOT 0x100000UL		      /* 1 MiB per thread */
#define NTHREADS 256			      /* threads per process, the main one included */
#define UTHREADS_END (UTHREADS + NTHREADS * THREAD_SLOT)

/* Each env's private page: never shared, copied (not COW) by fork. */
struct perenv {
	const volatile struct env_info *env; /* this env's record */
	uint64_t cow_copies;		     /* pages copied on COW faults */
	uint64_t sig_ignored;		     /* bit n: signal n is SIG_IGN (exec keeps it) */
	uint64_t pad[5];
	char tls[]; /* the first thread's TLS block (64-byte aligned) */
};
#define PERENV ((struct perenv *)UPERENV)

/* This env's own record. */
#define thisenv (PERENV->env)

/* This env's id (getpid() without the call). */
static inline envid_t thisenv_id(void)
{
	return thisenv->env_id;
}

/* The PTE mapping va in this env, or 0 if none: three loads, no syscall.
 * Inline: fd lookups and pipes use it on every read and write. */
static inline pte_t va_pte(uintptr_t va)
{
	if (va >= UTOP)
		return 0;
	if (!(uvpgd[va >> 30] & PTE_V) || !(uvpmd[va >> 21] & PTE_V))
		return 0;
	return uvpt[va >> 12];
}

/* The mapping count of the page that pte maps (0 if pte is not valid):
 * the kernel's page reference counts at UPAGES. */
static inline uint32_t pte_pageref(pte_t pte)
{
	if (!(pte & PTE_V))
		return 0;
	return upages[(PTE_PA(pte) - sysinfo->ram_base) >> PGSHIFT].ref;
}

/* How many mappings the physical page at va has (0 if none). */
static inline uint32_t pageref(uintptr_t va)
{
	return pte_pageref(va_pte(va));
}

/* pageref for a va whose uvpt slot is known to exist (a page of its
 * 2 MiB is mapped, e.g. an open fd's description or buffer): the upper
 * levels need no look. Two dependent loads. */
static inline uint32_t pageref_mapped(uintptr_t va)
{
	return pte_pageref(uvpt[va >> 12]);
}

/* Calls fn(va, pte, arg) for each mapped page in [lo, hi); stops at the
 * first negative result and returns it. */
int foreach_mapped_page(uintptr_t lo, uintptr_t hi, int (*fn)(uintptr_t va, pte_t pte, void *arg),
			void *arg);

/* Prints "[envid] user panic in prog at file:line: msg" and exits. */
void _panic(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
#define panic(...) _panic(__FILE__, __LINE__, __VA_ARGS__)

/* A scratch page address for temporary mappings (below UTEXT). */
#define UTEMP 0x400000UL
#define UTEMP2 0x401000UL

/* Exception handlers (exception.c): handler(uf) runs on the exception
 * stack; when it returns, the env resumes at uf->tf.pc with the registers
 * in uf->tf (edit them to change what resumes). gp is reserved. */
typedef void (*exception_handler_t)(struct upcall_frame *uf);
void exceptions_init(void); /* (re)registers the library OS's upcall */
int set_exception_handler(unsigned cause, exception_handler_t handler);
int set_pgfault_handler(exception_handler_t handler); /* causes 12, 13, 15 */

/* Eager-copy fork (dumbfork.c): 0 in the child, the child's id in the
 * parent, or a negative E_* code. */
envid_t dumbfork(void);

/* Destroys a child that never ran and reaps its zombie: how fork,
 * dumbfork and spawn undo a half-made child. */
void discard_child(envid_t child);

/* Waits for child (this env's) to die and reaps it (wait.c): returns its
 * EXIT_* kind and stores its code, or -E_BAD_ENV. */
int wait_env(envid_t child, int *code);

/* Blocking (block.c). wait_until(ready, arg) returns once ready(arg) is
 * true, waiting in between; whoever makes it true from another env calls
 * sys_env_wake(waiter) (any env may wake any env; a wake-up that comes
 * before the sleep is kept, so none is lost). Only the calling thread
 * waits: the process's other threads run, and the env sleeps when every
 * thread waits (the thread library polls ready each time it picks a
 * thread). libos_sleep() waits for one wake-up of the env (or returns
 * early): callers look again. */
void wait_until(bool (*ready)(void *arg), void *arg);
void libos_sleep(void);

/* The kernel's message for an error code. */
const char *exov_strerror(int err);

/* The name of a POSIX errno value ("ENOENT"), for messages and tests. */
const char *errno_name(int err);

/* The program's name (argv[0]). */
extern const char *progname;

/* Flushes stdout and stderr (stdio.c). */
void console_flush(void);

#endif
