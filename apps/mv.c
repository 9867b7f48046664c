/* mv: renames files: mv SOURCE DEST, or mv SOURCE... DIRECTORY. */
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int move(const char *from, const char *to)
{
	struct stat st;
	if (stat(from, &st) < 0) {
		fprintf(stderr, "mv: cannot stat '%s': %s\n", from, strerror(errno));
		return 1;
	}
	if (rename(from, to) < 0) {
		fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", from, to, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (argc - i < 2) {
		fprintf(stderr,
			"mv: missing file operand\nusage: mv SOURCE DEST | SOURCE... DIRECTORY\n");
		return 1;
	}
	const char *dest = argv[argc - 1];
	bool into = is_dir(dest);
	if (argc - i > 2 && !into) {
		fprintf(stderr, "mv: target '%s' is not a directory\n", dest);
		return 1;
	}
	int status = 0;
	for (; i < argc - 1; i++) {
		if (!into) {
			status |= move(argv[i], dest);
			continue;
		}
		char src[256], to[512];
		snprintf(src, sizeof src, "%s", argv[i]);
		snprintf(to, sizeof to, "%s/%s", dest, basename(src));
		status |= move(argv[i], to);
	}
	return status;
}
