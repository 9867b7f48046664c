/* faultnostack: a child registers the upcall but unmaps its exception
 * stack, then faults: the kernel cannot push the frame and destroys it;
 * the parent learns it died of a fault and goes on. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libos.h"

extern char upcall_entry[];

static void child(void)
{
	printf("child %08x: unmapping the exception stack, then faulting\n",
	       (unsigned)thisenv->env_id);
	for (uintptr_t va = UXSTACK_LO; va < UXSTACKTOP; va += PGSIZE)
		sys_page_unmap(0, va);
	int r = sys_env_set_upcall(0, (uintptr_t)upcall_entry, UXSTACK_LO, UXSTACKTOP);
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
