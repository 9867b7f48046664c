/* rm: removes files; -r removes directories with their contents; -f ignores missing files. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool force, recursive;

static int fail(const char *path)
{
	if (force && errno == ENOENT)
		return 0;
	fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
	return 1;
}

static int remove_path(const char *path);

/* Reads every name first: removing entries while reading the directory
 * could skip some. */
static int remove_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return fail(path);
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *de; (de = readdir(d));) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		names = realloc(names, sizeof *names * (n + 1));
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	int status = 0;
	for (size_t i = 0; i < n; i++) {
		char child[512];
		snprintf(child, sizeof child, "%s/%s", path, names[i]);
		status |= remove_path(child);
		free(names[i]);
	}
	free(names);
	if (rmdir(path) < 0)
		return fail(path);
	return status;
}

static int remove_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return fail(path);
	if (S_ISDIR(st.st_mode)) {
		if (recursive)
			return remove_dir(path);
		errno = EISDIR;
		return fail(path);
	}
	return unlink(path) < 0 ? fail(path) : 0;
}

int main(int argc, char **argv)
{
	int i = 1, status = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'f') {
				force = true;
			} else if (*o == 'r' || *o == 'R') {
				recursive = true;
			} else {
				fprintf(stderr,
					"rm: invalid option -- '%c'\nusage: rm [-fr] FILE...\n",
					*o);
				return 1;
			}
		}
	}
	if (i == argc && !force) {
		fprintf(stderr, "rm: missing operand\n");
		return 1;
	}
	for (; i < argc; i++)
		status |= remove_path(argv[i]);
	return status;
}
