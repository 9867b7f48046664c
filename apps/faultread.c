/* faultread: a child reads address 0 with no handler and is destroyed;
 * the parent goes on. */
#include <stdio.h>

#include "libos.h"

int main(void)
{
	envid_t child = dumbfork();
	if (child == 0) {
		printf("I read %08x from location 0!\n", *(volatile unsigned *)0);
		return 0;
	}
	int code;
	int kind = wait_env(child, &code);
	printf("parent: child %08x died of %s, cause %d\n", (unsigned)child,
	       kind == EXIT_FAULT ? "a fault" : "something else", code);
	return 0;
}
