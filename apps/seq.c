/* seq: prints a sequence of numbers: seq [-s SEP] [-w] [FIRST [INCR]] LAST. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: seq [-s SEP] [-w] [FIRST [INCR]] LAST\n");
	exit(1);
}

/* Parses a number; counts its decimals so the output shows as many. */
static double number(const char *s, int *decimals)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end) {
		fprintf(stderr, "seq: invalid number: '%s'\n", s);
		exit(1);
	}
	const char *dot = strchr(s, '.');
	int d = dot ? (int)strspn(dot + 1, "0123456789") : 0;
	if (d > *decimals)
		*decimals = d;
	return v;
}

static int width_of(double v, int decimals)
{
	return snprintf(NULL, 0, "%.*f", decimals, v);
}

int main(int argc, char **argv)
{
	const char *sep = "\n";
	bool equal_width = false;
	/* A leading "-" followed by a digit is a negative number, not an option. */
	while (argc > 1 && argv[1][0] == '-' && argv[1][1] && !strchr("0123456789.", argv[1][1])) {
		if (!strcmp(argv[1], "-w")) {
			equal_width = true;
		} else if (!strcmp(argv[1], "-s") && argc > 2) {
			sep = argv[2];
			argv++, argc--;
		} else if (!strncmp(argv[1], "-s", 2)) {
			sep = argv[1] + 2;
		} else {
			usage();
		}
		argv++, argc--;
	}
	if (argc < 2 || argc > 4)
		usage();
	int decimals = 0;
	double first = 1, incr = 1, last = number(argv[argc - 1], &decimals);
	if (argc >= 3)
		first = number(argv[1], &decimals);
	if (argc == 4)
		incr = number(argv[2], &decimals);
	if (incr == 0) {
		fprintf(stderr, "seq: invalid zero increment\n");
		return 1;
	}
	int width = 0;
	if (equal_width) {
		int a = width_of(first, decimals), b = width_of(last, decimals);
		width = a > b ? a : b;
	}
	bool any = false;
	for (long i = 0;; i++) {
		double v = first + (double)i * incr;
		if (incr > 0 ? v > last + 1e-9 : v < last - 1e-9)
			break;
		printf("%s%0*.*f", any ? sep : "", width, decimals, v);
		any = true;
	}
	if (any)
		putchar('\n');
	return fflush(stdout) ? 1 : 0;
}
