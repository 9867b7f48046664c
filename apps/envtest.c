/* envtest: getenv, setenv, unsetenv and putenv; the environment is
 * inherited by fork, kept by execv, replaced by execve and spawnve, and
 * passed by spawn (printenv shows what a new program got). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

extern char **environ;

#define LONG_VALUE "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void show(const char *name)
{
	const char *v = getenv(name);
	if (v)
		printf("envtest: %s = '%s'\n", name, v);
	else
		printf("envtest: %s is unset\n", name);
}

static void result(const char *what, int r)
{
	if (r == 0)
		printf("envtest: %s: 0\n", what);
	else
		printf("envtest: %s: %d, errno %s\n", what, r,
		       errno == EINVAL ? "EINVAL" : "other");
}

/* Waits for pid and prints how it ended, closing a section. */
static void finish(const char *what, pid_t pid)
{
	int status;
	if (pid < 0) {
		printf("envtest: --- end of %s: failed, errno %s\n", what,
		       errno == E2BIG ? "E2BIG" : strerror(errno));
		return;
	}
	if (waitpid(pid, &status, 0) != pid)
		panic("waitpid: %s", strerror(errno));
	if (WIFEXITED(status))
		printf("envtest: --- end of %s: exited %d\n", what, WEXITSTATUS(status));
	else
		printf("envtest: --- end of %s: signal %d\n", what, WTERMSIG(status));
}

static pid_t fork_exec(const char *what, char *const envp[])
{
	char *argv[] = {"printenv", NULL};
	printf("envtest: --- %s\n", what);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (envp)
			execve("/bin/printenv", argv, envp);
		else
			execv("/bin/printenv", argv);
		perror("exec");
		exit(99);
	}
	return pid;
}

int main(void)
{
	show("FOO");
	result("setenv(FOO, bar, 1)", setenv("FOO", "bar", 1));
	show("FOO");
	result("setenv(FOO, baz, 0)", setenv("FOO", "baz", 0));
	show("FOO");
	result("setenv(FOO, baz, 1)", setenv("FOO", "baz", 1));
	show("FOO");
	result("putenv(COLOR=blue)", putenv("COLOR=blue"));
	show("COLOR");
	result("setenv(EMPTY, \"\", 1)", setenv("EMPTY", "", 1));
	show("EMPTY");
	result("unsetenv(FOO)", unsetenv("FOO"));
	show("FOO");
	result("unsetenv(FOO) again", unsetenv("FOO"));
	result("setenv(A=B, x, 1)", setenv("A=B", "x", 1));
	result("unsetenv(A=B)", unsetenv("A=B"));
	result("setenv(FOO, inherited, 1)", setenv("FOO", "inherited", 1));
	int n = 0;
	for (char **e = environ; *e; e++)
		n++;
	printf("envtest: %d variables\n", n);

	/* fork: the child starts with a copy; its changes stay its own. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("envtest: child sees FOO = '%s'\n", getenv("FOO"));
		setenv("FOO", "changed in child", 1);
		setenv("CHILDONLY", "1", 1);
		printf("envtest: child now has FOO = '%s'\n", getenv("FOO"));
		exit(0);
	}
	int status;
	waitpid(pid, &status, 0);

	/* In a child, as they may leave odd entries behind: an empty name
	 * is invalid; putenv's string becomes part of the environment. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		result("setenv(\"\", x, 1)", setenv("", "x", 1));
		static char put[] = "PUT=one";
		putenv(put);
		memcpy(put + 4, "two", 3);
		printf("envtest: after changing putenv's string, PUT = '%s'\n", getenv("PUT"));
		exit(0);
	}
	waitpid(pid, &status, 0);
	printf("envtest: after the child, parent has FOO = '%s'\n", getenv("FOO"));
	show("CHILDONLY");

	finish("execv printenv", fork_exec("execv printenv", NULL));
	char *only[] = {"ONLY=this", "AND=that", NULL};
	finish("execve printenv", fork_exec("execve printenv", only));

	char *argv[] = {"printenv", NULL};
	printf("envtest: --- spawn printenv\n");
	finish("spawn printenv", spawn("printenv", argv));
	char *spawned[] = {"SPAWNED=yes", "X=1", NULL};
	printf("envtest: --- spawnve printenv\n");
	finish("spawnve printenv", spawnve("/bin/printenv", argv, spawned));
	char *none[] = {NULL};
	printf("envtest: --- spawnve printenv, empty environment\n");
	finish("spawnve printenv, empty environment", spawnve("/bin/printenv", argv, none));
	printf("envtest: --- spawnl printenv FOO NOPE COLOR\n");
	finish("spawnl printenv FOO NOPE COLOR",
	       spawnl("printenv", "printenv", "FOO", "NOPE", "COLOR", NULL));

	/* Bigger environments: 2 KiB, 8 KiB (both under ARG_MAX), and one
	 * variable longer than ARG_MAX. */
	char name[16], value[80];
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "VAR%d", i);
		snprintf(value, sizeof value, "value number %d", i);
		setenv(name, value, 1);
	}
	printf("envtest: --- spawn printenv, 40 more variables\n");
	finish("spawn printenv, 40 more variables", spawn("printenv", argv));
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "BIG%d", i);
		snprintf(value, sizeof value, "%d:%.60s", i, LONG_VALUE);
		setenv(name, value, 1);
	}
	printf("envtest: --- spawn printenv, 100 more long variables\n");
	finish("spawn printenv, 100 more long variables", spawn("printenv", argv));
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "BIG%d", i);
		unsetenv(name);
	}
	char *huge = malloc(ARG_MAX + 10);
	memset(huge, 'h', ARG_MAX + 9);
	huge[ARG_MAX + 9] = '\0';
	setenv("HUGE", huge, 1);
	printf("envtest: --- spawn printenv, a variable longer than ARG_MAX\n");
	finish("spawn printenv, a variable longer than ARG_MAX", spawn("printenv", argv));
	unsetenv("HUGE");
	free(huge);
	printf("envtest: done\n");
	return 0;
}
