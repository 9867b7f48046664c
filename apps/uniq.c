/* uniq: drops repeated adjacent lines: uniq [-c] [-d] [-u] [-i] [INPUT [OUTPUT]]. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool show_count, only_repeated, only_unique, fold;

static char *get_line(FILE *f)
{
	size_t n = 0, cap = 64;
	char *s = malloc(cap);
	int c;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (n + 2 > cap)
			s = realloc(s, cap *= 2);
		s[n++] = (char)c;
	}
	if (c == EOF && n == 0) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

static void emit(FILE *out, const char *line, long count)
{
	if ((only_repeated && count < 2) || (only_unique && count > 1))
		return;
	if (show_count)
		fprintf(out, "%7ld %s\n", count, line);
	else
		fprintf(out, "%s\n", line);
}

static void uniq(FILE *in, FILE *out)
{
	char *prev = get_line(in);
	long count = 1;
	if (!prev)
		return;
	for (char *s; (s = get_line(in));) {
		if (fold ? !strcasecmp(s, prev) : !strcmp(s, prev)) {
			count++;
			free(s);
			continue;
		}
		emit(out, prev, count);
		free(prev);
		prev = s;
		count = 1;
	}
	emit(out, prev, count);
	free(prev);
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'c')
				show_count = true;
			else if (*o == 'd')
				only_repeated = true;
			else if (*o == 'u')
				only_unique = true;
			else if (*o == 'i')
				fold = true;
			else {
				fprintf(stderr,
					"uniq: invalid option -- '%c'\nusage: uniq [-cdui] [INPUT "
					"[OUTPUT]]\n",
					*o);
				return 1;
			}
		}
	}
	FILE *in = stdin, *out = stdout;
	if (i < argc && strcmp(argv[i], "-") && !(in = fopen(argv[i], "r"))) {
		fprintf(stderr, "uniq: %s: %s\n", argv[i], strerror(errno));
		return 1;
	}
	if (i + 1 < argc && !(out = fopen(argv[i + 1], "w"))) {
		fprintf(stderr, "uniq: %s: %s\n", argv[i + 1], strerror(errno));
		return 1;
	}
	uniq(in, out);
	if (out != stdout)
		fclose(out);
	return 0;
}
