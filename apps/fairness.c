/* fairness: CPU-bound children spin while the parent yields many times;
 * then the parent reads how often each child got the CPU (env_runs in
 * the env table) and kills them. Round robin gives them equal shares. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

#define NCHILD 5
#define ROUNDS 40

int main(void)
{
	pid_t kids[NCHILD];
	for (int i = 0; i < NCHILD; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			panic("fork %d failed", i);
		if (kids[i] == 0)
			for (;;) /* spin; only the timer takes the CPU away */
				;
	}
	for (int r = 0; r < ROUNDS; r++)
		sys_yield();
	uint64_t runs[NCHILD], min = UINT64_MAX, max = 0;
	for (int i = 0; i < NCHILD; i++) {
		runs[i] = envs[ENVX(kids[i])].env_runs;
		min = runs[i] < min ? runs[i] : min;
		max = runs[i] > max ? runs[i] : max;
	}
	for (int i = 0; i < NCHILD; i++) {
		if (kill(kids[i], SIGKILL) < 0)
			panic("kill %08x failed", (unsigned)kids[i]);
		int status;
		if (waitpid(kids[i], &status, 0) != kids[i])
			panic("waitpid %08x failed", (unsigned)kids[i]);
	}
	for (int i = 0; i < NCHILD; i++)
		printf("fairness: child %08x ran %lu times\n", (unsigned)kids[i],
		       (unsigned long)runs[i]);
	printf("fairness: parent ran %lu times; children min %lu max %lu\n",
	       (unsigned long)thisenv->env_runs, (unsigned long)min, (unsigned long)max);
	return 0;
}
