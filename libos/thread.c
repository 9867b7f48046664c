/* User-level threads in one env: the thread table and stacks, the
 * scheduler (run queue, polled waiters, sleeping the env), preemption by
 * the timer upcall, and create, exit, join, detach, yield. */
#include <errno.h>
#include <picotls.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/lock.h>

#include "libos.h"
#include "thread.h"

/*
 * Each thread but the main one owns a slot of THREAD_SLOT bytes at
 * UTHREADS + slot * THREAD_SLOT:
 *
 *   slot + THREAD_SLOT --> +---------------------------+
 *                          | TLS block (errno, ...)    |  mapped at create
 *                          | struct thread             |
 *   stack_top -----------> +---------------------------+
 *                          | stack, grows on demand    |  first page mapped
 *   stack_lo ------------> +---------------------------+
 *                          | guard: never mapped       |  >= 1 page
 *   slot ----------------> +---------------------------+
 *
 * The main thread keeps the env's stack (below USTACKTOP, guard below
 * USTACK_LIMIT) and its TLS block in the per-env page.
 */
static struct thread main_thread = {.id = 1, .state = T_RUNNING, .slot = 0};
static struct thread *slots[NTHREADS] = {&main_thread};

struct thread *thread_cur = &main_thread;
volatile unsigned long thread_preempt_off;
volatile bool thread_resched_pending; /* a tick came during a critical section */

/* FIFO queues of threads, linked through thread->next: the same type as
 * the wait queues in mutexes and conditions (fork_gen unused here). */
typedef struct __pthread_waitq queue_t;
static queue_t runq, waiters, dead;
static unsigned nlive = 1;	 /* threads that have not exited */
static pthread_t last_id = 1;	 /* ids are never reused */
static unsigned long wake_epoch; /* times the env returned from a sleep */
static unsigned long fork_gen;	 /* forks this process descends from */
static uint64_t tick_period = TIMER_EACH_SLICE;
static bool timer_armed;

static void q_push(queue_t *q, struct thread *t)
{
	struct thread *tail = q->tail;
	t->next = NULL;
	if (tail)
		tail->next = t;
	else
		q->head = t;
	q->tail = t;
}

static struct thread *q_pop(queue_t *q)
{
	struct thread *t = q->head;
	if (t) {
		q->head = t->next;
		if (!q->head)
			q->tail = NULL;
		t->next = NULL;
	}
	return t;
}

/* A wait queue made before a fork holds threads the child does not
 * have: there it counts as empty. */
static queue_t *waitq(queue_t *q)
{
	if (q->fork_gen != fork_gen) {
		q->head = q->tail = NULL;
		q->fork_gen = fork_gen;
	}
	return q;
}

void waitq_push(queue_t *q, struct thread *t)
{
	q_push(waitq(q), t);
}

struct thread *waitq_pop(queue_t *q)
{
	return q_pop(waitq(q));
}

void thread_make_runnable(struct thread *t)
{
	t->state = T_RUNNABLE;
	q_push(&runq, t);
}

/* ---- the timer -------------------------------------------------------- */

/* The timer runs while the process has more than one live thread. */
static void timer_update(void)
{
	bool want = nlive > 1 && tick_period != 0;
	if (want != timer_armed) {
		sys_env_set_timer(0, want ? tick_period : 0);
		timer_armed = want;
	}
}

int pthread_settick_np(unsigned long usec)
{
	uint64_t ticks = usec == PTHREAD_TICK_SLICE ? TIMER_EACH_SLICE
						    : usec * sysinfo->timebase_hz / 1000000;
	if (usec != 0 && usec != PTHREAD_TICK_SLICE && (usec < 100 || ticks == 0))
		return EINVAL;
	thread_lib_enter();
	tick_period = ticks;
	if (timer_armed) { /* re-armed with the new period just below */
		sys_env_set_timer(0, 0);
		timer_armed = false;
	}
	timer_update();
	thread_lib_leave();
	return 0;
}

int pthread_setpreempt_np(int on)
{
	bool was = !thread_cur->no_preempt;
	thread_cur->no_preempt = !on;
	return was;
}

/* ---- switching ------------------------------------------------------------ */

static void reap_dead(void);

/* Resumes next; returns when someone switches back to the caller. */
static void switch_to(struct thread *next)
{
	struct thread *prev = thread_cur;
	thread_cur = next;
	next->state = T_RUNNING;
	thread_resched_pending = false;
	prev->ctx.preempt_off = thread_preempt_off;
	ctx_switch(&prev->ctx, &next->ctx);
	reap_dead();
}

/* Makes waiting threads whose condition holds runnable. A NULL condition
 * holds once the env has been woken since the thread began to wait. */
