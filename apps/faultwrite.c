/* faultwrite: a child writes address 0 with no handler and is destroyed;
 * the parent goes on. */
#include <stdio.h>

#include "libos.h"

int main(void)
{
	envid_t child = dumbfork();
	if (child == 0) {
		*(volatile unsigned *)0 = 0;
		printf("wrote to location 0!\n");
		return 0;
	}
	int code;
	int kind = wait_env(child, &code);
	printf("parent: child %08x died of %s, cause %d\n", (unsigned)child,
	       kind == EXIT_FAULT ? "a fault" : "something else", code);
	return 0;
}
