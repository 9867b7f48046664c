/* primes: the concurrent prime sieve. A generator sends 2, 3, 4, ... by
 * IPC to a chain of processes, one per prime: each prints the first
 * number it gets (its prime), forks the next stage and passes on what
 * its prime does not divide. 0 ends the chain; every stage waits for the
 * next before it exits. "primes N" sieves up to N (default 1000). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

static pid_t fork_stage(void);

/* One stage: its prime is the first number it receives (0: the end). */
static void stage(void)
{
	envid_t from;
	uint64_t p = ipc_recv(&from, NULL, NULL);
	if (p == 0)
		exit(0);
	printf("%d\n", (int)p);
	pid_t next = fork_stage();
	for (;;) {
		uint64_t i = ipc_recv(&from, NULL, NULL);
		if (i == 0 || i % p)
			ipc_send(next, i, NULL, 0);
		if (i == 0)
			break;
	}
	int status;
	if (waitpid(next, &status, 0) != next || !WIFEXITED(status) || WEXITSTATUS(status))
		panic("stage %d: the next stage failed (status %x)", (int)p, status);
	exit(0);
}

static pid_t fork_stage(void)
{
	pid_t pid = fork();
	if (pid < 0)
		panic("fork: out of processes or memory");
	if (pid == 0)
		stage(); /* does not return */
	return pid;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	pid_t first = fork_stage();
	for (int i = 2; i <= n; i++)
		ipc_send(first, (uint64_t)i, NULL, 0);
	ipc_send(first, 0, NULL, 0);
	int status;
	if (waitpid(first, &status, 0) != first || !WIFEXITED(status) || WEXITSTATUS(status))
		panic("the sieve failed (status %x)", status);
	printf("primes: done up to %d\n", n);
	return 0;
}
