/* Processes: pids, exit statuses and wait. A pid is an env id; a zombie's
 * exit kind and code (in the env table) become a POSIX wait status. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd.h"
#include "process.h"
#include "thread.h"

/* env_exit_code of an env that ended itself by a signal's default action. */
#define EXIT_CODE_SIGNALED 0x100

pid_t getpid(void)
{
	return thisenv->env_id;
}

/* 0 once the parent is gone (an orphan is reaped by the kernel). */
pid_t getppid(void)
{
	return thisenv->env_parent_id;
}

/* Closing the descriptors wakes pipe peers (stdio is flushed by exit,
 * not here). */
void _exit(int status)
{
	fd_close_all();
	sys_env_destroy(0, status & 0xff);
	for (;;) /* not reached: destroying oneself does not return */
		;
}

/* Ends this process as if killed by sig (what waitpid reports). */
void exit_by_signal(int sig)
{
	fd_close_all();
	sys_env_destroy(0, EXIT_CODE_SIGNALED | sig);
	for (;;)
		;
}

static int signal_of_cause(int cause)
{
	switch (cause) {
	case CAUSE_ILLEGAL_INSTRUCTION:
		return SIGILL;
	case CAUSE_BREAKPOINT:
		return SIGTRAP;
	case CAUSE_MISALIGNED_FETCH:
	case CAUSE_MISALIGNED_LOAD:
	case CAUSE_MISALIGNED_STORE:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

/* The wait status of a zombie. */
static int wait_status(const volatile struct env_info *e)
{
	int code = e->env_exit_code;
	switch (e->env_exit_kind) {
	case EXIT_SELF:
		return code & EXIT_CODE_SIGNALED ? code & 0x7f : (code & 0xff) << 8;
	case EXIT_FAULT:
		return signal_of_cause(code);
	default: /* EXIT_KILLED: an ancestor destroyed it */
		return code > 0 && code < 0x7f ? code : SIGKILL;
	}
}

static bool is_my_child(const volatile struct env_info *e, pid_t pid)
{
	return e->env_status != ENV_FREE && e->env_parent_id == getpid() &&
	       (pid == -1 || e->env_id == pid);
}

/* Is there a child matching pid (-1: any)? Is one a zombie? */
static void children(pid_t pid, bool *any, bool *zombie)
{
	*any = *zombie = false;
	int lo = pid == -1 ? 0 : ENVX(pid), hi = pid == -1 ? NENV : ENVX(pid) + 1;
	for (int i = lo; i < hi; i++) {
		if (!is_my_child(&envs[i], pid))
			continue;
		*any = true;
		*zombie |= envs[i].env_status == ENV_ZOMBIE;
	}
}

/* wait_until's condition: waitpid has something to return. */
static bool child_done(void *arg)
{
	bool any, zombie;
	children(*(pid_t *)arg, &any, &zombie);
	return zombie || !any;
}

/* Reaps a zombie child matching pid; its id, or 0 if there is none. */
static pid_t reap(pid_t pid, int *status)
{
	int lo = pid == -1 ? 0 : ENVX(pid), hi = pid == -1 ? NENV : ENVX(pid) + 1;
	for (int i = lo; i < hi; i++) {
		const volatile struct env_info *e = &envs[i];
		if (!is_my_child(e, pid) || e->env_status != ENV_ZOMBIE)
			continue;
		pid_t id = e->env_id;
		if (status)
			*status = wait_status(e);
		sys_env_destroy(id, 0); /* reap */
		return id;
	}
	return 0;
}

/* Waits until a child matching pid (-1: any) is a zombie, then reaps it:
 * the kernel wakes a parent when a child dies, and the waiting thread
 * lets the process's other threads run (wait_until). Errors: ECHILD (no
 * such child), EINVAL (options). */
pid_t waitpid(pid_t pid, int *status, int options)
{
	if (options & ~WNOHANG || pid == 0 || pid < -1) {
		errno = EINVAL;
		return -1;
	}
	for (;;) {
		thread_lib_enter(); /* no other thread reaps the same child */
		pid_t id = reap(pid, status);
		thread_lib_leave();
		if (id)
			return id;
		bool any, zombie;
		children(pid, &any, &zombie);
		if (!any) {
			errno = ECHILD;
			return -1;
		}
		if (options & WNOHANG)
			return 0;
		wait_until(child_done, &pid);
	}
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}
