/* orphanfork: a parent makes a child with exofork and exits before it
 * makes the child runnable (as when a parent dies in the middle of fork).
 * Nobody may act on the orphan now; nothing must linger: the machine
 * must still power off with every page back. */
#include <stdio.h>

#include "libos.h"

int main(void)
{
	envid_t child = sys_exofork();
	if (child == 0)
		for (;;) /* never runs */
			;
	if (child < 0)
		panic("sys_exofork: %s", exov_strerror(child));
	sys_page_alloc(child, UTEXT, PTE_R | PTE_W); /* it holds a page, too */
	printf("orphanfork: made %08x, exiting without starting it\n", (unsigned)child);
	return 0;
}
