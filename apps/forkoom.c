/* forkoom: fork when memory is about to run out. For each k in 0..40 a
 * tester process eats free pages until only k are left, then forks:
 * fork must return (a child, or -1 with ENOMEM), never kill the tester
 * in the middle; a tester that dies inside fork leaves its half-made
 * child behind, never started and with no parent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

#define MAX_LEFT 40
#define EAT_BASE 0x100000000UL /* where a tester maps the pages it eats */

enum { FORKED = 10, NOMEM, OTHER_ERROR };

/* Eats pages until at most left are free, then forks. */
static void tester(uint64_t left)
{
	for (uintptr_t va = EAT_BASE; sysinfo->free_pages > left; va += PGSIZE)
		if (sys_page_alloc(0, va, PTE_R) < 0)
			break;
	pid_t pid = fork();
	if (pid == 0)
		exit(0);
	exit(pid > 0 ? FORKED : errno == ENOMEM ? NOMEM : OTHER_ERROR);
}

/* An env that was never started and has no parent: what a parent that
 * died in the middle of fork leaves. */
static int unstarted_orphans(void)
{
	int n = 0;
	for (int i = 0; i < NENV; i++)
		n += envs[i].env_status == ENV_NOT_RUNNABLE && envs[i].env_parent_id == 0 &&
		     envs[i].env_runs == 0;
	return n;
}

int main(void)
{
	int forked = 0, nomem = 0, died_after = 0, died_in_fork = 0, other = 0;
	for (int left = 0; left <= MAX_LEFT; left++) {
		pid_t pid = fork();
		if (pid < 0)
			panic("fork of tester %d failed", left);
		if (pid == 0)
			tester((uint64_t)left);
		int status;
		if (waitpid(pid, &status, 0) != pid)
			panic("waitpid failed");
		if (WIFEXITED(status) && WEXITSTATUS(status) == FORKED)
			forked++;
		else if (WIFEXITED(status) && WEXITSTATUS(status) == NOMEM)
			nomem++;
		else if (WIFSIGNALED(status) && unstarted_orphans()) {
			died_in_fork++;
			printf("forkoom: with %d pages left, the tester died of signal %d inside "
			       "fork\n",
			       left, WTERMSIG(status));
			break; /* its half-made child lingers: stop here */
		} else if (WIFSIGNALED(status))
			died_after++;
		else
			other++;
	}
	printf("forkoom: %d forks, %d ENOMEM, %d died after fork returned, %d died inside fork, "
	       "%d other\n",
	       forked, nomem, died_after, died_in_fork, other);
	return died_in_fork || other;
}
