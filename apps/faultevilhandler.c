/* faultevilhandler: a child with exceptions turned off tries to point its
 * upcall into the kernel; the kernel refuses, and the later fault
 * destroys the child with the plain message (no upcall ran); the parent
 * learns it died of a fault and goes on. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libos.h"

static void child(void)
{
	printf("child %08x: exceptions off, upcall entry in the kernel, then faulting\n",
	       (unsigned)thisenv->env_id);
	/* No upcall: as a fresh env with no handler. */
	sys_env_set_upcall(0, 0, 0, 0);
	int r1 = sys_env_set_upcall(0, KERNEL_VMA, UXSTACK_LO, UXSTACKTOP);
	int r2 = sys_env_set_upcall(0, DIRECT_MAP + 0x80200000UL, UXSTACK_LO, UXSTACKTOP);
	/* The console buffer was written above, so printing copies nothing. */
	printf("child: upcall at KERNEL_VMA: %s; in the direct map: %s\n", exov_strerror(r1),
	       exov_strerror(r2));
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
