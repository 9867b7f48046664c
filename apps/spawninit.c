/* spawninit: the parent prints its id and spawns /bin/initcheck as
 * 'init' 'one' 'two' (the spawn lab's argument-passing example). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "process.h"

int main(void)
{
	printf("i am parent environment %08x\n", (unsigned)thisenv->env_id);
	if (spawnl("/bin/initcheck", "init", "one", "two", NULL) < 0)
		panic("spawnl(/bin/initcheck): %s", strerror(errno));
	return 0;
}
