/* spin: a child that never yields is preempted; the parent gets the CPU
 * back and destroys it. */
#include <stdio.h>

#include "libos.h"

int main(void)
{
	printf("I am the parent.  Forking the child...\n");
	envid_t child = dumbfork();
	if (child < 0)
		panic("dumbfork: %s", exov_strerror(child));
	if (child == 0) {
		printf("I am the child.  Spinning...\n");
		for (;;)
			;
	}
	printf("I am the parent.  Running the child...\n");
	for (int i = 0; i < 8; i++)
		sys_yield();
	printf("I am the parent.  Killing the child...\n");
	int r = sys_env_destroy(child, 0);
	printf("destroy: %d, child is now %s\n", r,
	       envs[ENVX(child)].env_status == ENV_ZOMBIE ? "a zombie" : "not a zombie");
	sys_env_destroy(child, 0); /* reap */
	return 0;
}
