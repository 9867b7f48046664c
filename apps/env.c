/* env: prints the environment, or runs a command in a changed one (-i, -u NAME, NAME=VALUE). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static void usage(void)
{
	fprintf(stderr, "usage: env [-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG]...]\n");
	exit(125);
}

/* Applies the options; returns the index of the first non-option. */
static int options(int argc, char **argv)
{
	static char *empty[] = {NULL};
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "-i") || !strcmp(argv[i], "-")) {
			environ = empty;
		} else if (!strcmp(argv[i], "-u") && i + 1 < argc) {
			unsetenv(argv[++i]);
		} else {
			usage();
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	int i = options(argc, argv);
	for (; i < argc && strchr(argv[i], '='); i++) {
		char *eq = strchr(argv[i], '=');
		*eq = '\0';
		if (setenv(argv[i], eq + 1, 1) < 0) {
			fprintf(stderr, "env: cannot set '%s'\n", argv[i]);
			return 125;
		}
	}
	if (i == argc) {
		for (char **e = environ; *e; e++)
			puts(*e);
		return 0;
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "env: '%s': %s\n", argv[i], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
