/* yield: three envs take turns with sys_yield. The two children wait
 * for the parent's word, sent once both exist, before they take turns:
 * a preemption in the middle of the parent's second dumbfork would
 * otherwise let the first child run all its turns before the second one
 * existed. "yield -stall" makes the parent yield 10 times between its
 * forks, which forces that interleaving (tests/test_kernel.py). */
#include <stdio.h>
#include <string.h>

#include "process.h"

/* Waits for the go word, ignoring any other env's messages. */
static void wait_for(envid_t parent)
{
	envid_t from = 0;
	while (from != parent)
		ipc_recv(&from, NULL, NULL);
}

int main(int argc, char **argv)
{
	bool stall = argc > 1 && strcmp(argv[1], "-stall") == 0;
	envid_t parent = sys_getenvid(), kids[2];
	for (int i = 0; i < 2; i++) {
		if ((kids[i] = dumbfork()) == 0) {
			wait_for(parent); /* children do not fork further */
			break;
		}
		if (kids[i] < 0)
			panic("dumbfork: %s", exov_strerror(kids[i]));
		for (int k = 0; stall && i == 0 && k < 10; k++)
			sys_yield();
	}
	if (sys_getenvid() == parent)
		for (int i = 0; i < 2; i++)
			ipc_send(kids[i], 0, NULL, 0);
	printf("Hello, I am environment %08x.\n", (unsigned)thisenv->env_id);
	for (int i = 0; i < 5; i++) {
		sys_yield();
		printf("Back in environment %08x, iteration %d.\n", (unsigned)thisenv->env_id, i);
	}
	printf("All done in environment %08x.\n", (unsigned)thisenv->env_id);
	return 0;
}
