/* pingpong: a parent and its forked child bounce a counter by IPC until
 * it reaches 10; each prints what it got and from whom. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

int main(void)
{
	envid_t child = fork(), who = child;
	if (child < 0)
		panic("fork failed");
	if (child != 0) {
		printf("send 0 from %x to %x\n", (unsigned)sys_getenvid(), (unsigned)who);
		ipc_send(who, 0, NULL, 0);
	}
	for (;;) {
		uint64_t i = ipc_recv(&who, NULL, NULL);
		printf("%x got %d from %x\n", (unsigned)sys_getenvid(), (int)i, (unsigned)who);
		if (i == 10)
			break;
		i++;
		ipc_send(who, i, NULL, 0);
		if (i == 10)
			break;
	}
	if (child)
		waitpid(child, NULL, 0);
	return 0;
}
