/* fdcheck TAG FD...: reports, for fdexec and the tests, its cwd and each
 * given descriptor: closed, or open with its close-on-exec flag and what
 * reading 4 bytes gives. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libos.h"

int main(int argc, char **argv)
{
	char cwd[256];
	if (argc < 2)
		return 2;
	printf("fdcheck %s: cwd %s\n", argv[1], getcwd(cwd, sizeof cwd) ? cwd : errno_name(errno));
	for (int i = 2; i < argc; i++) {
		int fd = atoi(argv[i]);
		int flags = fcntl(fd, F_GETFD);
		if (flags < 0) {
			printf("fdcheck %s: fd %d closed (%s)\n", argv[1], fd, errno_name(errno));
			continue;
		}
		char buf[5] = {0};
		ssize_t n = read(fd, buf, 4);
		printf("fdcheck %s: fd %d open, F_GETFD %d, reads '%s' (%d)\n", argv[1], fd, flags,
		       buf, (int)n);
	}
	return 0;
}
