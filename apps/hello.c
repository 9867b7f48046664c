/* hello: the first program. */
#include <stdio.h>

#include "libos.h"

int main(void)
{
	printf("hello, world\n");
	printf("i am environment %08x\n", (unsigned)thisenv->env_id);
	return 0;
}