static void poll_waiters(void)
{
	queue_t still = {0};
	struct thread *t;
	while ((t = q_pop(&waiters))) {
		bool go = t->ready ? t->ready(t->ready_arg) : t->wait_epoch != wake_epoch;
		if (go)
			thread_make_runnable(t);
		else
			q_push(&still, t);
	}
	waiters = still;
}

/* Prints straight to the console: no stdio lock, which another thread
 * may hold (this runs in critical sections and in upcalls). */
static void say(const char *fmt, unsigned long a, unsigned long b)
{
	char line[96];
	int n = snprintf(line, sizeof line, fmt, (unsigned)thisenv->env_id, a, b);
	sys_cputs(line, n < (int)sizeof line ? (uint64_t)n : sizeof line - 1);
}

static __attribute__((noreturn)) void deadlock(void)
{
	say("[%08x] every thread is blocked for good (deadlock)\n", 0, 0);
	for (;;)
		sys_env_set_status(0, ENV_NOT_RUNNABLE);
}

/* The next thread to run; sleeps the env while every thread waits. */
static struct thread *pick_next(void)
{
	for (;;) {
		poll_waiters();
		struct thread *t = q_pop(&runq);
		if (t)
			return t;
		if (!waiters.head)
			deadlock();
		sys_env_set_status(0, ENV_NOT_RUNNABLE);
		wake_epoch++;
	}
}

/* The current thread has left the running state (blocked, waiting,
 * exited): run another, in a critical section. */
static void reschedule(void)
{
	struct thread *next = pick_next();
	if (next == thread_cur)
		next->state = T_RUNNING;
	else
		switch_to(next);
}

void thread_block(void)
{
	thread_cur->state = T_BLOCKED;
	reschedule();
}

bool thread_alone(void)
{
	return nlive == 1;
}

void thread_wait(bool (*ready)(void *), void *arg)
{
	if (nlive == 1) { /* nothing else to run: sleep, and write nothing */
		sys_env_set_status(0, ENV_NOT_RUNNABLE);
		return;
	}
	thread_lib_enter();
	struct thread *self = thread_cur;
	self->ready = ready;
	self->ready_arg = arg;
	self->wait_epoch = wake_epoch;
	self->state = T_WAITING;
	q_push(&waiters, self);
	reschedule();
	thread_lib_leave();
}

/* Switches to another runnable thread, if there is one. */
static bool yield_to_other(void)
{
	poll_waiters();
	if (!runq.head)
		return false;
	thread_make_runnable(thread_cur);
	switch_to(q_pop(&runq));
	return true;
}

/* thread_lib_leave of the outermost critical section after a tick came
 * in it: the switch the tick deferred. */
void thread_lib_leave_resched(void)
{
	if (!thread_cur->no_preempt) {
		thread_resched_pending = false;
		yield_to_other();
	}
	thread_preempt_off--;
}

int sched_yield(void)
{
	thread_lib_enter();
	bool switched = yield_to_other();
	thread_lib_leave();
	if (!switched)
		sys_yield();
	return 0;
}

/* ---- preemption ----------------------------------------------------------- */

static bool on_exception_stack(uint64_t sp)
{
	return sp > UXSTACK_LO && sp <= UXSTACKTOP;
}

/* An upcall that came at the end of upcall_restore found every register
 * loaded but sp (at upcall_ld_sp: still in the area that sp points to)
 * and the pc (in gp, which the upcall's return would clobber): finish
 * the restore in the frame, so it says the resumed context. */
void thread_resume_fixup(struct upcall_frame *uf)
{
	if (uf->tf.pc == (uintptr_t)upcall_ld_sp)
		uf->tf.sp = *(const uint64_t *)(uf->tf.sp + CTX_FRAME + TF_REG(2));
	if (uf->tf.pc == (uintptr_t)upcall_ld_sp || uf->tf.pc == (uintptr_t)upcall_jr)
		uf->tf.pc = uf->tf.gp;
}

/* May the timer switch away from what uf interrupted? Not from a nested
 * upcall, a context being resumed, a critical section, or a thread that
 * turned preemption off. */
static bool preemptible(struct upcall_frame *uf)
{
	uint64_t pc = uf->tf.pc;
	if (on_exception_stack(uf->tf.sp))
		return false;
	if (pc >= (uintptr_t)ctx_resume && pc < (uintptr_t)upcall_ld_sp)
		return false;
	if (thread_preempt_off) {
		thread_resched_pending = true;
		return false;
	}
	return !thread_cur->no_preempt;
}

/*
 * The CAUSE_TIMER upcall: saves the interrupted thread's registers (the
 * kernel's frame and the trampoline's F/D area) in its record, puts it at
 * the back of the run queue, and copies the next thread's saved registers
 * over the frame, so the trampoline's return resumes that thread. Waiting
 * threads become runnable so that each looks at its condition again.
 */
