/* dumbfork: parent and child, made by eager copying, take turns printing. */
#include <stdio.h>

#include "libos.h"

int main(void)
{
	envid_t who = dumbfork();
	if (who < 0)
		panic("dumbfork: %s", exov_strerror(who));
	int n = who ? 10 : 20;
	for (int i = 0; i < n; i++) {
		printf("%d: I am the %s!\n", i, who ? "parent" : "child");
		sys_yield();
	}
	return 0;
}
