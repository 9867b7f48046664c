/* faultbadhandler: a child points its upcall at unmapped memory (with a
 * good exception stack) and faults: each upcall faults again, one frame
 * lower, until the exception stack overflows and the kernel destroys it;
 * the parent learns it died of a fault and goes on. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libos.h"

static void child(void)
{
	printf("child %08x: upcall entry at deadbeef, then faulting\n", (unsigned)thisenv->env_id);
	int r = sys_env_set_upcall(0, 0xdeadbeef, UXSTACK_LO, UXSTACKTOP);
	if (r < 0)
		panic("sys_env_set_upcall: %s", exov_strerror(r));
	*(volatile int *)0 = 0;
	panic("not reached: the write to 0 returned");
}

int main(void)
{
	pid_t pid = fork();
	if (pid < 0)
		panic("fork failed");
	if (pid == 0)
		child();
	int code = -1;
	int kind = wait_env(pid, &code);
	printf("parent: child %08x died of %s, cause %d\n", (unsigned)pid,
	       kind == EXIT_FAULT ? "a fault" : "something else", code);
	return 0;
}
