/* sendpage: a parent sends its forked child a page holding a string by
 * IPC; the child checks it, writes its answer into the page and sends
 * the page back. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

#define TEMP_ADDR ((char *)0xa00000)
#define TEMP_ADDR_CHILD ((char *)0xb00000)

static const char str1[] = "hello child environment! how are you?";
static const char str2[] = "hello parent environment! I'm good.";

int main(void)
{
	envid_t who = fork();
	if (who < 0)
		panic("fork failed");
	uint64_t perm;
	if (who == 0) {
		ipc_recv(&who, TEMP_ADDR_CHILD, &perm);
		printf("%x got message from %x: %s\n", (unsigned)thisenv->env_id, (unsigned)who,
		       TEMP_ADDR_CHILD);
		if (strcmp(TEMP_ADDR_CHILD, str1) == 0 && (perm & PTE_W))
			printf("child received correct message\n");
		memcpy(TEMP_ADDR_CHILD, str2, sizeof str2);
		ipc_send(who, 0, TEMP_ADDR_CHILD, PTE_R | PTE_W);
		return 0;
	}
	int r = sys_page_alloc(0, (uintptr_t)TEMP_ADDR, PTE_R | PTE_W);
	if (r < 0)
		panic("sys_page_alloc: %s", exov_strerror(r));
	memcpy(TEMP_ADDR, str1, sizeof str1);
	ipc_send(who, 0, TEMP_ADDR, PTE_R | PTE_W);
	ipc_recv(&who, TEMP_ADDR, &perm);
	printf("%x got message from %x: %s\n", (unsigned)thisenv->env_id, (unsigned)who, TEMP_ADDR);
	if (strcmp(TEMP_ADDR, str2) == 0 && (perm & PTE_W))
		printf("parent received correct message\n");
	waitpid(who, NULL, 0);
	return 0;
}
