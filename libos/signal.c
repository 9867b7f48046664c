/* Signals: kill delivers through the kernel's env_interrupt upcall; the
 * target runs its handler, or the default action, in its own upcall. */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "fd.h"
#include "process.h"
#include "thread.h"

void exit_by_signal(int sig); /* proc.c */

static struct sigaction actions[NSIG];

static bool default_ignores(int sig)
{
	return sig == SIGCHLD || sig == SIGWINCH || sig == SIGURG || sig == SIGCONT;
}

/* At start-up: signals ignored before an exec stay ignored (POSIX);
 * caught ones went back to the default with the old image. */
void signals_init(void)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (PERENV->sig_ignored & (1ULL << sig))
			actions[sig].sa_handler = SIG_IGN;
}

/* The CAUSE_INTERRUPT upcall: tval is the signal number, or
 * INTERRUPT_CHILD when a child died (SIGCHLD). */
void signal_upcall(struct upcall_frame *uf)
{
	int sig = uf->tval == INTERRUPT_CHILD ? SIGCHLD : (int)uf->tval;
	if (sig == SIGCHLD)
		pipe_wake_all(); /* it may have died holding a pipe without closing it */
	if (sig <= 0 || sig >= NSIG)
		return;
	_sig_func_ptr h = actions[sig].sa_handler;
	if (h == SIG_IGN || (h == SIG_DFL && default_ignores(sig)))
		return;
	if (h == SIG_DFL)
		exit_by_signal(sig);
	h(sig);
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (sig <= 0 || sig >= NSIG || (act && (sig == SIGKILL || sig == SIGSTOP))) {
		errno = EINVAL;
		return -1;
	}
	if (old)
		*old = actions[sig];
	if (act) {
		actions[sig] = *act;
		if (act->sa_handler == SIG_IGN)
			PERENV->sig_ignored |= 1ULL << sig;
		else
			PERENV->sig_ignored &= ~(1ULL << sig);
	}
	return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
	struct sigaction act = {.sa_handler = handler}, old;
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

/* Is pid this process or a live descendant of it? */
static bool is_mine(pid_t pid)
{
	const volatile struct env_info *e = &envs[ENVX(pid)];
	for (int depth = 0; depth < NENV && e->env_id == pid && e->env_status != ENV_FREE;
	     depth++) {
		if (pid == getpid())
			return true;
		pid = e->env_parent_id;
		if (pid == 0)
			return false;
		e = &envs[ENVX(pid)];
	}
	return false;
}

/* Whether pid, which cannot take an upcall now (not started yet, or
 * inside exec), ignores sig: by default, or because it set SIG_IGN (its
 * per-env page, which a parent may map, says so). */
static bool target_ignores(pid_t pid, int sig)
{
	if (default_ignores(sig))
		return true;
	bool ignored = false;
	thread_lib_enter(); /* UTEMP2 is the process's: no other thread meanwhile */
	if (sys_page_map(pid, UPERENV, 0, UTEMP2, PTE_R) == 0) {
		ignored = ((const struct perenv *)UTEMP2)->sig_ignored & (1ULL << sig);
		sys_page_unmap(0, UTEMP2);
	}
	thread_lib_leave();
	return ignored;
}

/* kill(pid, sig): pid must be this process or a descendant (EPERM);
 * ESRCH if there is no such process; EINVAL for a bad signal or a pid
 * that names no single process (process groups are not supported). A
 * zombie still exists: signalling it succeeds and does nothing. */
int kill(pid_t pid, int sig)
{
	const volatile struct env_info *e = &envs[ENVX(pid)];
	if (sig < 0 || sig >= NSIG || pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	if (e->env_id != pid || e->env_status == ENV_FREE) {
		errno = ESRCH;
		return -1;
	}
	bool zombie = e->env_status == ENV_ZOMBIE;
	if (!(zombie ? (pid_t)e->env_parent_id == getpid() || is_mine(e->env_parent_id)
		     : is_mine(pid))) {
		errno = EPERM;
		return -1;
	}
	if (sig == 0 || zombie)
		return 0;
	if (sig == SIGKILL && pid == getpid())
		exit_by_signal(SIGKILL);
	int r = sig == SIGKILL ? -E_INVAL : sys_env_interrupt(pid, (uint64_t)sig);
	/* SIGKILL, or no upcall to take it now: the default action. */
	if (r == -E_INVAL && (sig == SIGKILL || !target_ignores(pid, sig))) {
		r = sys_env_destroy(pid, sig);
		if (r == 0)
			pipe_wake_all(); /* it closed nothing: wake its pipe peers */
	} else if (r == -E_INVAL) {
		r = 0;
	}
	if (r < 0) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

int raise(int sig)
{
	return kill(getpid(), sig);
}
