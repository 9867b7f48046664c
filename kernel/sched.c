/* Scheduling: priority run queues with aging, time slices, timer upcalls,
 * switching to an env, and the idle loop. One hart runs envs; the others
 * stay parked in the firmware. */
#include "kernel.h"
#include "riscv.h"

/*
 * Rule: the highest non-empty priority level runs, round robin within the
 * level. So that no env waits forever, whenever envs wait below the level
 * that runs, every AGING_PICKS-th pick goes to a lower level instead
 * (rotating over the waiting levels).
 */
#define AGING_PICKS 8

uint64_t time_slice; /* timer ticks per slice; set from bootargs */
static struct {
	struct env *head, *tail;
} runq[PRIO_LEVELS];
static unsigned queued_levels;		/* bit p set iff runq[p] is not empty */
static unsigned starved_picks;		/* picks in a row that passed over lower levels */
static int boost_level;			/* the lower level aging served last */
#define SLICE_OVER 0			/* slice_end when the next run starts a new slice */
static uint64_t slice_end = SLICE_OVER; /* when the running env's slice ends */
#define TIMER_UNSET (~0ULL)
static uint64_t timer_set_for = TIMER_UNSET; /* the deadline the SBI timer holds */

/* Round robin: add at the tail, run from the head. */
static inline void runq_push(struct env *e)
{
	unsigned p = e->info->env_priority;
	e->next = NULL;
	e->prev = runq[p].tail;
	if (runq[p].tail)
		runq[p].tail->next = e;
	else
		runq[p].head = e;
	runq[p].tail = e;
	queued_levels |= 1u << p;
}

static inline void runq_unlink(struct env *e)
{
	unsigned p = e->info->env_priority;
	if (e->prev)
		e->prev->next = e->next;
	else
		runq[p].head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		runq[p].tail = e->prev;
	e->next = e->prev = NULL;
	if (!runq[p].head)
		queued_levels &= ~(1u << p);
}

/* runq_push(self), then runq_unlink of the head, in one step: level p
 * is not empty and self is in no queue. Returns the old head. */
static inline struct env *runq_rotate(unsigned p, struct env *self)
{
	struct env *head = runq[p].head, *rest = head->next;
	head->next = self->next = NULL;
	if (rest) {
		rest->prev = NULL;
		runq[p].head = rest;
		self->prev = runq[p].tail;
		runq[p].tail->next = self;
	} else {
		runq[p].head = self;
		self->prev = NULL;
	}
	runq[p].tail = self;
	return head;
}

void runq_add(struct env *e)
{
	runq_push(e);
}

void runq_remove(struct env *e)
{
	runq_unlink(e);
}

static inline struct env *pick_next(void)
{
	_Static_assert(PRIO_MIN == 0 && PRIO_LEVELS <= 32, "queued_levels: a bit per level");
	if (!queued_levels)
		return NULL;
	int top = PRIO_MAX;
	while (!(queued_levels & (1u << top)))
		top--;
	if (!(queued_levels & ((1u << top) - 1))) { /* none waits below */
		starved_picks = 0;
		return runq[top].head;
	}
	if (++starved_picks < AGING_PICKS)
		return runq[top].head;
	starved_picks = 0;
	for (int i = 0; i < PRIO_LEVELS; i++) {
		boost_level = boost_level == PRIO_MIN ? top - 1 : boost_level - 1;
		if (boost_level < top && boost_level >= PRIO_MIN && runq[boost_level].head)
			return runq[boost_level].head;
	}
	return runq[top].head;
}

/* Arms the timer for the end of the slice or e's next timer upcall,
 * whichever is first; calls the firmware only when that changes. */
static void timer_program(struct env *e)
{
	uint64_t deadline = slice_end;
	if (e && e->timer_period && e->timer_period != TIMER_EACH_SLICE && e->timer_next < deadline)
		deadline = e->timer_next;
	if (deadline != timer_set_for) {
		sbi_set_timer(deadline);
		timer_set_for = deadline;
	}
}

/* The timer fired while e ran: its timer upcall if due, then the end of
 * its slice if due. Returns whether e keeps the CPU. */
bool timer_tick(struct env *e)
{
	uint64_t now = csr_read_time();
	bool slice_done = now >= slice_end;
	bool upcall_due = e->timer_period == TIMER_EACH_SLICE ? slice_done
			  : e->timer_period		      ? now >= e->timer_next
							      : false;
	timer_set_for = TIMER_UNSET; /* it fired */
	if (upcall_due && e->upcall_entry) {
		if (e->timer_period != TIMER_EACH_SLICE)
			e->timer_next = now + e->timer_period;
		upcall_or_destroy(e, CAUSE_TIMER, now);
	}
	if (slice_done)
		slice_end = SLICE_OVER;
	return !slice_done && env_alive(e);
}

