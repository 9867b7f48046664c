/* printenv: like the Unix tool: with no arguments prints the whole
 * environment, NAME=value a line; with names prints each one's value
 * and exits 1 if any is unset. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 2) {
		for (char **e = environ; e && *e; e++)
			printf("%s\n", *e);
		return 0;
	}
	int missing = 0;
	for (int i = 1; i < argc; i++) {
		const char *v = getenv(argv[i]);
		if (v)
			printf("%s\n", v);
		else
			missing = 1;
	}
	return missing;
}
