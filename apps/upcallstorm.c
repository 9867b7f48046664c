/* upcallstorm: asynchronous upcalls landing anywhere, the middle of the
 * trampoline's register restore included. Four threads each make 100000
 * ebreak round trips through the upcall trampoline with a value carried
 * in a register across each; the timer switches them every 100 us; the
 * parent sends SIGUSR1 over and over, each delivered wherever the process
 * was stopped. Every thread's sum must come out exact. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libos.h"

#define NTHR 4
#define ROUNDS 100000L

static volatile long signals;

static void on_usr1(int sig)
{
	(void)sig;
	signals++;
}

static void skip_ebreak(struct upcall_frame *uf)
{
	uf->tf.pc += 4;
}

static void *worker(void *arg)
{
	long seed = (long)arg, sum = 0;
	for (long i = 0; i < ROUNDS; i++) {
		register long v asm("s1") = seed + i; /* lives in a register across the upcall */
		asm volatile(".option push\n.option norvc\nebreak\n.option pop"
			     : "+r"(v)::"memory");
		sum += v;
	}
	return (void *)(long)(sum == ROUNDS * seed + ROUNDS * (ROUNDS - 1) / 2);
}

/* The parent signals the child as long as it lives. */
static void pester(pid_t child)
{
	const volatile struct env_info *e = &envs[ENVX(child)];
	while (e->env_id == child && e->env_status != ENV_ZOMBIE) {
		kill(child, SIGUSR1);
		sys_yield();
	}
	int status;
	waitpid(child, &status, 0);
	printf("upcallstorm: child exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int main(void)
{
	signal(SIGUSR1, on_usr1);
	pid_t child = fork();
	if (child > 0) {
		pester(child);
		return 0;
	}
	set_exception_handler(CAUSE_BREAKPOINT, skip_ebreak);
	pthread_settick_np(100);
	pthread_t t[NTHR];
	for (long i = 0; i < NTHR; i++)
		pthread_create(&t[i], NULL, worker, (void *)(i * 1000003));
	long exact = 0;
	for (int i = 0; i < NTHR; i++) {
		void *ok;
		pthread_join(t[i], &ok);
		exact += (long)ok;
	}
	printf("upcallstorm: %ld of %d threads exact after %ld ebreak round trips each\n", exact,
	       NTHR, ROUNDS);
	printf("upcallstorm: %ld signals taken\n", signals);
	return 0;
}
