/* pipeline N: the five-stage pipeline "filt gen N | filt add 3 | filt mul 2
 * | filt add -1 | filt sum", built as a shell does: pipe, fork, dup2 onto
 * stdin and stdout, close the rest, exec. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libos.h"

#define STAGES 5

int main(int argc, char **argv)
{
	char *stages[STAGES][4] = {
		{"filt", "gen", argc > 1 ? argv[1] : "1000", NULL},
		{"filt", "add", "3", NULL},
		{"filt", "mul", "2", NULL},
		{"filt", "add", "-1", NULL},
		{"filt", "sum", NULL},
	};
	pid_t pids[STAGES];
	int in = -1; /* the read end the next stage takes as stdin */
	for (int i = 0; i < STAGES; i++) {
		int p[2] = {-1, -1};
		if (i < STAGES - 1 && pipe(p) < 0)
			panic("pipe: %s", errno_name(errno));
		if ((pids[i] = fork()) == 0) {
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			}
			if (p[1] >= 0) {
				dup2(p[1], 1);
				close(p[1]);
				close(p[0]);
			}
			execv("/bin/filt", stages[i]);
			exit(127);
		}
		if (in >= 0)
			close(in);
		if (p[1] >= 0)
			close(p[1]);
		in = p[0];
	}
	for (int i = 0; i < STAGES; i++) {
		int status;
		waitpid(pids[i], &status, 0);
		printf("pipeline: stage %d %s %d\n", i, WIFEXITED(status) ? "exited" : "killed",
		       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
	return 0;
}
