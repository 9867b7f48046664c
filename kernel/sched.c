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
static unsigned queued_levels; /* bit p set iff runq[p] is not empty */
static unsigned starved_picks; /* picks in a row that passed over lower levels */
static int boost_level;	       /* the lower level aging served last */
static uint64_t slice_end;     /* when the running env's slice ends */
static bool slice_over = true; /* renew the slice on the next run */
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
		slice_over = true;
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
	if (e == curenv && !slice_over && e->info->env_status == ENV_RUNNING) {
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
	if (slice_over) {
		slice_end = csr_read_time() + time_slice;
		slice_over = false;
	}
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

/* yield, from a system call: curenv to the back of its queue, then the
 * pick, then env_switch_direct's switch. */
noreturn void sched_yield(void)
{
	struct env *self = curenv;
	self->tf.a0 = 0;
	/* env_set_status(self, ENV_RUNNABLE) without its checks: self ran,
	 * so it is in no queue. */
	self->suspended = false;
	self->info->env_status = ENV_RUNNABLE;
	runq_push(self);
	struct env *next = pick_next();
	if (next == self)
		env_run(self);
	runq_unlink(next);
	next->info->env_status = ENV_NOT_RUNNABLE; /* queued iff RUNNABLE */
	env_switch_direct(next);
}

/* ipc_call's and yield's switch, from a system call: from curenv to e,
 * which is in no run queue (so NOT_RUNNABLE); e runs in the rest of the
 * slice. env_run does it when the timer needs a look. */
noreturn void env_switch_direct(struct env *e)
{
	if (slice_over || e->timer_period || timer_set_for != slice_end)
		env_run(e);
	curenv = e;
	csr_write_satp(e->satp);
	sfence_vma_all();
	e->info->env_status = ENV_RUNNING;
	e->info->env_runs++;
	e->child_notice = false;
	/* After a trap from user mode SPP is 0 and SPIE 1: only FS follows e. */
	csr_clear_sstatus(SSTATUS_FS);
	if (fpu_is_owner(e))
		csr_set_sstatus(SSTATUS_FS_DIRTY);
	env_return(&e->tf);
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
