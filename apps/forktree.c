/* forktree: a binary tree of processes three levels deep, made with fork;
 * each prints its id and its branch string ('' for the root). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libos.h"

#define DEPTH 3

static void forktree(const char *cur);

static void forkchild(const char *cur, char branch)
{
	char nxt[DEPTH + 1];
	if (strlen(cur) >= DEPTH)
		return;
	snprintf(nxt, sizeof nxt, "%s%c", cur, branch);
	pid_t pid = fork();
	if (pid < 0)
		panic("fork: %s", strerror(errno));
	if (pid == 0) {
		forktree(nxt);
		exit(0);
	}
}

static void forktree(const char *cur)
{
	printf("%04x: I am '%s'\n", (unsigned)sys_getenvid(), cur);
	forkchild(cur, '0');
	forkchild(cur, '1');
}

int main(void)
{
	forktree("");
	return 0;
}
