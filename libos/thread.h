/* The thread library's internals: the saved-context layout that upcall.S
 * and thread.c share, the thread record, and the hooks other parts of the
 * library OS call. Not for programs (they use <pthread.h>). */
#ifndef LIBOS_THREAD_H
#define LIBOS_THREAD_H

#include <exov/env.h>

/* The trampoline's F/D save area just below the kernel's upcall frame:
 * f0..f31, fcsr, and a pad word (keeps sp 16-byte aligned). */
#define UPCALL_FP_SAVE (33 * 8 + 8)
#define FP_FCSR (32 * 8)

/* A saved thread context is laid out like the exception stack during an
 * upcall (F/D area, then the frame), followed by the thread's
 * thread_preempt_off, which is restored with it. */
#define CTX_FRAME UPCALL_FP_SAVE
#define CTX_PREEMPT (UPCALL_FP_SAVE + UF_SIZE)

#ifndef __ASSEMBLER__
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct tctx {
	uint64_t f[32];
	uint64_t fcsr, pad;
	struct upcall_frame uf; /* uf.tf.pc is where the thread resumes */
	uint64_t preempt_off;
};
_Static_assert(offsetof(struct tctx, uf) == CTX_FRAME, "tctx layout");
_Static_assert(offsetof(struct tctx, preempt_off) == CTX_PREEMPT, "tctx layout");

enum thread_state {
	T_RUNNING,  /* the current thread */
	T_RUNNABLE, /* in the run queue */
	T_BLOCKED,  /* in a mutex's or condition's queue, or joining */
	T_WAITING,  /* in wait_until: its condition is polled */
	T_ZOMBIE,   /* exited, not joined yet */
	T_DEAD,	    /* exited detached; its slot is freed soon */
};

struct thread {
	struct tctx ctx; /* registers while it does not run */
	pthread_t id;
	enum thread_state state;
	struct thread *next; /* link in the one queue it is in */
	struct thread *joiner;
	void *(*start)(void *);
	void *arg, *retval;
	bool detached, no_preempt;
	bool (*ready)(void *); /* T_WAITING: its condition (NULL: any wake-up) */
	void *ready_arg;
	unsigned long wait_epoch; /* wake_epoch when it began to wait */
	unsigned slot;
	uintptr_t stack_lo, stack_top; /* the stack grows down into [lo, top) */
	void *specific[PTHREAD_KEYS_MAX];
};

/* Where the thread library is (upcall.S, thread.c). */
extern struct thread *thread_cur;
extern volatile unsigned long thread_preempt_off;

/* Set by the timer upcall when it found a critical section open. */
extern volatile bool thread_resched_pending;

/* Library critical sections: no thread switch while one is open (the
 * timer upcall defers its switch to thread_lib_leave). They nest. */
static inline void thread_lib_enter(void)
{
	thread_preempt_off++;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void thread_lib_leave_resched(void);

/* Inline: pipes and locks leave one on every operation, and the switch
 * a tick deferred is rare. */
static inline void thread_lib_leave(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (thread_preempt_off == 1 && thread_resched_pending)
		thread_lib_leave_resched();
	else
		thread_preempt_off--;
}

/* Blocking (block.c): the current thread waits until ready(arg) (NULL:
 * until the env has been woken); other threads run meanwhile, and the env
 * sleeps when every thread waits. May return early: callers look again. */
void thread_wait(bool (*ready)(void *), void *arg);

/* Whether the calling thread is the process's only live one. */
bool thread_alone(void);

/* Makes a blocked thread runnable / blocks the current one (in a library
 * critical section). */
void thread_make_runnable(struct thread *t);
void thread_block(void);

/* Intrusive FIFO queues of threads (mutexes, conditions). A queue made
 * before a fork is empty in the child. */
void waitq_push(struct __pthread_waitq *q, struct thread *t);
struct thread *waitq_pop(struct __pthread_waitq *q);

/* The upcall's part (exception.c). */
void thread_tick(struct upcall_frame *uf);
void thread_resume_fixup(struct upcall_frame *uf);
bool thread_stack_fault(uintptr_t va);

/* fork and exec (fork.c, exec.c, spawn.c). */
void thread_fork_prepare(void);
void thread_fork_parent(void);
void thread_fork_child(void);
bool thread_slot_page(uintptr_t va);
void thread_exec_commit(void);

/* Thread-specific data: runs the destructors of t's values (keys.c);
 * sets key k to NULL in every thread (thread.c). */
void thread_keys_exit(struct thread *t);
void thread_key_clear(pthread_key_t k);

/* upcall.S: saves the caller's callee-saved registers in save (resuming
 * at its return address) and resumes load. */
void ctx_switch(struct tctx *save, struct tctx *load);
extern char ctx_resume[], upcall_ld_sp[], upcall_jr[];

/* Whether this process has ever had a second thread (thread.c). */
extern bool thread_multi;

#endif

#endif