/* The idle loop's tick: nothing to do but keep the timer going. */
void timer_idle_tick(void)
{
	slice_end = csr_read_time() + time_slice;
	timer_program(NULL);
}

/* Resumes e in user mode; never returns. */
noreturn void env_run(struct env *e)
{
	/* The common case, after a system call: the same env goes on, its
	 * sstatus (FS) and satp are as they were. */
	if (e == curenv && slice_end != SLICE_OVER && e->info->env_status == ENV_RUNNING) {
		timer_program(e);
		env_return(&e->tf);
	}
	if (curenv != e) {
		if (curenv && curenv->info->env_status == ENV_RUNNING)
			env_set_status(curenv, ENV_RUNNABLE);
		curenv = e;
		csr_write_satp(e->satp);
		sfence_vma_all();
		/* The slice goes on: reprogramming the timer at every switch
		 * would cost a trip into the firmware. */
	}
	if (slice_end == SLICE_OVER)
		slice_end = csr_read_time() + time_slice;
	e->child_notice = false; /* it runs the pending notice now, if any */
	if (e->info->env_status != ENV_RUNNING) {
		env_set_status(e, ENV_RUNNING);
		e->info->env_runs++;
	}
	timer_program(e);
	csr_clear_sstatus(SSTATUS_SPP | SSTATUS_FS);
	/* Lazy FPU: only the owner runs with FS on; anyone else traps on its
	 * first FP instruction and claims it then. */
	csr_set_sstatus(SSTATUS_SPIE | (fpu_is_owner(e) ? SSTATUS_FS_DIRTY : SSTATUS_FS_OFF));
	env_return(&e->tf);
}

/* ipc_call's and yield's switch, from a system call: from curenv (from)
 * to e, which is in no run queue (so NOT_RUNNABLE); e runs in the rest of
 * the slice. While an env runs, its slice goes on and the timer holds the
 * slice's end or, earlier, the env's own upcall deadline (env_run arms it
 * on every way to user mode; only the timer's interrupt disarms it, and
 * that goes to env_run). So the timer needs env_run's look only when from
 * or e has upcall deadlines. Never returns; typed for tail calls (see
 * env_resume). */
static inline __attribute__((always_inline)) int64_t switch_direct(struct env *from, struct env *e)
{
	if (from->timer_period || e->timer_period)
		env_run(e);
	curenv = e;
	csr_write_satp(e->satp);
	sfence_vma_all();
	e->info->env_status = ENV_RUNNING;
	e->info->env_runs++;
	/* After a trap from user mode SPP is 0 and SPIE 1: only FS follows e. */
	csr_clear_sstatus(SSTATUS_FS);
	if (fpu_is_owner(e))
		csr_set_sstatus(SSTATUS_FS_DIRTY);
	return env_resume(&e->tf);
}

int64_t env_switch_direct(struct env *from, struct env *e)
{
	return switch_direct(from, e);
}

/* yield(): gives up the rest of the time slice. Never fails. The handler
 * lives here: curenv to the back of its queue, then the pick, then
 * switch_direct. */
int64_t sys_yield(void)
{
	struct env *self = curenv;
	self->tf.a0 = 0;
	/* env_set_status(self, ENV_RUNNABLE) without its checks: self ran,
	 * so it is in no queue. */
	self->suspended = false;
	self->info->env_status = ENV_RUNNABLE;
	unsigned p = self->info->env_priority;
	struct env *next;
	if (queued_levels == 1u << p) {
		/* Envs wait at self's level only: the rule picks its head and
		 * aging has nothing to pass over. */
		starved_picks = 0;
		next = runq_rotate(p, self);
	} else {
		runq_push(self);
		next = pick_next();
		if (next == self)
			env_run(self);
		runq_unlink(next);
	}
	next->info->env_status = ENV_NOT_RUNNABLE; /* queued iff RUNNABLE */
	next->child_notice = false;		   /* it runs the pending notice now, if any */
	return switch_direct(self, next);
}

static noreturn void power_off(void)
{
	kprintf("[kernel] no environments left; %lu free pages\n", sysinfo->free_pages);
	sbi_shutdown();
}

/*
 * Picks what runs next by the rule above, else the current env if it is
 * still running, else idles until an interrupt and looks again. Powers
 * off when no env is left.
 */
noreturn void schedule(void)
{
	bool warned = false;
	for (;;) {
		struct env *next = pick_next();
		if (next)
			env_run(next);
		if (curenv && curenv->info->env_status == ENV_RUNNING)
			env_run(curenv);
		if (env_live_count() == 0 || !env_reap_lonely_daemons())
			power_off();
		if (!warned) {
			kprintf("[kernel] all %d environments are blocked\n", env_live_count());
			warned = true;
		}
		timer_idle_tick();
		csr_set_sstatus(SSTATUS_SIE);
		wait_for_interrupt();
		csr_clear_sstatus(SSTATUS_SIE);
	}
}
