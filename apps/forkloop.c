/* forkloop: 1000 rounds of fork, exit and waitpid; afterwards exactly as
 * many pages are free as before. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

#define ROUNDS 1000

/* One round: the child exits with code; returns whether waitpid saw it. */
static int round_trip(int code)
{
	pid_t pid = fork();
	if (pid < 0)
		panic("fork failed");
	if (pid == 0)
		exit(code);
	int status;
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

int main(void)
{
	round_trip(0); /* a warm-up makes the page tables fork's scratch pages need */
	uint64_t before = sysinfo->free_pages;
	int ok = 0;
	for (int i = 0; i < ROUNDS; i++)
		ok += round_trip(i & 0x7f);
	uint64_t after = sysinfo->free_pages;
	printf("forkloop: %d forks, %d exit statuses right; free pages before %lu, after %lu\n",
	       ROUNDS, ok, (unsigned long)before, (unsigned long)after);
	return ok != ROUNDS;
}
