/* pipesh: the lecture notes' shell with pipelines: command1 | command2 | command3 ... */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXARGS 64

static pid_t pid;
static char **av;
static char *outcmd; /* the rest of the line after the command in av */

/* Splits the first command of line (up to "|") into *avp; *outcmdp gets
 * what follows the "|", or NULL. */
static void parse_command_line(char ***avp, char **outcmdp, char *line)
{
	static char *args[MAXARGS + 1];
	char *bar = strchr(line, '|');
	*outcmdp = bar ? bar + 1 : NULL;
	if (bar)
		*bar = '\0';
	int n = 0;
	for (char *w = strtok(line, " \t\r\n"); w && n < MAXARGS; w = strtok(NULL, " \t\r\n"))
		args[n++] = w;
	args[n] = NULL;
	*avp = args;
}

static bool read_line(char *line, size_t size)
{
	if (isatty(0)) {
		fputs("pipesh> ", stdout);
		fflush(stdout);
	}
	return fgets(line, (int)size, stdin) != NULL;
}

/* Each command but the last runs in a child writing into a pipe; this
 * process reads it and goes on to the next, and runs the last itself. */
static void doexec(void)
{
	while (outcmd) {
		int pipefds[2];
		if (pipe(pipefds) < 0) {
			perror("pipe");
			exit(1);
		}
		switch (fork()) {
		case -1:
			perror("fork");
			exit(1);
		case 0:
			dup2(pipefds[1], 1);
			close(pipefds[0]);
			close(pipefds[1]);
			outcmd = NULL;
			break;
		default:
			dup2(pipefds[0], 0);
			close(pipefds[0]);
			close(pipefds[1]);
			parse_command_line(&av, &outcmd, outcmd);
			break;
		}
	}
	if (!av[0]) {
		fprintf(stderr, "pipesh: empty command\n");
		exit(1);
	}
	execvp(av[0], av);
	perror(av[0]);
	exit(1);
}

int main(void)
{
	static char line[1024];
	while (read_line(line, sizeof line)) {
		parse_command_line(&av, &outcmd, line);
		if (!av[0] && !outcmd)
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
