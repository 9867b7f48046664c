/* touch: creates each file that does not exist (times are not kept). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "touch: missing file operand\n");
		return 1;
	}
	int status = 0;
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_WRONLY | O_CREAT, 0666);
		if (fd < 0) {
			fprintf(stderr, "touch: cannot touch '%s': %s\n", argv[i], strerror(errno));
			status = 1;
		} else {
			close(fd);
		}
	}
	return status;
}
