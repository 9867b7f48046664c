/* Scheduling: the run queue, switching to an env, the timer tick and the
 * idle loop. One hart runs envs; the others stay parked in the firmware. */
#include "kernel.h"
#include "riscv.h"

uint64_t time_slice; /* timer ticks per slice; set from bootargs */
static struct env *runq_head, *runq_tail;

/* Round robin: add at the tail, run from the head. */
void runq_add(struct env *e)
{
	e->next = NULL;
	e->prev = runq_tail;
	if (runq_tail)
		runq_tail->next = e;
	else
		runq_head = e;
	runq_tail = e;
}

void runq_remove(struct env *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		runq_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		runq_tail = e->prev;
	e->next = e->prev = NULL;
}

void timer_arm(void)
{
	sbi_set_timer(csr_read_time() + time_slice);
}

/* Resumes e in user mode; never returns. */
noreturn void env_run(struct env *e)
{
	if (curenv != e) {
		if (curenv && curenv->info->env_status == ENV_RUNNING)
			env_set_status(curenv, ENV_RUNNABLE);
		curenv = e;
		csr_write_satp(e->satp);
		sfence_vma_all();
	}
	if (e->info->env_status != ENV_RUNNING) {
		env_set_status(e, ENV_RUNNING);
		e->info->env_runs++;
	}
	csr_clear_sstatus(SSTATUS_SPP | SSTATUS_FS);
	/* Lazy FPU: only the owner runs with FS on; anyone else traps on its
	 * first FP instruction and claims it then. */
	csr_set_sstatus(SSTATUS_SPIE | (fpu_is_owner(e) ? SSTATUS_FS_DIRTY : SSTATUS_FS_OFF));
	env_return(&e->tf);
}

static noreturn void power_off(void)
{
	kprintf("[kernel] no environments left; %lu free pages\n", sysinfo->free_pages);
	sbi_shutdown();
}

/*
 * Picks what runs next: the head of the run queue, else the current env
 * if it is still running, else idles until an interrupt (a timer tick)
 * and looks again. Powers off when no env is left.
 */
noreturn void schedule(void)
{
	bool warned = false;
	for (;;) {
		if (runq_head)
			env_run(runq_head);
		if (curenv && curenv->info->env_status == ENV_RUNNING)
			env_run(curenv);
		if (env_live_count() == 0)
			power_off();
		if (!warned) {
			kprintf("[kernel] all %d environments are blocked\n", env_live_count());
			warned = true;
		}
		csr_set_sstatus(SSTATUS_SIE);
		wait_for_interrupt();
		csr_clear_sstatus(SSTATUS_SIE);
	}
}
