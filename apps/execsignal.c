/* execsignal: signals across exec (POSIX): caught signals go back to
 * their default action, ignored ones stay ignored; a signal sent while
 * the target is in the middle of exec acts as that signal; a signal
 * whose default is to be ignored does not end a process that has not
 * started yet. Run as "execsignal caught|ignored|spawn|race". */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

#define RACE_TRIALS 200
#define CHAIN_MAX 5000

static void on_signal(int sig)
{
	(void)sig;
}

/* How child ended, in words. */
static const char *how(int status)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {{SIGTERM, "SIGTERM"}, {SIGUSR1, "SIGUSR1"}, {SIGCHLD, "SIGCHLD"},
		     {SIGKILL, "SIGKILL"}, {SIGSEGV, "SIGSEGV"}, {SIGILL, "SIGILL"}};
	static char buf[48];
	for (unsigned i = 0; WIFSIGNALED(status) && i < sizeof names / sizeof names[0]; i++)
		if (WTERMSIG(status) == names[i].sig) {
			snprintf(buf, sizeof buf, "killed by %s", names[i].name);
			return buf;
		}
	if (WIFSIGNALED(status))
		snprintf(buf, sizeof buf, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, sizeof buf, "exited %d", WEXITSTATUS(status));
	return buf;
}

static void yield_n(int n)
{
	for (int i = 0; i < n; i++)
		sys_yield();
}

static bool is_zombie(pid_t pid)
{
	return envs[ENVX(pid)].env_id == pid && envs[ENVX(pid)].env_status == ENV_ZOMBIE;
}

/* A child that sets sig to action and execs "execsignal block"; the
 * parent sends sig once the new image is running. */
static void across_exec(const char *what, int sig, _sig_func_ptr action)
{
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		signal(sig, action);
		execl("/bin/execsignal", "execsignal", "block", (char *)NULL);
		exit(99);
	}
	ipc_recv(NULL, NULL, NULL); /* the new image is running */
	kill(child, sig);
	yield_n(20);
	int status;
	if (is_zombie(child)) {
		waitpid(child, &status, 0);
		printf("execsignal: %s signal, then exec: %s\n", what, how(status));
		return;
	}
	printf("execsignal: %s signal, then exec: ignored\n", what);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
}

/* SIGCHLD (ignored by default) to a child that has run, and to one just
 * spawned, which has not started yet. */
static void default_ignored(void)
{
	for (int fresh = 0; fresh < 2; fresh++) {
		fflush(stdout);
		pid_t child =
			fresh ? spawnl("execsignal", "execsignal", "block", (char *)NULL) : fork();
		if (child == 0)
			execl("/bin/execsignal", "execsignal", "block", (char *)NULL);
		if (!fresh)
			ipc_recv(NULL, NULL, NULL);
		int r = kill(child, SIGCHLD);
		yield_n(20);
		int status;
		if (is_zombie(child)) {
			waitpid(child, &status, 0);
			printf("execsignal: kill(%s child, SIGCHLD) %d: %s\n",
			       fresh ? "a just-spawned" : "a running", r, how(status));
			continue;
		}
		printf("execsignal: kill(%s child, SIGCHLD) %d: ignored\n",
		       fresh ? "a just-spawned" : "a running", r);
		if (fresh)
			ipc_recv(NULL, NULL, NULL);
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
}

/* Children exec over and over; each gets SIGTERM at some point. */
static void race(void)
{
	int by_term = 0, other = 0;
	for (int t = 0; t < RACE_TRIALS; t++) {
		fflush(stdout);
		pid_t child = fork();
		if (child == 0) {
			execl("/bin/execsignal", "execsignal", "chain", "1", (char *)NULL);
			exit(99);
		}
		yield_n(1 + t % 5);
		kill(child, SIGTERM);
		int status;
		waitpid(child, &status, 0);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM)
			by_term++;
		else if (other++ < 3)
			printf("execsignal: trial %d: %s\n", t, how(status));
	}
	printf("execsignal: SIGTERM during exec, %d trials: %d killed by SIGTERM, %d otherwise\n",
	       RACE_TRIALS, by_term, other);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "block") == 0) {
		ipc_send(getppid(), 0, NULL, 0);
		for (;;)
			sys_yield();
	}
	if (strcmp(mode, "chain") == 0) {
		int n = atoi(argv[2]);
		if (n >= CHAIN_MAX)
			return 0;
		char next[16];
		snprintf(next, sizeof next, "%d", n + 1);
		execl("/bin/execsignal", "execsignal", "chain", next, (char *)NULL);
		return 98;
	}
	if (strcmp(mode, "caught") == 0)
		across_exec("a caught", SIGUSR1, on_signal);
	else if (strcmp(mode, "ignored") == 0)
		across_exec("an ignored", SIGTERM, SIG_IGN);
	else if (strcmp(mode, "spawn") == 0)
		default_ignored();
	else if (strcmp(mode, "race") == 0)
		race();
	else
		printf("usage: execsignal caught|ignored|spawn|race\n");
	printf("execsignal: done\n");
	return 0;
}
