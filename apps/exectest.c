/* exectest: exec keeps the pid, the children and (but for execve) the
 * environment, and passes argv: children run showargs through execv,
 * execvp, execl and execlp; exectest execs itself, reaps a child of its
 * old image, then becomes showargs through execve. Failed execs (a
 * missing file, a directory, arguments over ARG_MAX) return -1 with
 * errno set and the caller goes on. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

static const char *errname(int e)
{
	switch (e) {
	case 0:
		return "no error";
	case ENOENT:
		return "ENOENT";
	case ENOEXEC:
		return "ENOEXEC";
	case E2BIG:
		return "E2BIG";
	case EACCES:
		return "EACCES";
	case ENOMEM:
		return "ENOMEM";
	default:
		return strerror(e);
	}
}

/* Reports a failed exec and checks the caller still runs. */
static void report(const char *what, int r)
{
	int e = errno;
	printf("exectest: %s: returned %d, errno %s; still running as %08x\n", what, r, errname(e),
	       (unsigned)getpid());
}

/* Runs one exec variant in a child and waits for it. */
static void in_child(const char *what, int how)
{
	char *args[] = {"showargs", (char *)what, "two words", "", NULL};
	fflush(stdout);
	pid_t child = fork();
	if (child < 0)
		panic("fork: %s", strerror(errno));
	if (child == 0) {
		printf("exectest: child %08x runs %s\n", (unsigned)getpid(), what);
		fflush(stdout);
		switch (how) {
		case 0:
			execv("/bin/showargs", args);
			break;
		case 1: /* PATH with a directory that is not there first */
			setenv("PATH", "/nowhere:/bin", 1);
			execvp("showargs", args);
			break;
		case 2:
			execl("/bin/showargs", "showargs", what, "two words", "", (char *)NULL);
			break;
		case 3:
			execlp("showargs", "showargs", what, "two words", "", (char *)NULL);
			break;
		}
		perror("exec");
		exit(1);
	}
	int status;
	if (waitpid(child, &status, 0) != child)
		panic("waitpid: %s", strerror(errno));
	printf("exectest: %s child %08x: %s %d\n", what, (unsigned)child,
	       WIFEXITED(status) ? "exited" : "signaled",
	       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

/* After exec: the children of the old image are still ours. Then the
 * last step: become showargs with a new environment. */
static void after_exec(void)
{
	printf("exectest: pid %08x again, after exec\n", (unsigned)getpid());
	int status;
	pid_t child = wait(&status);
	printf("exectest: wait() after exec: a child %s, %s %d\n",
	       child > 0 ? "reaped" : "NOT reaped", WIFEXITED(status) ? "exited" : "signaled",
	       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));

	/* A long argument that fits is passed whole. */
	char *longarg = malloc(3001);
	memset(longarg, 'y', 3000);
	longarg[3000] = '\0';
	memcpy(longarg, "begin", 5);
	memcpy(longarg + 2995, "<end>", 5);
	char *args[] = {"showargs", "from", "execve", longarg, NULL};
	char *envp[] = {"KEY1=value1", "KEY2=value2", NULL};
	printf("exectest: pid %08x calls execve\n", (unsigned)getpid());
	fflush(stdout);
	execve("/bin/showargs", args, envp);
	perror("execve");
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "again") == 0)
		after_exec();
	printf("exectest: pid %08x, argv[0] '%s'\n", (unsigned)getpid(), argv[0]);

	/* Failures return, with errno, and change nothing. */
	char *missing[] = {"nosuchprogram", NULL};
	errno = 0;
	report("execv /bin/nosuchprogram", execv("/bin/nosuchprogram", missing));
	errno = 0;
	report("execvp nosuchprogram", execvp("nosuchprogram", missing));
	errno = 0;
	report("execl /bin/nosuchprogram",
	       execl("/bin/nosuchprogram", "nosuchprogram", (char *)NULL));
	errno = 0;
	report("execlp nosuchprogram", execlp("nosuchprogram", "nosuchprogram", (char *)NULL));
	errno = 0;
	report("execve /nosuchdir/showargs",
	       execve("/nosuchdir/showargs", missing, (char *[]){NULL}));
	/* The archive holds no non-ELF file; its one directory is not a
	 * program either. */
	errno = 0;
	report("execv /bin (a directory)", execv("/bin", missing));

	/* One argument longer than ARG_MAX. */
	size_t big = 2 * ARG_MAX;
	char *huge = malloc(big + 1);
	if (!huge)
		panic("malloc");
	memset(huge, 'x', big);
	huge[big] = '\0';
	char *toolong[] = {"showargs", huge, NULL};
	errno = 0;
	report("execv with a 128 KiB argument", execv("/bin/showargs", toolong));
	/* ... and many short ones that add up to more than ARG_MAX. */
	static char *many[ARG_MAX / 4 + 2];
	many[0] = "showargs";
	for (int i = 1; i <= ARG_MAX / 4; i++)
		many[i] = "abcdefg";
	errno = 0;
	report("execv with 16384 arguments", execv("/bin/showargs", many));
	free(huge);

	/* The four variants that keep the environment, each in a child. */
	if (setenv("GREETING", "hello from exectest", 1) < 0)
		panic("setenv: %s", strerror(errno));
	in_child("execv", 0);
	in_child("execvp", 1);
	in_child("execl", 2);
	in_child("execlp", 3);

	/* A child that ends while exectest runs another image: the new
	 * image reaps it. */
	fflush(stdout);
	pid_t child = fork();
	if (child == 0)
		exit(42);
	printf("exectest: child %08x exits 42; exectest execs itself\n", (unsigned)child);
	fflush(stdout);
	execl("/bin/exectest", "exectest", "again", (char *)NULL);
	perror("execl");
	return 1;
}
