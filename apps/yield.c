/* yield: three envs take turns with sys_yield. */
#include <stdio.h>

#include "libos.h"

int main(void)
{
	for (int i = 0; i < 2; i++)
		if (dumbfork() == 0)
			break; /* children do not fork further */
	printf("Hello, I am environment %08x.\n", (unsigned)thisenv->env_id);
	for (int i = 0; i < 5; i++) {
		sys_yield();
		printf("Back in environment %08x, iteration %d.\n", (unsigned)thisenv->env_id, i);
	}
	printf("All done in environment %08x.\n", (unsigned)thisenv->env_id);
	return 0;
}
