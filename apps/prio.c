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
	volatile envid_t pair[2];	 /* the equal-priority pair, A and B */
	volatile uint64_t pair_start[2]; /* their env_runs at the start */
	volatile uint64_t pair_apart[2]; /* most slices one was ahead, seen by each */
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

/* How many slices one of the pair is ahead of the other. */
static uint64_t apart(void)
{
	uint64_t a = envs[ENVX(sh->pair[0])].env_runs - sh->pair_start[0];
	uint64_t b = envs[ENVX(sh->pair[1])].env_runs - sh->pair_start[1];
	return a > b ? a - b : b - a;
}

/* For n of its slices: logs letter at the start of each (a slice in which
 * it got no instruction done, on a busy host, goes unlogged) and checks
 * how far apart the pair's slice counts are. */
static void take_turns(char letter, unsigned n)
{
	int me = letter - 'A';
	uint64_t start = thisenv->env_runs, seen = 0;
	for (;;) {
		uint64_t runs = thisenv->env_runs; /* one read per round */
		if (runs - start >= n)
			break;
		if (runs == seen)
			continue;
		seen = runs;
		sh->log[__atomic_fetch_add(&sh->nlog, 1, __ATOMIC_SEQ_CST)] = letter;
		uint64_t d = apart();
		if (d > sh->pair_apart[me])
			sh->pair_apart[me] = d;
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
	for (int i = 0; i < 2; i++)
		sh->pair_start[i] = sh->pair[i] ? envs[ENVX(sh->pair[i])].env_runs : 0;
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
	sh->pair[0] = pids[0];
	sh->pair[1] = pids[1];
	start(pids, 2);
	uint64_t most =
		sh->pair_apart[0] > sh->pair_apart[1] ? sh->pair_apart[0] : sh->pair_apart[1];
	printf("prio: equal pair: %s; one ahead of the other by at most %lu slice\n",
	       (const char *)sh->log, (unsigned long)most);
	return 0;
}
