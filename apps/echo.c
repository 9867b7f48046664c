/* echo: prints its arguments separated by spaces (-n: no newline, -e: backslash escapes). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool newline = true, escapes = false;

/* An option word is "-" followed only by n, e and E letters. */
static bool take_option(const char *arg)
{
	if (arg[0] != '-' || arg[1] == '\0' || strspn(arg + 1, "neE") != strlen(arg + 1))
		return false;
	for (const char *p = arg + 1; *p; p++) {
		if (*p == 'n')
			newline = false;
		else
			escapes = *p == 'e';
	}
	return true;
}

/* Prints s with escapes; returns false at \c (stop all output). */
static bool put_escaped(const char *s)
{
	static const char from[] = "abfnrtv\\", to[] = "\a\b\f\n\r\t\v\\";
	for (; *s; s++) {
		const char *e = s[0] == '\\' && s[1] ? strchr(from, s[1]) : NULL;
		if (s[0] == '\\' && s[1] == 'c')
			return false;
		if (e) {
			putchar(to[e - from]);
			s++;
		} else if (s[0] == '\\' && s[1] == '0') {
			int v = 0, n = 0;
			for (s += 2; n < 3 && *s >= '0' && *s <= '7'; n++, s++)
				v = v * 8 + (*s - '0');
			putchar(v);
			s--;
		} else {
			putchar(*s);
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	int i = 1;
	while (i < argc && take_option(argv[i]))
		i++;
	for (bool first = true; i < argc; i++, first = false) {
		if (!first)
			putchar(' ');
		if (!escapes)
			fputs(argv[i], stdout);
		else if (!put_escaped(argv[i]))
			return fflush(stdout) ? 1 : 0;
	}
	if (newline)
		putchar('\n');
	return fflush(stdout) ? 1 : 0;
}
