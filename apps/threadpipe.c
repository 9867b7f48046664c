/* Blocking is per thread: one thread blocks reading an empty pipe while
 * another keeps printing; then main writes four times the pipe's size in
 * one write, so it blocks on the full pipe until the reader (another
 * thread of the same process) drains it, and the reader wakes each time
 * there is data. Every byte must arrive, in order. Then a reader thread
 * waits for a child process's write while main waits for the child:
 * every thread blocks, the env sleeps, and the child's write wakes it. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libos.h"

#define TOTAL (64 * 1024)

static int fds[2];
static volatile bool got_data;
static long reads, bytes, out_of_order;

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static void *reader(void *arg)
{
	static unsigned char buf[4096];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof buf)) > 0) {
		got_data = true;
		for (ssize_t i = 0; i < n; i++)
			out_of_order += buf[i] != pattern(bytes + i);
		bytes += n;
		reads++;
	}
	return arg;
}

static void *printer(void *arg)
{
	for (int i = 0; i < 10; i++)
		printf("threadpipe: printer line %d; reader has data: %s\n", i,
		       got_data ? "yes" : "no");
	return arg;
}

static int q[2];
static char line[64];

static void *reader2(void *arg)
{
	ssize_t n = read(q[0], line, sizeof line - 1);
	line[n > 0 ? n : 0] = 0;
	return arg;
}

/* The child: once its parent sleeps, writes to it. */
static void child(envid_t parent)
{
	close(q[0]);
	const volatile struct env_info *p = &envs[ENVX(parent)];
	for (int i = 0; i < 1000 && p->env_status != ENV_NOT_RUNNABLE; i++)
		sys_yield();
	bool asleep = p->env_status == ENV_NOT_RUNNABLE;
	const char *msg = asleep ? "parent was asleep" : "parent was awake";
	write(q[1], msg, strlen(msg));
	exit(0);
}

static void from_another_process(void)
{
	pthread_t r;
	pipe(q);
	pid_t pid = fork();
	if (pid == 0)
		child(getppid());
	close(q[1]);
	pthread_create(&r, NULL, reader2, NULL);
	waitpid(pid, NULL, 0);
	pthread_join(r, NULL);
	printf("threadpipe: from the child: %s\n", line);
}

int main(void)
{
	static unsigned char big[TOTAL];
	pthread_t r, p;
	if (pipe(fds) < 0)
		return 1;
	for (long i = 0; i < TOTAL; i++)
		big[i] = pattern(i);
	pthread_create(&r, NULL, reader, NULL);
	pthread_create(&p, NULL, printer, NULL);
	pthread_join(p, NULL); /* the reader blocks in read meanwhile */
	ssize_t w = write(fds[1], big, TOTAL);
	printf("threadpipe: wrote %ld bytes in one write; the reader read during it: %s\n", (long)w,
	       got_data ? "yes" : "no");
	close(fds[1]);
	pthread_join(r, NULL);
	printf("threadpipe: reader got %ld bytes in %ld reads, %ld out of order\n", bytes, reads,
	       out_of_order);
	from_another_process();
	return 0;
}
