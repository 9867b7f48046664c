/* spawnhello: the parent prints its id, spawns hello and exits without
 * waiting (the spawn lab's first example). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "process.h"

int main(void)
{
	printf("i am parent environment %08x\n", (unsigned)thisenv->env_id);
	if (spawnl("hello", "hello", NULL) < 0)
		panic("spawnl(hello): %s", strerror(errno));
	return 0;
}
