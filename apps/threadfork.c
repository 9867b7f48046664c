/* fork and waitpid in a threaded process. A thread forks: the child has
 * only that thread (and can make new ones). The forking thread blocks in
 * waitpid while a worker keeps counting: blocking is per thread. Then
 * every thread blocks, and a second child sees the whole env asleep. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libos.h"

static volatile unsigned long counted;
static volatile bool stop;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void *counter(void *arg)
{
	while (!stop)
		counted++;
	return arg;
}

static void *sleeper(void *arg)
{
	pthread_mutex_lock(&lock);
	pthread_cond_wait(&never, &lock); /* main cancels nothing: exit ends it */
	pthread_mutex_unlock(&lock);
	return arg;
}

static void *in_child(void *arg)
{
	return (void *)((long)arg + 1);
}

/* Spins for n of this env's time slices. */
static void spin_slices(unsigned n)
{
	uint64_t start = thisenv->env_runs;
	while (thisenv->env_runs - start < n)
		;
}

static void first_child(pthread_t forker)
{
	pthread_t t;
	void *ret;
	printf("child: only the forking thread: %s\n", pthread_self() == forker ? "yes" : "no");
	int r = pthread_create(&t, NULL, in_child, (void *)41L);
	if (r == 0)
		r = pthread_join(t, &ret);
	printf("child: a new thread returned %ld\n", r == 0 ? (long)ret : -1L);
	spin_slices(4); /* so the parent's worker counts meanwhile */
	exit(7);
}

/* Watches the parent while all of its threads are blocked. */
static void second_child(envid_t parent)
{
	const volatile struct env_info *p = &envs[ENVX(parent)];
	for (int i = 0; i < 100 && p->env_status != ENV_NOT_RUNNABLE; i++)
		sys_yield();
	uint64_t runs = p->env_runs;
	spin_slices(4);
	printf("child: parent asleep: %s; it ran meanwhile: %s\n",
	       p->env_status == ENV_NOT_RUNNABLE ? "yes" : "no",
	       p->env_runs != runs ? "yes" : "no");
	exit(0);
}

static void *forker(void *arg)
{
	pthread_t me = pthread_self();
	pid_t pid = fork();
	if (pid == 0)
		first_child(me);
	unsigned long before = counted;
	int status;
	waitpid(pid, &status, 0);
	printf("fork: child exited with %d; worker counted during waitpid: %s\n",
	       WEXITSTATUS(status), counted != before ? "yes" : "no");
	stop = true;
	envid_t parent = getpid();
	pid = fork();
	if (pid == 0)
		second_child(parent);
	waitpid(pid, &status, 0); /* every thread blocks now */
	return arg;
}

int main(void)
{
	pthread_t c, s, f;
	pthread_create(&c, NULL, counter, NULL);
	pthread_create(&s, NULL, sleeper, NULL);
	pthread_create(&f, NULL, forker, NULL);
	pthread_join(f, NULL);
	pthread_join(c, NULL);
	printf("fork: done\n");
	return 0;
}
