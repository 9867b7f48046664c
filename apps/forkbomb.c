/* forkbomb: forks until fork fails; the failure must be -1 with errno
 * EAGAIN (no env slot) or ENOMEM, not a crash, and afterwards everything
 * is reaped and every page comes back. "forkbomb" is the real thing: every
 * process forks (children too), then waits for its own children.
 * "forkbomb linear": only the first process forks; the children wait in
 * ipc_recv until it tells them, one by one, to exit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

static pid_t kids[NENV];
static int nkids;

int main(int argc, char **argv)
{
	bool linear = argc > 1 && strcmp(argv[1], "linear") == 0;
	envid_t root = thisenv->env_id;
	uint64_t before = sysinfo->free_pages;
	int err;
	for (;;) {
		pid_t pid = fork();
		if (pid == 0 && linear) {
			ipc_recv(NULL, NULL, NULL);
			exit(0);
		}
		if (pid == 0) {
			nkids = 0; /* the child bombs on, with no children yet */
			continue;
		}
		if (pid < 0) {
			err = errno;
			break;
		}
		kids[nkids++] = pid;
	}
	int in_use = 0;
	for (int i = 0; i < NENV; i++)
		in_use += envs[i].env_status != ENV_FREE;
	if (thisenv->env_id == root)
		printf("forkbomb: fork failed with -1, errno %d (%s); %d of %d env slots in use\n",
		       err, errno_name(err), in_use, NENV);
	int bad = err != EAGAIN && err != ENOMEM;
	for (int i = 0; i < nkids; i++) {
		if (linear)
			ipc_send(kids[i], 0, NULL, 0);
		int status;
		if (waitpid(kids[i], &status, 0) != kids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad = 1;
	}
	if (thisenv->env_id != root)
		exit(bad);
	printf("forkbomb: %d children of the first process reaped, %s\n", nkids,
	       bad ? "SOME FAILED" : "all clean");
	printf("forkbomb: free pages before %lu, after %lu\n", (unsigned long)before,
	       (unsigned long)sysinfo->free_pages);
	return bad;
}
