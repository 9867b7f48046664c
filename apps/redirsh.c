/* redirsh: the lecture notes' shell with redirection: command < input > output 2> errlog. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXARGS 64

static pid_t pid;
static char **av;
static char *infile, *outfile, *errfile;

/* "<" and "file", or "<file": the file name; else NULL. */
static char *redir_target(char *w, const char *op, char **rest)
{
	size_t n = strlen(op);
	if (strncmp(w, op, n))
		return NULL;
	return w[n] ? w + n : strtok_r(NULL, " \t\r\n", rest);
}

/* Reads a line: the program, its arguments and the three redirections. */
static bool parse_next_line_of_input(char ***avp, FILE *in)
{
	static char line[1024];
	static char *args[MAXARGS + 1];
	if (isatty(0)) {
		fputs("redirsh> ", stdout);
		fflush(stdout);
	}
	if (!fgets(line, sizeof line, in))
		return false;
	int n = 0;
	char *rest, *f;
	infile = outfile = errfile = NULL;
	for (char *w = strtok_r(line, " \t\r\n", &rest); w; w = strtok_r(NULL, " \t\r\n", &rest)) {
		if ((f = redir_target(w, "2>", &rest)))
			errfile = f;
		else if ((f = redir_target(w, "<", &rest)))
			infile = f;
		else if ((f = redir_target(w, ">", &rest)))
			outfile = f;
		else if (n < MAXARGS)
			args[n++] = w;
	}
	args[n] = NULL;
	*avp = args;
	return true;
}

/* Opens file onto descriptor target, as the notes do for each of the three. */
static void redirect(const char *file, int flags, int target)
{
	int fd;
	if (!file)
		return;
	if ((fd = open(file, flags, 0666)) < 0) {
		perror(file);
		exit(1);
	}
	if (fd != target) {
		dup2(fd, target);
		close(fd);
	}
}

static void doexec(void)
{
	redirect(infile, O_RDONLY, 0);
	redirect(outfile, O_WRONLY | O_CREAT | O_TRUNC, 1);
	redirect(errfile, O_WRONLY | O_CREAT | O_TRUNC, 2);
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
