/* sort: sorts lines of files or stdin: sort [-rnuf] [-t C] [-k N[,M]] [-o FILE] [FILE]... */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool reverse, numeric, unique, fold;
static int key_start, key_end; /* fields, 1-based; 0: whole line / to the end */
static char sep;	       /* -t; 0: blanks separate fields */

struct lines {
	char **v;
	size_t n, cap;
};

static void add_line(struct lines *l, char *s)
{
	if (l->n == l->cap)
		l->v = realloc(l->v, sizeof *l->v * (l->cap = l->cap ? l->cap * 2 : 256));
	l->v[l->n++] = s;
}

static void read_lines(FILE *f, struct lines *l)
{
	for (;;) {
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
			return;
		}
		s[n] = '\0';
		add_line(l, s);
	}
}

/* The start of field n (1-based) of s. */
static const char *field(const char *s, int n)
{
	for (int i = 1; i < n && *s; i++) {
		if (sep) {
			const char *p = strchr(s, sep);
			s = p ? p + 1 : s + strlen(s);
		} else {
			while (*s && isblank((unsigned char)*s))
				s++;
			while (*s && !isblank((unsigned char)*s))
				s++;
		}
	}
	return s;
}

/* The key of s as [*start, *end). */
static void key(const char *s, const char **start, const char **end)
{
	*start = key_start ? field(s, key_start) : s;
	*end = s + strlen(s);
	if (key_end) {
		const char *e = field(s, key_end + 1);
		if (sep && e > s && *e && e[-1] == sep)
			e--;
		else if (sep && *e == '\0' && e > *start && e[-1] == sep)
			e--;
		*end = e < *start ? *start : e;
	}
}

static int compare_keys(const char *a, const char *b)
{
	const char *as, *ae, *bs, *be;
	key(a, &as, &ae);
	key(b, &bs, &be);
	if (numeric) {
		double x = strtod(as, NULL), y = strtod(bs, NULL);
		return x < y ? -1 : x > y;
	}
	size_t an = (size_t)(ae - as), bn = (size_t)(be - bs), n = an < bn ? an : bn;
	int r = fold ? strncasecmp(as, bs, n) : memcmp(as, bs, n);
	return r ? r : an < bn ? -1 : an > bn;
}

static int compare(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	int r = compare_keys(a, b);
	if (r == 0 && !unique)
		r = strcmp(a, b);
	return reverse ? -r : r;
}

static void usage(void)
{
	fprintf(stderr, "usage: sort [-rnuf] [-t C] [-k N[,M]] [-o FILE] [FILE]...\n");
	exit(2);
}

static void set_key(const char *k)
{
	char *end;
	key_start = (int)strtol(k, &end, 10);
	key_end = *end == ',' ? (int)strtol(end + 1, &end, 10) : 0;
	while (*end && strchr("bnrf", *end)) {
		numeric |= *end == 'n';
		reverse |= *end == 'r';
		fold |= *end == 'f';
		end++;
	}
	if (key_start < 1 || *end)
		usage();
}

static int options(int argc, char **argv, const char **out)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--"))
			return i + 1;
		for (const char *o = argv[i] + 1; *o; o++) {
			if (strchr("tko", *o)) {
				const char *v = o[1] ? o + 1 : i + 1 < argc ? argv[++i] : NULL;
				if (!v)
					usage();
				if (*o == 't')
					sep = v[0];
				else if (*o == 'k')
					set_key(v);
				else
					*out = v;
				break;
			}
			if (*o == 'r')
				reverse = true;
			else if (*o == 'n')
				numeric = true;
			else if (*o == 'u')
				unique = true;
			else if (*o == 'f')
				fold = true;
			else
				usage();
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	int i = options(argc, argv, &out), status = 0;
	struct lines l = {0};
	if (i == argc)
		read_lines(stdin, &l);
	for (; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;
		if (!f) {
			fprintf(stderr, "sort: cannot read: %s: %s\n", argv[i], strerror(errno));
			status = 2;
			continue;
		}
		read_lines(f, &l);
		if (f != stdin)
			fclose(f);
	}
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, compare);
	FILE *o = out ? fopen(out, "w") : stdout;
	if (!o) {
		fprintf(stderr, "sort: cannot create %s: %s\n", out, strerror(errno));
		return 2;
	}
	for (size_t k = 0; k < l.n; k++)
		if (!unique || k == 0 || compare_keys(l.v[k - 1], l.v[k]) != 0)
			fprintf(o, "%s\n", l.v[k]);
	if (o != stdout)
		fclose(o);
	return status;
}
