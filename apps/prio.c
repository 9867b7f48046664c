/* Kernel priorities between envs, measured in time slices (env_runs
 * counts the times an env was given the CPU). Children wait for a common
 * start, then: a high-priority env's short CPU-bound work finishes before
 * a low-priority env runs at all; during long work the low one still gets
 * every 8th pick (aging); and two envs of equal priority take turns. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libos.h"

#define SHARED 0xf00000000UL /* a PTE_SHARE page: fork keeps it shared */

static struct shared {
	volatile int armed, go;
	volatile envid_t low;
	volatile uint64_t low_runs_during_high;
	volatile int high_done, high_done_when_low_ran;
	volatile unsigned nlog;
	volatile char log[64];
} *const sh = (struct shared *)SHARED;

static bool go_given(void *arg)
{
	(void)arg;
	return sh->go;
}

/* Spins until this env has been given the CPU n more times. */
static void work_slices(unsigned n)
{
	uint64_t start = thisenv->env_runs;
	while (thisenv->env_runs - start < n)
		;
}

static void high(unsigned slices)
{
	const volatile struct env_info *low = &envs[ENVX(sh->low)];
	uint64_t before = low->env_runs;
	work_slices(slices);
	sh->low_runs_during_high = low->env_runs - before;
	sh->high_done = 1;
}

static void low(void)
{
	sh->high_done_when_low_ran = sh->high_done;
	while (!sh->high_done) /* CPU-bound as long as high is */
		;
	work_slices(2);
}

/* Logs letter at the start of each of its next n slices. */
static void take_turns(char letter, unsigned n)
{
	uint64_t seen = 0;
	for (unsigned logged = 0; logged < n;) {
		uint64_t runs = thisenv->env_runs;
		if (runs == seen)
			continue;
		seen = runs;
		sh->log[__atomic_fetch_add(&sh->nlog, 1, __ATOMIC_SEQ_CST)] = letter;
		logged++;
	}
}

/* A child at priority prio that runs fn(arg) after the common start. */
static pid_t child(int prio, void (*fn)(unsigned), unsigned arg)
{
	envid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		__atomic_fetch_add(&sh->armed, 1, __ATOMIC_SEQ_CST);
		sys_env_wake(parent);
		wait_until(go_given, NULL);
		fn(arg);
		exit(0);
	}
	sys_env_set_priority(pid, prio);
	return pid;
}

static bool all_armed(void *n)
{
	return sh->armed == *(int *)n;
}

/* Starts the children at once (the parent then sleeps in waitpid) and
 * waits for them all. */
static void start(pid_t *pids, int n)
{
	wait_until(all_armed, &n);
	sh->go = 1;
	for (int i = 0; i < n; i++)
		sys_env_wake(pids[i]);
	for (int i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

static void run_low(unsigned unused)
{
	(void)unused;
	low();
}

static void run_a(unsigned n)
{
	take_turns('A', n);
}

static void run_b(unsigned n)
{
	take_turns('B', n);
}

static void high_vs_low(unsigned slices)
{
	pid_t pids[2];
	memset((void *)sh, 0, sizeof *sh);
	pids[0] = sh->low = child(1, run_low, 0);
	pids[1] = child(2, high, slices);
	start(pids, 2);
}

int main(void)
{
	if (sys_page_alloc(0, SHARED, PTE_R | PTE_W | PTE_SHARE) < 0)
		panic("no shared page");
	high_vs_low(4);
	printf("prio: high ran 4 slices, low ran %lu meanwhile; low first ran after high was done: "
	       "%s\n",
	       (unsigned long)sh->low_runs_during_high, sh->high_done_when_low_ran ? "yes" : "no");
	high_vs_low(40);
	printf("prio: aging: high ran 40 slices, low ran %lu meanwhile\n",
	       (unsigned long)sh->low_runs_during_high);
	memset((void *)sh, 0, sizeof *sh);
	pid_t pids[2] = {child(1, run_a, 6), child(1, run_b, 6)};
	start(pids, 2);
	printf("prio: equal pair: %s\n", (const char *)sh->log);
	return 0;
}
