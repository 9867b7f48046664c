/* fdtest: descriptor semantics: fork and dup share an offset, separate
 * opens do not; dup, dup2 and fcntl; close-on-exec flags are per process;
 * EBADF, EMFILE, isatty. Prints what it sees; tests/test_files.py checks. */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libos.h"

#define FILE_PATH "/tmp/fdtest"

/* What read(fd, n) gives, as a string: the bytes, or the errno's name. */
static const char *readn(int fd, size_t n)
{
	static char buf[64];
	ssize_t r = read(fd, buf + 1, n);
	if (r < 0)
		return errno_name(errno);
	buf[0] = '\'';
	buf[r + 1] = '\'';
	buf[r + 2] = '\0';
	return buf;
}

/* A call's result: the value, or -1 and the errno's name. */
static const char *result(int r)
{
	static char buf[32];
	if (r < 0)
		snprintf(buf, sizeof buf, "-1 %s", errno_name(errno));
	else
		snprintf(buf, sizeof buf, "%d", r);
	return buf;
}

static void make_file(void)
{
	int fd = open(FILE_PATH, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "0123456789abcdef", 16) != 16)
		panic("cannot make %s", FILE_PATH);
	close(fd);
}

static void fork_shares_offset(int fd)
{
	printf("fdtest: parent reads %s\n", readn(fd, 2));
	pid_t child = fork();
	if (child == 0) {
		printf("fdtest: child reads %s\n", readn(fd, 4));
		lseek(fd, 2, SEEK_CUR);
		printf("fdtest: child F_GETFD %d, clears it\n", fcntl(fd, F_GETFD));
		fcntl(fd, F_SETFD, 0);
		exit(0);
	}
	waitpid(child, NULL, 0);
	printf("fdtest: after the child, parent reads %s\n", readn(fd, 4));
	printf("fdtest: parent F_GETFD still %d\n", fcntl(fd, F_GETFD));
}

static void dup_and_dup2(int fd)
{
	int other = open(FILE_PATH, O_RDONLY);
	printf("fdtest: a second open reads %s\n", readn(other, 4));
	int d = dup(fd);
	printf("fdtest: dup gives the lowest free fd: %s\n", d == other + 1 ? "yes" : "no");
	printf("fdtest: dup reads %s\n", readn(d, 2));
	printf("fdtest: the original then reads %s\n", readn(fd, 2));
	printf("fdtest: dup2 onto an open fd: %s\n", result(dup2(other, d) == d ? 0 : -1));
	printf("fdtest: it reads the other description: %s\n", readn(d, 4));
	printf("fdtest: dup2(fd, fd): %s\n", dup2(fd, fd) == fd ? "fd" : "wrong");
	printf("fdtest: dup2 from a closed fd: %s\n", result(dup2(40, 5)));
	printf("fdtest: dup2 to fd 64: %s\n", result(dup2(fd, 64)));
	printf("fdtest: close: %s\n", result(close(d)));
	printf("fdtest: close again: %s\n", result(close(d)));
	printf("fdtest: read a closed fd: %s\n", readn(d, 1));
	printf("fdtest: write a read-only fd: %s\n", result((int)write(fd, "x", 1)));
	int wfd = open(FILE_PATH, O_WRONLY);
	printf("fdtest: read a write-only fd: %s\n", readn(wfd, 1));
	close(wfd);
	close(other);
}

static void fcntl_flags(int fd)
{
	int d = dup(fd);
	printf("fdtest: F_GETFD of a dup: %d\n", fcntl(d, F_GETFD));
	int d20 = fcntl(fd, F_DUPFD, 20);
	int d21 = fcntl(fd, F_DUPFD_CLOEXEC, 20);
	printf("fdtest: F_DUPFD 20: %d, F_DUPFD_CLOEXEC 20: %d with F_GETFD %d\n", d20, d21,
	       fcntl(d21, F_GETFD));
	printf("fdtest: F_GETFL: %s\n",
	       (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY ? "O_RDONLY" : "wrong");
	printf("fdtest: F_GETFD of a closed fd: %s\n", result(fcntl(30, F_GETFD)));
	close(d);
	close(d20);
	close(d21);
}

static void table_full(void)
{
	int opened = 0, first = -1, last = -1, err = 0;
	for (;;) {
		int d = dup(0);
		if (d < 0) {
			err = errno;
			break;
		}
		first = first < 0 ? d : first;
		last = d;
		opened++;
	}
	printf("fdtest: dup until it fails: %d more fds, then %s\n", opened, errno_name(err));
	for (int d = first; d >= 0 && d <= last; d++)
		close(d);
	printf("fdtest: after closing them, dup gives %d\n", dup(0));
}

static void terminals(int fd)
{
	struct stat st;
	fstat(0, &st);
	printf("fdtest: fd 0: %s, isatty %d\n", S_ISCHR(st.st_mode) ? "a character device" : "?",
	       isatty(0));
	int r = isatty(fd);
	printf("fdtest: a file: isatty %d %s\n", r, errno_name(errno));
	int p[2];
	pipe2(p, O_CLOEXEC);
	fstat(p[0], &st);
	printf("fdtest: a pipe: %s, lseek %s, F_GETFD %d %d\n",
	       S_ISFIFO(st.st_mode) ? "a FIFO" : "?", result((int)lseek(p[0], 0, SEEK_SET)),
	       fcntl(p[0], F_GETFD), fcntl(p[1], F_GETFD));
	close(p[0]);
	close(p[1]);
	r = isatty(45);
	printf("fdtest: a closed fd: isatty %d %s\n", r, errno_name(errno));
}

int main(void)
{
	make_file();
	int fd = open(FILE_PATH, O_RDONLY);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fork_shares_offset(fd);
	lseek(fd, 0, SEEK_SET);
	dup_and_dup2(fd);
	fcntl_flags(fd);
	terminals(fd);
	table_full();
	printf("fdtest: done\n");
	return 0;
}
