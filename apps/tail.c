/* tail: prints the last lines (-n N, default 10; -n +N: from line N on) of files or stdin. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long count = 10;
static bool from_start; /* -n +N */

/* Reads a line with its newline (if any); NULL at the end. */
static char *get_line(FILE *f)
{
	size_t n = 0, cap = 128;
	char *s = malloc(cap);
	int c;
	while ((c = getc(f)) != EOF) {
		if (n + 2 > cap)
			s = realloc(s, cap *= 2);
		s[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

static void tail(FILE *f)
{
	if (from_start) {
		char *s;
		for (long no = 1; (s = get_line(f)); no++, free(s))
			if (no >= count)
				fputs(s, stdout);
		return;
	}
	if (count == 0)
		return;
	char **ring = calloc((size_t)count, sizeof *ring);
	long n = 0;
	for (char *s; (s = get_line(f)); n++) {
		free(ring[n % count]);
		ring[n % count] = s;
	}
	for (long k = n > count ? n - count : 0; k < n; k++) {
		fputs(ring[k % count], stdout);
		free(ring[k % count]);
	}
	free(ring);
}

static void set_count(const char *s)
{
	from_start = *s == '+';
	char *end;
	count = strtol(s + (*s == '+' || *s == '-'), &end, 10);
	if (!isdigit((unsigned char)s[*s == '+' || *s == '-']) || *end || count < 0) {
		fprintf(stderr, "tail: invalid number of lines: '%s'\n", s);
		exit(1);
	}
}

static int options(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			return i + 1;
		if (isdigit((unsigned char)a[1])) {
			set_count(a + 1);
		} else if (a[1] == 'n' && (a[2] || i + 1 < argc)) {
			set_count(a[2] ? a + 2 : argv[++i]);
		} else {
			fprintf(stderr,
				"tail: invalid option -- '%s'\nusage: tail [-n [+]N] [FILE]...\n",
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
		tail(stdin);
	for (int k = i; k < argc; k++) {
		FILE *f = strcmp(argv[k], "-") ? fopen(argv[k], "r") : stdin;
		if (!f) {
			fprintf(stderr, "tail: cannot open '%s' for reading: %s\n", argv[k],
				strerror(errno));
			status = 1;
			continue;
		}
		if (argc - i > 1)
			printf("%s==> %s <==\n", k > i ? "\n" : "",
			       f == stdin ? "standard input" : argv[k]);
		tail(f);
		if (f != stdin)
			fclose(f);
	}
	return status;
}
