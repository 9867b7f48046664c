/* stresssched: 20 children each yield 10 times and exit with their
 * number; the parent waits for all of them and checks each status. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

#define NCHILD 20
#define YIELDS 10

int main(void)
{
	pid_t kids[NCHILD];
	for (int i = 0; i < NCHILD; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			panic("fork %d failed", i);
		if (kids[i] == 0) {
			for (int j = 0; j < YIELDS; j++)
				sys_yield();
			printf("stresssched: child %d (%08x) yielded %d times, ran %d times\n", i,
			       (unsigned)thisenv->env_id, YIELDS, (int)thisenv->env_runs);
			exit(i);
		}
	}
	int done = 0;
	for (int i = 0; i < NCHILD; i++) {
		int status;
		pid_t pid = waitpid(kids[i], &status, 0);
		if (pid == kids[i] && WIFEXITED(status) && WEXITSTATUS(status) == i)
			done++;
		else
			printf("stresssched: child %d (%08x): waitpid %x, status %x\n", i,
			       (unsigned)kids[i], (unsigned)pid, status);
	}
	printf("stresssched: all %d done\n", done);
	return done != NCHILD;
}
