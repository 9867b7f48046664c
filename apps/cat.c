/* cat: copies files (or stdin, or "-") to stdout; -n numbers the lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool number;
static long line_no = 1;
static bool at_line_start = true;

static bool write_all(const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, buf, n);
		if (w <= 0)
			return false;
		buf += w;
		n -= (size_t)w;
	}
	return true;
}

/* With -n: a line number before each line. */
static bool write_numbered(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (at_line_start) {
			char num[16];
			int len = snprintf(num, sizeof num, "%6ld\t", line_no++);
			if (!write_all(num, (size_t)len))
				return false;
		}
		size_t end = i;
		while (end < n && buf[end] != '\n')
			end++;
		at_line_start = end < n;
		if (!write_all(buf + i, end - i + (end < n)))
			return false;
		i = end;
	}
	return true;
}

/* 0, or 1 after printing why it failed. */
static int copy(int fd, const char *name)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		if (!(number ? write_numbered(buf, (size_t)n) : write_all(buf, (size_t)n))) {
			fprintf(stderr, "cat: write error: %s\n", strerror(errno));
			return 1;
		}
	}
	if (n < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-n")) {
			fprintf(stderr, "cat: invalid option -- '%s'\nusage: cat [-n] [FILE]...\n",
				argv[i] + 1);
			return 1;
		}
		number = true;
	}
	if (i == argc)
		return copy(0, "stdin");
	int status = 0;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			status |= copy(0, "stdin");
			continue;
		}
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]);
		close(fd);
	}
	return status;
}
