/* tee: copies stdin to stdout and to each file (-a: appends to them). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAXFILES 32

static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int flags = O_WRONLY | O_CREAT | O_TRUNC, i = 1, status = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-a")) {
			flags = O_WRONLY | O_CREAT | O_APPEND;
		} else {
			fprintf(stderr, "tee: invalid option -- '%s'\nusage: tee [-a] [FILE]...\n",
				argv[i] + 1);
			return 1;
		}
	}
	int fds[MAXFILES + 1] = {1}, nfds = 1;
	const char *names[MAXFILES + 1] = {"stdout"};
	for (; i < argc && nfds <= MAXFILES; i++) {
		int fd = open(argv[i], flags, 0666);
		if (fd < 0) {
			fprintf(stderr, "tee: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		names[nfds] = argv[i];
		fds[nfds++] = fd;
	}
	char buf[4096];
	ssize_t n;
	while ((n = read(0, buf, sizeof buf)) > 0) {
		for (int k = 0; k < nfds; k++) {
			if (fds[k] >= 0 && write_all(fds[k], buf, (size_t)n) < 0) {
				fprintf(stderr, "tee: %s: %s\n", names[k], strerror(errno));
				fds[k] = -1;
				status = 1;
			}
		}
	}
	for (int k = 1; k < nfds; k++)
		if (fds[k] >= 0)
			close(fds[k]);
	return status;
}
