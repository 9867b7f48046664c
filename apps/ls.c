/* ls: lists directories and files: ls [-a] [-l] [-d] [-1] [FILE]... (-l: mode, links, size). */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool all, longform, dirs_as_files;

static void mode_string(mode_t m, char *s)
{
	s[0] = S_ISDIR(m) ? 'd' : S_ISFIFO(m) ? 'p' : S_ISCHR(m) ? 'c' : '-';
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		s[i + 1] = m & (0400 >> i) ? rwx[i] : '-';
	s[10] = '\0';
}

/* One entry; path is for stat, name is what is shown. */
static void show(const char *path, const char *name)
{
	if (!longform) {
		puts(name);
		return;
	}
	struct stat st;
	if (stat(path, &st) < 0) {
		fprintf(stderr, "ls: cannot access '%s': %s\n", path, strerror(errno));
		return;
	}
	char mode[11];
	mode_string(st.st_mode, mode);
	printf("%s %2lu %8lld %s\n", mode, (unsigned long)st.st_nlink, (long long)st.st_size, name);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "ls: cannot open directory '%s': %s\n", path, strerror(errno));
		return 2;
	}
	char **names = NULL;
	size_t n = 0;
	bool dots = false;
	for (struct dirent *de; (de = readdir(d));) {
		if (de->d_name[0] == '.' && !all)
			continue;
		dots |= !strcmp(de->d_name, ".");
		names = realloc(names, sizeof *names * (n + 3));
		names[n++] = strdup(de->d_name);
	}
	if (all && !dots) { /* -a shows . and .. even where readdir does not */
		names = realloc(names, sizeof *names * (n + 2));
		names[n++] = strdup(".");
		names[n++] = strdup("..");
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char full[512];
		snprintf(full, sizeof full, "%s/%s", path, names[i]);
		show(full, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* 1: a directory, 0: something else, -1: missing (said so). */
static int kind(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		fprintf(stderr, "ls: cannot access '%s': %s\n", path, strerror(errno));
		return -1;
	}
	return S_ISDIR(st.st_mode) && !dirs_as_files;
}

static int options(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'a')
				all = true;
			else if (*o == 'l')
				longform = true;
			else if (*o == 'd')
				dirs_as_files = true;
			else if (*o != '1') {
				fprintf(stderr,
					"ls: invalid option -- '%c'\nusage: ls [-adl1] [FILE]...\n",
					*o);
				exit(2);
			}
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	int i = options(argc, argv), status = 0;
	if (i == argc)
		return list_dir(".");
	qsort(argv + i, (size_t)(argc - i), sizeof *argv, by_name);
	int kinds[argc];
	bool first = true;
	for (int k = i; k < argc; k++) { /* files first, then directories */
		kinds[k] = kind(argv[k]);
		if (kinds[k] == 0) {
			show(argv[k], argv[k]);
			first = false;
		}
		if (kinds[k] < 0)
			status = 2;
	}
	for (int k = i; k < argc; k++) {
		if (kinds[k] != 1)
			continue;
		if (argc - i > 1)
			printf("%s%s:\n", first ? "" : "\n", argv[k]);
		first = false;
		status |= list_dir(argv[k]);
	}
	return status;
}
