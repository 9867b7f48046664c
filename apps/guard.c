/* Guard pages: deep recursion in a thread runs into the unmapped page
 * below its stack, and the library OS reports it as that thread's stack
 * overflow (the process then dies of the fault, SIGSEGV), instead of
 * running over other memory. The same for the main thread. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned long limit = ~0UL; /* never reached */

static __attribute__((noinline)) unsigned long recurse(unsigned long n)
{
	volatile char frame[200];
	frame[0] = (char)n;
	return n == limit ? 0 : recurse(n + 1) + frame[0];
}

static void *overflow(void *arg)
{
	printf("guard: thread %lu recursing\n", pthread_self());
	recurse(0);
	return arg;
}

static void *idle(void *arg)
{
	for (;;)
		sched_yield();
	return arg;
}

/* In a child: a bystander thread, and one with a 64 KiB stack that
 * recurses without end. */
static void thread_case(void)
{
	pthread_t a, b;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_create(&a, NULL, idle, NULL);
	pthread_create(&b, &attr, overflow, NULL);
	pthread_join(b, NULL);
	printf("guard: not reached\n");
	exit(0);
}

static void main_case(void)
{
	printf("guard: thread %lu (main) recursing\n", pthread_self());
	recurse(0);
}

static void run(const char *what, void (*fn)(void))
{
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("guard: %s child killed by signal %d\n", what, WTERMSIG(status));
	else
		printf("guard: %s child exited with %d\n", what, WEXITSTATUS(status));
}

int main(void)
{
	run("thread", thread_case);
	run("main", main_case);
	return 0;
}
