/* grep: prints lines that match: grep [-EFivcnlqsxw] [-e PATTERN]... PATTERN [FILE]... */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXPATTERNS 16

static bool fixed, extended, ignore_case, invert, count_only, numbers, names_only, quiet,
	no_messages, whole_line, whole_word;
static const char *patterns[MAXPATTERNS];
static regex_t regs[MAXPATTERNS];
static int npatterns;
static bool show_names;

/* Case-insensitive strstr when -i; starting from s. */
static const char *find(const char *s, const char *pat)
{
	if (!ignore_case)
		return strstr(s, pat);
	size_t n = strlen(pat);
	for (; *s; s++)
		if (!strncasecmp(s, pat, n))
			return s;
	return n == 0 ? s : NULL;
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Does [start, start+len) of line satisfy -x / -w? */
static bool span_ok(const char *line, const char *start, size_t len)
{
	if (whole_line)
		return start == line && start[len] == '\0';
	if (whole_word)
		return (start == line || !word_char(start[-1])) && !word_char(start[len]);
	return true;
}

static bool match_one(int k, const char *line)
{
	if (fixed) {
		size_t n = strlen(patterns[k]);
		for (const char *s = line; (s = find(s, patterns[k])); s++) {
			if (span_ok(line, s, n))
				return true;
			if (!*s)
				break;
		}
		return false;
	}
	regmatch_t m;
	for (const char *s = line; regexec(&regs[k], s, 1, &m, s == line ? 0 : REG_NOTBOL) == 0;) {
		if (span_ok(line, s + m.rm_so, (size_t)(m.rm_eo - m.rm_so)))
			return true;
		if (!s[m.rm_so])
			break;
		s += m.rm_so + 1;
	}
	return false;
}

static bool matches(const char *line)
{
	for (int k = 0; k < npatterns; k++)
		if (match_one(k, line))
			return true;
	return false;
}

/* Reads a line without its newline into *buf; false at the end. */
static bool get_line(FILE *f, char **buf, size_t *cap)
{
	size_t n = 0;
	int c;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (n + 2 > *cap)
			*buf = realloc(*buf, *cap = *cap ? *cap * 2 : 128);
		(*buf)[n++] = (char)c;
	}
	if (c == EOF && n == 0)
		return false;
	if (!*buf)
		*buf = malloc(*cap = 128);
	(*buf)[n] = '\0';
	return true;
}

/* Returns how many lines were selected. */
static long grep_file(FILE *f, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	long selected = 0;
	for (long no = 1; get_line(f, &line, &cap); no++) {
		if (matches(line) == invert)
			continue;
		selected++;
		if (quiet || names_only)
			break;
		if (count_only)
			continue;
		if (show_names)
			printf("%s:", name);
		if (numbers)
			printf("%ld:", no);
		puts(line);
	}
	free(line);
	if (count_only) {
		if (show_names)
			printf("%s:", name);
		printf("%ld\n", selected);
	} else if (names_only && selected) {
		puts(name);
	}
	return selected;
}

static void usage(void)
{
	fprintf(stderr, "usage: grep [-EFivcnlqsxw] [-e PATTERN]... PATTERN [FILE]...\n");
	exit(2);
}

static void add_pattern(const char *p)
{
	if (npatterns == MAXPATTERNS) {
		fprintf(stderr, "grep: too many patterns\n");
		exit(2);
	}
	patterns[npatterns++] = p;
}

static bool set_flag(char o)
{
	static const char letters[] = "EFivcnlqsxw";
	bool *flags[] = {&extended,   &fixed, &ignore_case, &invert,	 &count_only, &numbers,
			 &names_only, &quiet, &no_messages, &whole_line, &whole_word};
	const char *p = strchr(letters, o);
	if (!p || !o)
		return false;
	*flags[p - letters] = true;
	return true;
}

static int options(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'e') {
				const char *p = o[1] ? o + 1 : i + 1 < argc ? argv[++i] : NULL;
				if (!p)
					usage();
				add_pattern(p);
				break;
			}
			if (!set_flag(*o))
				usage();
		}
	}
	if (npatterns == 0) {
		if (i == argc)
			usage();
		add_pattern(argv[i++]);
	}
	return i;
}

static void compile_patterns(void)
{
	for (int k = 0; k < npatterns && !fixed; k++) {
		int flags = (extended ? REG_EXTENDED : 0) | (ignore_case ? REG_ICASE : 0);
		int r = regcomp(&regs[k], patterns[k], flags);
		if (r) {
			char msg[128];
			regerror(r, &regs[k], msg, sizeof msg);
			fprintf(stderr, "grep: %s: %s\n", patterns[k], msg);
			exit(2);
		}
	}
}

int main(int argc, char **argv)
{
	int i = options(argc, argv);
	compile_patterns();
	long selected = 0;
	bool error = false;
	show_names = argc - i > 1;
	if (i == argc)
		selected = grep_file(stdin, "(standard input)");
	for (; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;
		if (!f) {
			if (!no_messages)
				fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno));
			error = true;
			continue;
		}
		selected += grep_file(f, f == stdin ? "(standard input)" : argv[i]);
		if (f != stdin)
			fclose(f);
		if (quiet && selected)
			break;
	}
	fflush(stdout);
	if (error && !(quiet && selected))
		return 2;
	return selected ? 0 : 1;
}
