/* childstorm: 40 children wait in ipc_recv until the parent releases them
 * all at once; they exit before the parent runs again, so 40 death
 * notifications reach it together. The parent must survive them and reap
 * all 40 with wait(). "childstorm N" forks N. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 40;
	pid_t kids[NENV];
	for (int i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			panic("fork %d failed", i);
		if (kids[i] == 0) {
			ipc_recv(NULL, NULL, NULL);
			exit(i & 0x7f);
		}
	}
	for (int i = 0; i < n; i++) /* until every child waits */
		while (!envs[ENVX(kids[i])].env_ipc_recving)
			sys_yield();
	for (int i = 0; i < n; i++) /* all receiving: no send yields */
		ipc_send(kids[i], 0, NULL, 0);
	printf("childstorm: released %d children\n", n);
	int reaped = 0, status, clean = 0;
	while (wait(&status) > 0) {
		reaped++;
		clean += WIFEXITED(status);
	}
	printf("childstorm: %d children, %d reaped, %d exited normally\n", n, reaped, clean);
	return reaped != n;
}
