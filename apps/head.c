/* head: prints the first lines (-n N, default 10) or bytes (-c N) of files or stdin. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long count = 10;
static bool bytes;

static void head(FILE *f)
{
	long left = count;
	int c;
	while (left > 0 && (c = getc(f)) != EOF) {
		putchar(c);
		if (bytes || c == '\n')
			left--;
	}
}

static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0) {
		fprintf(stderr, "head: invalid number of %s: '%s'\n", bytes ? "bytes" : "lines", s);
		exit(1);
	}
	return v;
}

static int options(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			return i + 1;
		if (isdigit((unsigned char)a[1])) { /* -N */
			count = number(a + 1);
		} else if ((a[1] == 'n' || a[1] == 'c') && (a[2] || i + 1 < argc)) {
			bytes = a[1] == 'c';
			count = number(a[2] ? a + 2 : argv[++i]);
		} else {
			fprintf(stderr,
				"head: invalid option -- '%s'\nusage: head [-n N | -c N] "
				"[FILE]...\n",
				a + 1);
			exit(1);
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	int i = options(argc, argv), status = 0;
	if (i == argc)
		head(stdin);
	for (int k = i; k < argc; k++) {
		FILE *f = strcmp(argv[k], "-") ? fopen(argv[k], "r") : stdin;
		if (!f) {
			fprintf(stderr, "head: cannot open '%s' for reading: %s\n", argv[k],
				strerror(errno));
			status = 1;
			continue;
		}
		if (argc - i > 1)
			printf("%s==> %s <==\n", k > i ? "\n" : "",
			       f == stdin ? "standard input" : argv[k]);
		head(f);
		if (f != stdin)
			fclose(f);
	}
	return status;
}
