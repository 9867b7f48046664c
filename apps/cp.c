/* cp: copies files: cp SOURCE DEST, or cp SOURCE... DIRECTORY. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

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

static int copy_fd(int in, int out)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write_all(out, buf, (size_t)n) < 0)
			return -1;
	return n < 0 ? -1 : 0;
}

static int copy(const char *from, const char *to)
{
	if (is_dir(from)) {
		fprintf(stderr, "cp: -r not specified; omitting directory '%s'\n", from);
		return 1;
	}
	int in = open(from, O_RDONLY);
	if (in < 0) {
		fprintf(stderr, "cp: cannot stat '%s': %s\n", from, strerror(errno));
		return 1;
	}
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (out < 0) {
		fprintf(stderr, "cp: cannot create regular file '%s': %s\n", to, strerror(errno));
		close(in);
		return 1;
	}
	int r = copy_fd(in, out);
	if (r < 0)
		fprintf(stderr, "cp: error copying '%s' to '%s': %s\n", from, to, strerror(errno));
	close(in);
	close(out);
	return r < 0;
}

int main(int argc, char **argv)
{
	int i = 1;
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (argc - i < 2) {
		fprintf(stderr,
			"cp: missing file operand\nusage: cp SOURCE DEST | SOURCE... DIRECTORY\n");
		return 1;
	}
	const char *dest = argv[argc - 1];
	bool into = is_dir(dest);
	if (argc - i > 2 && !into) {
		fprintf(stderr, "cp: target '%s' is not a directory\n", dest);
		return 1;
	}
	int status = 0;
	for (; i < argc - 1; i++) {
		if (!into) {
			status |= copy(argv[i], dest);
			continue;
		}
		char src[256], to[512];
		snprintf(src, sizeof src, "%s", argv[i]);
		snprintf(to, sizeof to, "%s/%s", dest, basename(src));
		status |= copy(argv[i], to);
	}
	return status;
}
