/* killtest: kill and signals: SIGKILL always ends the target; SIGTERM,
 * SIGINT, SIGUSR1 and SIGUSR2 end it by default; handlers set with
 * signal() or sigaction() run in the target, which goes on, and fork
 * passes them on; only an ancestor may signal a process; a signal
 * interrupts a child blocked in ipc_recv or waitpid. */
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

/* Who is talking: killtest, child or grandchild; fork_or_die moves it on. */
static const char *me = "killtest";

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s: ", me);
	vprintf(fmt, ap);
	va_end(ap);
}

static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGKILL:
		return "SIGKILL";
	case SIGTERM:
		return "SIGTERM";
	case SIGINT:
		return "SIGINT";
	case SIGUSR1:
		return "SIGUSR1";
	case SIGUSR2:
		return "SIGUSR2";
	case SIGSEGV:
		return "SIGSEGV";
	default:
		return "another signal";
	}
}

static const char *err_name(int e)
{
	switch (e) {
	case 0:
		return "no error";
	case EPERM:
		return "EPERM";
	case ESRCH:
		return "ESRCH";
	case EINVAL:
		return "EINVAL";
	default:
		return strerror(e);
	}
}

/* Waits for child and says how it ended. */
static void reap(const char *what, pid_t child)
{
	int status;
	pid_t r = waitpid(child, &status, 0);
	if (r != child)
		say("%s: waitpid failed: %s\n", what, err_name(errno));
	else if (WIFSIGNALED(status))
		say("%s: killed by %s\n", what, sig_name(WTERMSIG(status)));
	else if (WIFEXITED(status))
		say("%s: exited %d\n", what, WEXITSTATUS(status));
	else
		say("%s: status %#x\n", what, status);
}

/* The parent's side of "I am ready": the child sends once it is set up. */
static void wait_ready(pid_t child)
{
	envid_t from;
	ipc_recv(&from, NULL, NULL);
	if (from != child)
		panic("message from %08x, not the child %08x", (unsigned)from, (unsigned)child);
}

static pid_t parent;

static void ready(void)
{
	ipc_send(parent, 0, NULL, 0);
}

static pid_t fork_or_die(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		panic("fork: %s", strerror(errno));
	if (pid == 0)
		me = strcmp(me, "killtest") == 0 ? "child" : "grandchild";
	return pid;
}

/* SIGKILL ends a child that ignores every catchable signal; SIGKILL
 * itself can be neither caught nor ignored. */
static void sigkill(void)
{
	pid_t child = fork_or_die();
	if (child == 0) {
		int sigs[] = {SIGTERM, SIGINT, SIGUSR1, SIGUSR2};
		for (int i = 0; i < 4; i++)
			signal(sigs[i], SIG_IGN);
		errno = 0;
		int bad = signal(SIGKILL, SIG_IGN) != SIG_ERR;
		say("signal(SIGKILL, SIG_IGN): %s, %s\n", bad ? "accepted" : "SIG_ERR",
		    err_name(errno));
		struct sigaction sa = {.sa_handler = SIG_IGN};
		errno = 0;
		say("sigaction(SIGKILL): %d, %s\n", sigaction(SIGKILL, &sa, NULL), err_name(errno));
		ready();
		for (;;)
			sys_yield();
	}
	wait_ready(child);
	int sigs[] = {SIGTERM, SIGINT, SIGUSR1, SIGUSR2};
	for (int i = 0; i < 4; i++)
		kill(child, sigs[i]);
	for (int i = 0; i < 10; i++)
		sys_yield();
	say("the child ignored SIGTERM, SIGINT, SIGUSR1, SIGUSR2: %s\n",
	    envs[ENVX(child)].env_status != ENV_ZOMBIE ? "still alive" : "DEAD");
	say("kill(child, SIGKILL): %d\n", kill(child, SIGKILL));
	reap("ignoring child", child);
}

/* With no handler, each of these signals ends the process. The first
 * child is signalled before it has ever run; the others spin without
 * yielding, and are signalled as they are preempted. */
static void default_actions(void)
{
	int sigs[] = {SIGTERM, SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGKILL};
	for (int i = 0; i < 6; i++) {
		pid_t child = fork_or_die();
		if (child == 0) {
			if (i > 0)
				ready();
			for (volatile unsigned long n = 0;; n++)
				;
		}
		if (i > 0)
			wait_ready(child);
		int r = kill(child, sigs[i]);
		char what[64];
		snprintf(what, sizeof what, "%s child, kill(%s) %d",
			 i == 0 ? "never-run" : "spinning", sig_name(sigs[i]), r);
		reap(what, child);
	}
}

/* Handlers run in the target, which then goes on with its loop. */
static volatile int caught;
static volatile int last_sig;

static void on_signal(int sig)
{
	say("caught %s\n", sig_name(sig));
	last_sig = sig;
	caught++;
}

static void handlers(void)
{
	pid_t child = fork_or_die();
	if (child == 0) {
		if (signal(SIGUSR1, on_signal) == SIG_ERR)
			panic("signal: %s", strerror(errno));
		struct sigaction sa = {.sa_handler = on_signal};
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGUSR2, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
			panic("sigaction: %s", strerror(errno));
		struct sigaction old;
		sigaction(SIGUSR2, NULL, &old);
		say("sigaction reads back the SIGUSR2 handler: %s\n",
		    old.sa_handler == on_signal ? "yes" : "no");
		ready();
		int seen = 0;
		while (seen < 4) { /* the loop the signals break into */
			if (caught > seen) {
				seen++;
				say("back in the loop after signal %d\n", seen);
				ready();
			}
			sys_yield();
		}
		say("4 signals handled; the loop goes on until SIGTERM\n");
		ready();
		for (;;)
			sys_yield();
	}
	wait_ready(child);
	int sigs[] = {SIGUSR1, SIGUSR2, SIGINT, SIGUSR2};
	for (int i = 0; i < 4; i++) {
		say("kill(child, %s): %d\n", sig_name(sigs[i]), kill(child, sigs[i]));
		wait_ready(child);
	}
	wait_ready(child);
	say("kill(child, SIGTERM): %d\n", kill(child, SIGTERM));
	reap("handling child", child);
}

