/* waittest: the lecture's fork, waitpid and exit-status examples: exit
 * codes, deaths by fault (SIGSEGV, SIGILL), WNOHANG, waiting for any
 * child until ECHILD, waitpid on a non-child, and an orphan. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

/* The lecture's status decoding. */
static void print_status(pid_t child_pid, int status)
{
	printf("[%d] ", (int)child_pid);
	if (WIFEXITED(status)) {
		printf("main returned or exit called with %d\n", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		printf("killed by signal %d (control-C causes signal %d)\n", WTERMSIG(status),
		       SIGINT);
	} else {
		printf("status %#x\n", status);
	}
}

static const char *sig_name(int sig)
{
	return sig == SIGSEGV ? "SIGSEGV" : sig == SIGILL ? "SIGILL" : "another signal";
}

/* The lecture's fork example. */
static void fork_example(void)
{
	pid_t pid = getpid();
	printf("Parent pid: %d\n", (int)pid);
	fflush(stdout);
	pid_t child_pid = fork();
	if (child_pid > 0) { /* Parent Process */
		pid_t my_pid = getpid();
		printf("[%d] parent of [%d]\n", (int)my_pid, (int)child_pid);
		waitpid(child_pid, NULL, 0);
	} else if (child_pid == 0) { /* Child Process */
		pid_t my_pid = getpid();
		printf("[%d] child\n", (int)my_pid);
		exit(0);
	} else {
		perror("Fork failed");
	}
}

/* Children end in different ways; waitpid collects them in order. */
static const int codes[] = {0, 1, 42, 255, 256, -1, 7};

static void exit_statuses(void)
{
	int n = sizeof codes / sizeof codes[0];
	pid_t pids[sizeof codes / sizeof codes[0]];
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			panic("fork: %s", strerror(errno));
		if (pids[i] == 0) {
			if (i == n - 1)
				_exit(codes[i]);
			exit(codes[i]);
		}
	}
	for (int i = 0; i < n; i++) {
		int status;
		pid_t r = waitpid(pids[i], &status, 0);
		printf("exit(%d): waitpid %s, ", codes[i], r == pids[i] ? "ok" : "FAILED");
		print_status(pids[i], status);
	}
}

/* Children that die of exceptions are reported as killed by a signal. */
static void fault_deaths(void)
{
	const char *what[] = {"writes address 0", "reads address 0", "jumps to address 0",
			      "runs an illegal instruction"};
	for (int i = 0; i < 4; i++) {
		fflush(stdout);
		pid_t child = fork();
		if (child == 0) {
			if (i == 0)
				*(volatile int *)0 = 1;
			else if (i == 1)
				printf("read %d\n", *(volatile int *)0);
			else if (i == 2)
				((void (*)(void))0)();
			else
				asm volatile(".word 0xffffffff");
			printf("child: still alive after the fault\n");
			exit(0);
		}
		int status;
		waitpid(child, &status, 0);
		if (WIFSIGNALED(status))
			printf("a child that %s: WIFSIGNALED, WTERMSIG %s\n", what[i],
			       sig_name(WTERMSIG(status)));
		else
			printf("a child that %s: not signaled, status %#x\n", what[i], status);
		print_status(child, status);
	}
}

/* WNOHANG returns 0 while the child runs; the child waits for a message. */
static void no_hang(void)
{
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		ipc_recv(NULL, NULL, NULL);
		exit(5);
	}
	int status = -1;
	pid_t r = waitpid(child, &status, WNOHANG);
	printf("waitpid(child, WNOHANG) while it runs: %d\n", (int)r);
	r = waitpid(-1, &status, WNOHANG);
	printf("waitpid(-1, WNOHANG) while it runs: %d\n", (int)r);
	ipc_send(child, 1, NULL, 0);
	int polls = 0;
	while ((r = waitpid(child, &status, WNOHANG)) == 0) {
		polls++;
		sys_yield();
	}
	printf("waitpid(child, WNOHANG) after the message: %s, %s %d\n",
	       r == child ? "the child" : "WRONG", WIFEXITED(status) ? "exited" : "not exited",
	       WEXITSTATUS(status));
}

/* The lecture's loop: wait for any child until there is none. */
static void wait_all(void)
{
	const int n = 3;
	pid_t pids[3];
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			for (int j = 0; j < (n - i) * 3; j++) /* the last born ends first */
				sys_yield();
			exit(10 + i);
		}
	}
	int status, done = 0, sum = 0;
	while (1) {
		pid_t child_pid = waitpid(-1, &status, 0);
		if (child_pid == (pid_t)-1) {
			if (errno == ECHILD) {
				/* no child process to wait for */
				printf("waitpid(-1): no child process to wait for (ECHILD)\n");
				break;
			} else {
				printf("waitpid(-1): error %s\n", strerror(errno));
				break;
			}
		}
		/* handle child_pid exiting */
		int i = 0;
		while (i < n && pids[i] != child_pid)
			i++;
		if (i < n && WIFEXITED(status) && WEXITSTATUS(status) == 10 + i) {
			done++;
			sum += WEXITSTATUS(status);
		}
	}
	printf("waited for %d children, exit codes add up to %d\n", done, sum);
	errno = 0;
	pid_t r = wait(&status);
	printf("wait() with no children: %d, %s\n", (int)r,
	       errno == ECHILD ? "ECHILD" : strerror(errno));
}

/* waitpid only works on one's own children; an orphan loses its parent. */
static void not_my_child(void)
{
	pid_t me = getpid();
	errno = 0;
	pid_t r = waitpid(me, NULL, 0);
	printf("waitpid(myself): %d, %s\n", (int)r, errno == ECHILD ? "ECHILD" : strerror(errno));

	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		errno = 0;
		r = waitpid(getppid(), NULL, WNOHANG);
		printf("child: waitpid(my parent): %d, %s\n", (int)r,
		       errno == ECHILD ? "ECHILD" : strerror(errno));
		fflush(stdout);
		pid_t parent = getpid();
		pid_t grandchild = fork();
		if (grandchild == 0) {
			ipc_send(me, (uint64_t)getpid(), NULL, 0);
			/* Told to go on once its parent is gone and the
			 * grandparent has tried to wait for it. */
			ipc_recv(NULL, NULL, NULL);
			printf("grandchild: my parent %d is gone; getppid() = %d\n", (int)parent,
			       (int)getppid());
			printf("grandchild: orphan exiting\n");
			exit(3);
		}
		exit(0); /* without waiting: the grandchild is orphaned */
	}
	envid_t from;
	pid_t grandchild = (pid_t)ipc_recv(&from, NULL, NULL);
	int status;
	r = waitpid(child, &status, 0);
	printf("child exited: %s\n", r == child && WIFEXITED(status) ? "yes" : "no");
	errno = 0;
	r = waitpid(grandchild, &status, 0);
	printf("waitpid(grandchild): %d, %s\n", (int)r,
	       errno == ECHILD ? "ECHILD" : strerror(errno));
	errno = 0;
	r = waitpid(child, &status, 0);
	printf("waitpid(child) again: %d, %s\n", (int)r,
	       errno == ECHILD ? "ECHILD" : strerror(errno));
	ipc_send(grandchild, 0, NULL, 0);
	while (envs[ENVX(grandchild)].env_id == grandchild &&
	       envs[ENVX(grandchild)].env_status != ENV_FREE)
		sys_yield();
	printf("the orphan is gone: the kernel reaped it\n");
}

int main(void)
{
	fork_example();
	exit_statuses();
	fault_deaths();
	no_hang();
	wait_all();
	not_my_child();
	printf("waittest: done\n");
	return 0;
}
