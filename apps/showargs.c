/* showargs: prints its pid, its parent's pid, its arguments and its
 * environment, one a line; exectest and envtest run it to see what exec
 * and spawn passed. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* Long arguments are shown by their length and ends. */
static void show(const char *what, int i, const char *s)
{
	size_t n = strlen(s);
	if (n <= 64)
		printf("showargs: %s[%d] '%s'\n", what, i, s);
	else
		printf("showargs: %s[%d] %u chars '%.8s...%s'\n", what, i, (unsigned)n, s,
		       s + n - 8);
}

int main(int argc, char **argv)
{
	printf("showargs: pid %08x ppid %08x\n", (unsigned)getpid(), (unsigned)getppid());
	printf("showargs: argc %d\n", argc);
	for (int i = 0; i < argc; i++)
		show("argv", i, argv[i]);
	if (argv[argc] != NULL)
		printf("showargs: argv[argc] is not NULL\n");
	int n = 0;
	for (char **e = environ; e && *e; e++)
		show("env", n++, *e);
	printf("showargs: %d variables\n", n);
	return 0;
}
