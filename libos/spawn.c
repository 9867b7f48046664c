/* spawn: start a program from the boot archive in a new process, which
 * inherits the descriptors not marked close-on-exec and the cwd. */
#include <errno.h>
#include <stdarg.h>

#include "fd.h"
#include "loader.h"
#include "process.h"
#include "thread.h"

extern char **environ;

static pid_t spawn_staged(const char *path, char *const argv[], char *const envp[])
{
	struct image img;
	struct new_stack st;
	int r = image_open(path, true, &img);
	if (r == 0)
		r = stack_build(argv, envp, &st);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	envid_t child = sys_exofork();
	if (child == 0)
		for (;;) /* never reached: the child starts at the program's entry */
			;
	if (child < 0) {
		stack_discard();
		errno = child == -E_NO_FREE_ENV ? EAGAIN : ENOMEM;
		return -1;
	}
	struct trapframe tf = {.pc = img.eh->e_entry, .sp = st.sp, .a0 = st.sp};
	r = image_load(child, &img, 0);
	if (r == 0)
		r = stack_install(child, USTACKTOP, &st);
	if (r == 0)
		r = fd_share_with_child(child);
	if (r == 0)
		r = sys_env_set_trapframe(child, &tf);
	if (r == 0)
		r = sys_env_set_status(child, ENV_RUNNABLE);
	if (r == 0)
		return child;
	stack_discard();
	discard_child(child);
	errno = ENOMEM;
	return -1;
}

/* The other threads do not run meanwhile: the scratch pages are the
 * process's. */
pid_t spawnve(const char *path, char *const argv[], char *const envp[])
{
	thread_lib_enter();
	pid_t pid = spawn_staged(path, argv, envp);
	thread_lib_leave();
	return pid;
}

pid_t spawn(const char *path, char *const argv[])
{
	return spawnve(path, argv, environ);
}

pid_t spawnl(const char *path, const char *arg0, ...)
{
	RETURN_WITH_LIST_ARGS(spawn, path, arg0);
}
