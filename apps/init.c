/* init: the first process: runs the shell, again each time it exits (init N: N shells). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

#define QUICK_DEATHS 5 /* give up after this many shells die at once in a row */

static uint64_t rdtime(void)
{
	uint64_t t;
	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

/* Runs one shell to its end; returns its wait status, or -1. */
static int run_shell(void)
{
	static char *const argv[] = {"sh", NULL};
	static char *const envp[] = {"PATH=/bin", "HOME=/", NULL};
	pid_t pid = spawnve("/bin/sh", argv, envp);
	if (pid < 0) {
		fprintf(stderr, "init: cannot start /bin/sh: %s\n", strerror(errno));
		return -1;
	}
	int status;
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return status;
}

static void say_why(int status, bool again)
{
	if (WIFSIGNALED(status))
		printf("init: the shell was killed by signal %d", WTERMSIG(status));
	else
		printf("init: the shell exited with status %d", WEXITSTATUS(status));
	printf(again ? "; starting a new one\n" : "\n");
}

int main(int argc, char **argv)
{
	long runs = argc > 1 ? atol(argv[1]) : 0; /* 0: for ever */
	int quick = 0;
	for (long run = 1;; run++) {
		uint64_t start = rdtime();
		int status = run_shell();
		if (status < 0)
			return 1;
		bool was_quick = rdtime() - start < sysinfo->timebase_hz;
		quick = was_quick ? quick + 1 : 0;
		if (quick == QUICK_DEATHS) {
			printf("init: the shell keeps exiting at once; giving up\n");
			return 1;
		}
		say_why(status, run != runs);
		if (run == runs)
			return 0;
	}
}
