/* cowtest: fork is copy-on-write. With 4 MiB of data touched, the child
 * copies exactly one page for one write and none for reading it all;
 * then parent and child write different values to the same pages and
 * each sees only its own, and the rest of the data is intact in both. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

#define NPAGES 1024 /* 4 MiB */
#define CHILD_PAGE 100

static uint8_t data[NPAGES * PGSIZE] __attribute__((aligned(PGSIZE)));
static const int shared_pages[] = {0, 1, 511, 1023};
#define NSHARED (int)(sizeof shared_pages / sizeof shared_pages[0])

static uint8_t pattern(int page, int off)
{
	return (uint8_t)(page * 13 + off + 1);
}

static volatile uint64_t *word(int page)
{
	return (volatile uint64_t *)&data[page * PGSIZE + 64];
}

/* Offsets checked on every page; 64..71 is where the writes go. */
static const int offsets[] = {0, 1, 63, 72, 2048, PGSIZE - 1};

/* Counts bytes of the untouched pages (all but skip and the shared ones)
 * that lost their pre-fork pattern. */
static int check_rest(int skip)
{
	int bad = 0;
	for (int page = 0; page < NPAGES; page++) {
		int shared = page == skip;
		for (int i = 0; i < NSHARED; i++)
			shared |= page == shared_pages[i];
		for (unsigned i = 0; i < sizeof offsets / sizeof offsets[0]; i++)
			bad += ((volatile uint8_t *)data)[page * PGSIZE + offsets[i]] !=
			       pattern(page, offsets[i]);
		if (!shared)
			bad += *word(page) != 0;
	}
	return bad;
}

/* Writes who's value to the shared pages. */
static void write_own(uint64_t who)
{
	for (int i = 0; i < NSHARED; i++)
		*word(shared_pages[i]) = who << 32 | (uint64_t)shared_pages[i];
}

static int check_own(uint64_t who)
{
	int bad = 0;
	for (int i = 0; i < NSHARED; i++)
		bad += *word(shared_pages[i]) != (who << 32 | (uint64_t)shared_pages[i]);
	return bad;
}

static int child(envid_t parent)
{
	uint64_t c0 = cow_copy_count();
	*word(CHILD_PAGE) = 0xc0ffee;
	asm volatile("" ::: "memory");
	uint64_t c1 = cow_copy_count();
	printf("cowtest: child copied %lu page%s for 1 write\n", (unsigned long)(c1 - c0),
	       c1 - c0 == 1 ? "" : "s");
	c0 = cow_copy_count();
	int bad = check_rest(CHILD_PAGE);
	c1 = cow_copy_count();
	printf("cowtest: child read 4 MiB and copied %lu pages; %d bytes differ\n",
	       (unsigned long)(c1 - c0), bad);
	write_own(0xc);
	ipc_send(parent, 1, NULL, 0); /* I have written */
	ipc_recv(NULL, NULL, NULL);   /* so has the parent */
	int own = check_own(0xc);
	printf("cowtest: child sees %s\n", own ? "the parent's writes" : "only its own writes");
	bad += own + (*word(CHILD_PAGE) != 0xc0ffee);
	return bad != 0;
}

int main(void)
{
	for (int page = 0; page < NPAGES; page++)
		for (int off = 0; off < (int)PGSIZE; off++)
			data[page * PGSIZE + off] = pattern(page, off);
	for (int page = 0; page < NPAGES; page++)
		*word(page) = 0;
	printf("cowtest: forking with 4 MiB of data touched\n");
	envid_t parent = thisenv->env_id;
	pid_t pid = fork();
	if (pid < 0)
		panic("fork failed");
	if (pid == 0)
		exit(child(parent));
	write_own(0xa);
	envid_t from;
	ipc_recv(&from, NULL, NULL); /* the child has written */
	ipc_send(pid, 1, NULL, 0);
	int own = check_own(0xa);
	int rest = check_rest(-1);
	printf("cowtest: parent sees %s; %d bytes of the rest differ\n",
	       own ? "the child's writes" : "only its own writes", rest);
	int status;
	if (waitpid(pid, &status, 0) != pid)
		panic("waitpid failed");
	printf("cowtest: child exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return own || rest;
}
