/* readline MODE: reads the console, for the line-discipline tests.
 *   fgets   lines through stdio until EOF (Ctrl-D), then once more
 *   read    raw read(0): one line per read
 *   ignore  SIGINT ignored: Ctrl-C gives a fresh line
 *   catch   SIGINT caught: the read fails with EINTR
 *   poll    console_poll until Ctrl-C, then reads the type-ahead */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "libos.h"

static void lines(void)
{
	char line[1100];
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = '\0';
		printf("readline: got '%s'\n", line);
	}
	printf("readline: EOF\n");
}

static void raw(int n)
{
	char buf[1100];
	for (int i = 0; i < n; i++) {
		ssize_t r = read(0, buf, sizeof buf);
		if (r < 0) {
			printf("readline: read: -1 %s\n", errno_name(errno));
			continue;
		}
		buf[r] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		printf("readline: read %d bytes: '%s'\n", (int)r, buf);
	}
}

static volatile int caught;
static void on_sigint(int sig)
{
	caught = sig;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "fgets";
	printf("readline: ready\n");
	if (strcmp(mode, "fgets") == 0) {
		lines();
		clearerr(stdin);
		lines();
	} else if (strcmp(mode, "read") == 0) {
		raw(3);
	} else if (strcmp(mode, "ignore") == 0) {
		signal(SIGINT, SIG_IGN);
		lines();
	} else if (strcmp(mode, "catch") == 0) {
		signal(SIGINT, on_sigint);
		raw(2);
		printf("readline: handler saw signal %d\n", caught);
	} else if (strcmp(mode, "poll") == 0) {
		int polls = 0;
		while (console_poll() == 0) {
			if (polls++ == 0)
				printf("readline: polling\n");
			sys_yield();
		}
		printf("readline: console_poll saw Ctrl-C\n");
		raw(2);
	}
	printf("readline: done\n");
	return 0;
}