void thread_tick(struct upcall_frame *uf)
{
	if (nlive < 2 || !preemptible(uf))
		return;
	thread_preempt_off = 1;
	struct thread *t;
	while ((t = q_pop(&waiters)))
		thread_make_runnable(t);
	struct thread *next = q_pop(&runq);
	if (!next) {
		thread_preempt_off = 0;
		return;
	}
	char *regs = (char *)uf - UPCALL_FP_SAVE;
	struct thread *prev = thread_cur;
	memcpy(&prev->ctx, regs, CTX_PREEMPT);
	prev->ctx.preempt_off = 0;
	thread_make_runnable(prev);
	thread_cur = next;
	next->state = T_RUNNING;
	thread_resched_pending = false;
	memcpy(regs, &next->ctx, CTX_PREEMPT);
	thread_preempt_off = next->ctx.preempt_off;
}

/* ---- slots and stacks ------------------------------------------------------ */

static uintptr_t slot_base(unsigned slot)
{
	return UTHREADS + slot * THREAD_SLOT;
}

/* Bytes at the top of a slot for the thread record and TLS block. */
static size_t top_bytes(void)
{
	size_t rec = ROUNDUP(sizeof(struct thread), 64);
	return ROUNDUP(rec + ROUNDUP(_tls_size(), 64), PGSIZE);
}

static void slot_clear(unsigned slot)
{
	sys_page_unmap_range(0, slot_base(slot), slot_base(slot) + THREAD_SLOT);
}

static void thread_free(struct thread *t)
{
	unsigned slot = t->slot;
	slots[slot] = NULL;
	if (t != &main_thread)
		slot_clear(slot);
}

/* Frees detached threads that have exited (never the caller). */
static void reap_dead(void)
{
	struct thread *t;
	while ((t = q_pop(&dead)))
		thread_free(t);
}

bool thread_slot_page(uintptr_t va)
{
	return va >= UTHREADS && va < UTHREADS_END;
}

/* Reports an overflow; the fault then ends the env like any other. */
static bool stack_overflow(struct thread *t, uintptr_t va)
{
	say("[%08x] thread %lu: stack overflow (fault at %lx)\n", t->id, va);
	return false;
}

/* A page fault in a thread's stack slot: grows the stack, or reports an
 * overflow into the guard below it. Also reports the main thread running
 * into the guard page below its 1 MiB stack. */
bool thread_stack_fault(uintptr_t va)
{
	if (va >= USTACK_LIMIT - PGSIZE && va < USTACK_LIMIT)
		return stack_overflow(&main_thread, va);
	if (!thread_slot_page(va))
		return false;
	struct thread *t = slots[(va - UTHREADS) / THREAD_SLOT];
	if (!t || t->state == T_DEAD || va >= t->stack_top)
		return false;
	if (va < t->stack_lo)
		return stack_overflow(t, va);
	return sys_page_alloc(0, ROUNDDOWN(va, PGSIZE), PTE_R | PTE_W) == 0;
}

/* ---- create, exit, join ------------------------------------------------------ */

static void thread_entry(void)
{
	struct thread *self = thread_cur;
	pthread_exit(self->start(self->arg));
}

static int free_slot(void)
{
	for (unsigned i = 1; i < NTHREADS; i++)
		if (!slots[i])
			return (int)i;
	return -1;
}

/* Maps slot's top (record, TLS) and the first stack page; returns the
 * record, set up to start in thread_entry. */
static struct thread *thread_make(unsigned slot, size_t stacksize)
{
	uintptr_t top = slot_base(slot) + THREAD_SLOT, stack_top = top - top_bytes();
	slot_clear(slot); /* what a thread that vanished in a fork left */
	for (uintptr_t va = stack_top - PGSIZE; va < top; va += PGSIZE)
		if (sys_page_alloc(0, va, PTE_R | PTE_W) < 0) {
			slot_clear(slot);
			return NULL;
		}
	struct thread *t = (struct thread *)stack_top;
	void *tls = (char *)t + ROUNDUP(sizeof *t, 64);
	_init_tls(tls);
	t->slot = slot;
	t->stack_top = stack_top;
	t->stack_lo = stack_top - stacksize;
	t->ctx.uf.tf.pc = (uintptr_t)thread_entry;
	t->ctx.uf.tf.sp = stack_top;
	t->ctx.uf.tf.tp = (uintptr_t)tls;
	return t;
}

static size_t stack_max(void)
{
	return THREAD_SLOT - top_bytes() - PGSIZE;
}

/* Set by the first pthread_create, never cleared: until then locks have
 * nothing to exclude. It flips only in a plain call, never while a libc
 * lock is held, so a lock skipped before it flipped is released skipped. */
bool thread_multi;

