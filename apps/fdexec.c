/* fdexec: descriptors across spawn and exec: the child gets those not
 * marked close-on-exec (O_CLOEXEC or FD_CLOEXEC), sharing their offsets
 * with us, and our working directory. fdcheck reports what it got. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

static const char *read4(int fd)
{
	static char buf[8];
	ssize_t n = read(fd, buf, 4);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static void wait_for(pid_t pid, const char *how)
{
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		printf("fdexec: %s child did not exit\n", how);
	else
		printf("fdexec: %s child exited %d\n", how, WEXITSTATUS(status));
}

int main(void)
{
	mkdir("/tmp/fdexec", 0755);
	if (chdir("/tmp/fdexec") < 0)
		panic("chdir: %s", errno_name(errno));
	int w = open("data", O_CREAT | O_TRUNC | O_WRONLY, 0644);
	write(w, "0123456789abcdefghij", 20);
	close(w);

	int a = open("data", O_RDONLY);
	int b = open("data", O_RDONLY | O_CLOEXEC);
	int c = open("data", O_RDONLY);
	fcntl(c, F_SETFD, FD_CLOEXEC);
	printf("fdexec: fds %d %d %d; a reads '%s'\n", a, b, c, read4(a));

	char sa[8], sb[8], sc[8];
	snprintf(sa, sizeof sa, "%d", a);
	snprintf(sb, sizeof sb, "%d", b);
	snprintf(sc, sizeof sc, "%d", c);
	pid_t pid = spawnl("/bin/fdcheck", "fdcheck", "spawn", sa, sb, sc, NULL);
	if (pid < 0)
		panic("spawn: %s", errno_name(errno));
	wait_for(pid, "spawned");
	printf("fdexec: after spawn, a reads '%s'\n", read4(a));

	pid = fork();
	if (pid == 0) {
		execl("/bin/fdcheck", "fdcheck", "exec", sa, sb, sc, NULL);
		exit(99);
	}
	wait_for(pid, "exec'd");
	printf("fdexec: after exec, a reads '%s'\n", read4(a));
	printf("fdexec: b and c still open here: %s\n",
	       fcntl(b, F_GETFD) == FD_CLOEXEC && fcntl(c, F_GETFD) == FD_CLOEXEC ? "yes" : "no");

	/* stdin redirected for the child, as a shell does. */
	pid = fork();
	if (pid == 0) {
		lseek(b, 16, SEEK_SET);
		dup2(b, 0);
		execl("/bin/fdcheck", "fdcheck", "stdin", "0", NULL);
		exit(99);
	}
	wait_for(pid, "redirected");
	return 0;
}