/* A child inherits its parent's handlers. */
static void inherited(void)
{
	caught = 0;
	signal(SIGUSR1, on_signal);
	pid_t child = fork_or_die();
	if (child == 0) {
		ready();
		while (caught == 0)
			sys_yield();
		say("the handler set before fork ran\n");
		exit(0);
	}
	signal(SIGUSR1, SIG_DFL);
	wait_ready(child);
	say("kill(child, SIGUSR1): %d\n", kill(child, SIGUSR1));
	reap("child with an inherited handler", child);
}

/* raise() runs the handler before it returns; with the default action
 * it ends the caller. */
static void on_raise(int sig)
{
	last_sig = sig;
}

static void raising(void)
{
	last_sig = 0;
	signal(SIGUSR2, on_raise);
	int r = raise(SIGUSR2);
	say("raise(SIGUSR2): %d; the handler %s\n", r,
	    last_sig == SIGUSR2 ? "ran before raise returned" : "DID NOT RUN");
	signal(SIGUSR2, SIG_DFL);
	pid_t child = fork_or_die();
	if (child == 0) {
		raise(SIGTERM);
		say("raise(SIGTERM) returned\n");
		exit(0);
	}
	reap("raise(SIGTERM) child", child);
}

/* Only ancestors may signal: not the parent, not a sibling. A
 * grandparent may. Bad pids and signal numbers are errors. */
static void permissions(void)
{
	pid_t sibling = fork_or_die();
	if (sibling == 0) {
		ready();
		for (;;)
			sys_yield();
	}
	wait_ready(sibling);
	pid_t child = fork_or_die();
	if (child == 0) {
		errno = 0;
		int r = kill(getppid(), SIGTERM);
		say("kill(parent, SIGTERM): %d, %s\n", r, err_name(errno));
		errno = 0;
		r = kill(getppid(), 0);
		say("kill(parent, 0): %d, %s\n", r, err_name(errno));
		errno = 0;
		r = kill(sibling, SIGKILL);
		say("kill(sibling, SIGKILL): %d, %s\n", r, err_name(errno));
		pid_t grandchild = fork_or_die();
		if (grandchild == 0) {
			for (;;)
				sys_yield();
		}
		ipc_send(parent, (uint64_t)grandchild, NULL, 0);
		reap("my child, killed by its grandparent", grandchild);
		exit(0);
	}
	envid_t from;
	pid_t grandchild = (pid_t)ipc_recv(&from, NULL, NULL);
	say("kill(grandchild, SIGKILL): %d\n", kill(grandchild, SIGKILL));
	reap("child", child);
	say("kill(sibling, 0): %d\n", kill(sibling, 0));
	errno = 0;
	say("kill(sibling, 999): %d, %s\n", kill(sibling, 999), err_name(errno));
	say("kill(sibling, SIGKILL): %d\n", kill(sibling, SIGKILL));
	reap("sibling", sibling);
	errno = 0;
	say("kill(reaped pid, SIGTERM): %d, %s\n", kill(sibling, SIGTERM), err_name(errno));
}

/* A signal interrupts a child blocked in ipc_recv or in waitpid. */
static void on_blocked(int sig)
{
	say("caught %s while blocked\n", sig_name(sig));
}

static void wait_recving(pid_t child)
{
	while (!envs[ENVX(child)].env_ipc_recving)
		sys_yield();
}

static void blocked(void)
{
	/* the default action, in the library's ipc_recv */
	pid_t child = fork_or_die();
	if (child == 0) {
		ipc_recv(NULL, NULL, NULL);
		say("ipc_recv returned\n");
		exit(0);
	}
	wait_recving(child);
	say("kill(child in ipc_recv, SIGTERM): %d\n", kill(child, SIGTERM));
	reap("child in ipc_recv", child);

	/* a handler, in the raw system call: it runs, then the call fails */
	child = fork_or_die();
	if (child == 0) {
		signal(SIGUSR1, on_blocked);
		uint64_t out[3];
		int r = sys_ipc_recv(UTOP, out);
		say("sys_ipc_recv returned %s\n", r == -E_INTR ? "-E_INTR"
						  : r == 0     ? "0"
							       : "another error");
		exit(0);
	}
	wait_recving(child);
	say("kill(child in sys_ipc_recv, SIGUSR1): %d\n", kill(child, SIGUSR1));
	reap("child in sys_ipc_recv", child);

	/* the default action, in waitpid for a grandchild that lives on */
	child = fork_or_die();
	if (child == 0) {
		pid_t grandchild = fork_or_die();
		if (grandchild == 0) {
			while (getppid() != 0)
				sys_yield();
			exit(0); /* orphaned: the kernel reaps it */
		}
		ready();
		waitpid(grandchild, NULL, 0);
		say("waitpid returned\n");
		exit(0);
	}
	wait_ready(child);
	for (int i = 0; i < 5; i++)
		sys_yield();
	say("kill(child in waitpid, SIGINT): %d\n", kill(child, SIGINT));
	reap("child in waitpid", child);
}

int main(void)
{
	parent = getpid();
	sigkill();
	default_actions();
	handlers();
	inherited();
	raising();
	permissions();
	blocked();
	say("done\n");
	return 0;
}
