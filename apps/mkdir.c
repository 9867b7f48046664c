/* mkdir: makes directories; -p makes missing parents and accepts existing ones. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p: each prefix in turn. */
static int make_parents(const char *path)
{
	char buf[256];
	if (strlen(path) >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, 0777) < 0 && !(errno == EEXIST && is_dir(buf)))
			return -1;
		if (c == '\0')
			return 0;
		*p = c;
	}
}

int main(int argc, char **argv)
{
	bool parents = false;
	int i = 1, status = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "-p")) {
			fprintf(stderr, "mkdir: invalid option -- '%s'\nusage: mkdir [-p] DIR...\n",
				argv[i] + 1);
			return 1;
		}
		parents = true;
	}
	if (i == argc) {
		fprintf(stderr, "mkdir: missing operand\n");
		return 1;
	}
	for (; i < argc; i++) {
		if ((parents ? make_parents(argv[i]) : mkdir(argv[i], 0777)) < 0) {
			fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", argv[i],
				strerror(errno));
			status = 1;
		}
	}
	return status;
}