int pthread_create(pthread_t *id, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
	thread_multi = true;
	size_t size = attr && attr->stacksize ? ROUNDUP(attr->stacksize, PGSIZE) : stack_max();
	if (size > stack_max())
		return EINVAL;
	thread_lib_enter();
	reap_dead();
	int slot = free_slot();
	struct thread *t = slot < 0 ? NULL : thread_make((unsigned)slot, size);
	if (!t) {
		thread_lib_leave();
		return EAGAIN;
	}
	t->id = ++last_id;
	t->start = start;
	t->arg = arg;
	t->detached = attr && attr->detachstate == PTHREAD_CREATE_DETACHED;
	slots[slot] = t;
	nlive++;
	thread_make_runnable(t);
	timer_update();
	*id = t->id;
	thread_lib_leave();
	return 0;
}

pthread_t pthread_self(void)
{
	return thread_cur->id;
}

static struct thread *thread_find(pthread_t id)
{
	for (unsigned i = 0; i < NTHREADS; i++)
		if (slots[i] && slots[i]->id == id && slots[i]->state != T_DEAD)
			return slots[i];
	return NULL;
}

void pthread_exit(void *retval)
{
	struct thread *self = thread_cur;
	thread_keys_exit(self);
	thread_lib_enter();
	if (--nlive == 0)
		exit(0); /* the last thread: the process ends */
	timer_update();
	self->retval = retval;
	if (self->detached) {
		self->state = T_DEAD;
		q_push(&dead, self);
	} else {
		self->state = T_ZOMBIE;
		if (self->joiner)
			thread_make_runnable(self->joiner);
	}
	struct thread *next = pick_next();
	switch_to(next);
	for (;;) /* not reached: nobody switches back to an exited thread */
		;
}

int pthread_join(pthread_t id, void **retval)
{
	thread_lib_enter();
	struct thread *t = thread_find(id);
	int r = !t ? ESRCH : t == thread_cur ? EDEADLK : t->detached || t->joiner ? EINVAL : 0;
	if (r == 0) {
		if (t->state != T_ZOMBIE) {
			t->joiner = thread_cur;
			thread_block();
		}
		if (retval)
			*retval = t->retval;
		thread_free(t);
	}
	thread_lib_leave();
	return r;
}

int pthread_detach(pthread_t id)
{
	thread_lib_enter();
	struct thread *t = thread_find(id);
	int r = !t ? ESRCH : t->detached || t->joiner ? EINVAL : 0;
	if (r == 0) {
		t->detached = true;
		if (t->state == T_ZOMBIE && t != thread_cur)
			thread_free(t);
	}
	thread_lib_leave();
	return r;
}

void thread_key_clear(pthread_key_t k)
{
	for (unsigned i = 0; i < NTHREADS; i++)
		if (slots[i])
			slots[i]->specific[k] = NULL;
}

/* ---- attributes ------------------------------------------------------------ */

int pthread_attr_init(pthread_attr_t *attr)
{
	*attr = (pthread_attr_t){PTHREAD_CREATE_JOINABLE, 0};
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
		return EINVAL;
	attr->detachstate = state;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	*state = attr->detachstate;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (size < PTHREAD_STACK_MIN || size > stack_max())
		return EINVAL;
	attr->stacksize = size;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	*size = attr->stacksize ? attr->stacksize : stack_max();
	return 0;
}

/* ---- fork and exec ---------------------------------------------------------- */

/* Once there are threads, fork holds picolibc's lock (so the child's
 * malloc is usable) and stops thread switches. */
void thread_fork_prepare(void)
{
	if (!thread_multi)
		return; /* one thread: nothing to stop, no lock to take */
	__retarget_lock_acquire_recursive(&__lock___libc_recursive_mutex);
	thread_lib_enter();
}

void thread_fork_parent(void)
{
	if (!thread_multi)
		return;
	thread_lib_leave();
	__retarget_lock_release_recursive(&__lock___libc_recursive_mutex);
}

/* The child of a fork has only the thread that called fork (POSIX): the
 * others' records and stacks stay as memory until their slots are reused. */
void thread_fork_child(void)
{
	if (!thread_multi)
		return;
	fork_gen++;
	for (unsigned i = 0; i < NTHREADS; i++)
		if (slots[i] != thread_cur)
			slots[i] = NULL;
	runq = waiters = dead = (queue_t){0};
	nlive = 1;
	timer_armed = false;
	thread_resched_pending = false;
	thread_cur->joiner = NULL;
	thread_lib_leave();
	__retarget_lock_release_recursive(&__lock___libc_recursive_mutex);
}

/* exec is about to replace the image: no more timer upcalls. */
void thread_exec_commit(void)
{
	sys_env_set_timer(0, 0);
	timer_armed = false;
}
