/* minish: the lecture notes' minimal shell: each line a program run with fork, execvp, waitpid. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXARGS 64

static pid_t pid;
static char **av;

/* Reads a line and splits it at blanks into *avp; false at end of input. */
static bool parse_next_line_of_input(char ***avp, FILE *in)
{
	static char line[1024];
	static char *args[MAXARGS + 1];
	if (isatty(0)) {
		fputs("minish> ", stdout);
		fflush(stdout);
	}
	if (!fgets(line, sizeof line, in))
		return false;
	int n = 0;
	for (char *w = strtok(line, " \t\r\n"); w && n < MAXARGS; w = strtok(NULL, " \t\r\n"))
		args[n++] = w;
	args[n] = NULL;
	*avp = args;
	return true;
}

static void doexec(void)
{
	execvp(av[0], av);
	perror(av[0]);
	exit(1);
}

int main(void)
{
	while (parse_next_line_of_input(&av, stdin)) {
		if (!av[0])
			continue;
		switch (pid = fork()) {
		case -1:
			perror("fork");
			break;
		case 0:
			doexec();
			break;
		default:
			waitpid(pid, NULL, 0);
			break;
		}
	}
	return 0;
}
