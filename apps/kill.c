/* kill: sends a signal (default TERM) to processes: kill [-s SIG | -SIG] PID..., kill -l. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	fprintf(stderr, "usage: kill [-s SIGNAL | -SIGNAL] PID...\n       kill -l [STATUS]\n");
	exit(2);
}

/* A signal by name (TERM, SIGTERM, term) or number; -1 if none. */
static int signal_number(const char *s)
{
	char up[32];
	size_t i = 0;
	for (; s[i] && i < sizeof up - 1; i++)
		up[i] = (char)toupper((unsigned char)s[i]);
	up[i] = '\0';
	const char *name = strncmp(up, "SIG", 3) ? up : up + 3;
	int sig;
	if (isdigit((unsigned char)*name)) {
		char *end;
		long v = strtol(name, &end, 10);
		return *end || v < 0 || v >= NSIG ? -1 : (int)v;
	}
	return str2sig(name, &sig) == 0 && sig > 0 && sig < NSIG ? sig : -1;
}

/* kill -l: every signal name; kill -l N: the name of a signal or of
 * the signal that ended a process with exit status N (128 + sig). */
static int list(const char *arg)
{
	char name[SIG2STR_MAX];
	if (arg && !isdigit((unsigned char)arg[0])) { /* a name: its number */
		int sig = signal_number(arg);
		if (sig <= 0) {
			fprintf(stderr, "kill: %s: invalid signal specification\n", arg);
			return 1;
		}
		printf("%d\n", sig);
		return 0;
	}
	if (arg) {
		int n = atoi(arg);
		if (n > 128)
			n -= 128;
		if (n <= 0 || n >= NSIG || sig2str(n, name) < 0) {
			fprintf(stderr, "kill: %s: invalid signal specification\n", arg);
			return 1;
		}
		puts(name);
		return 0;
	}
	for (int s = 1; s < NSIG; s++)
		if (sig2str(s, name) == 0)
			printf("%2d) SIG%s\n", s, name);
	return 0;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1;
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "-l") || !strcmp(argv[1], "-L"))
		return list(argc > 2 ? argv[2] : NULL);
	const char *spec = NULL;
	if (!strcmp(argv[1], "-s") || !strcmp(argv[1], "-n")) {
		if (argc < 3)
			usage();
		spec = argv[2], i = 3;
	} else if (argv[1][0] == '-' && strcmp(argv[1], "--")) {
		spec = argv[1] + 1, i = 2;
	}
	if (spec && (sig = signal_number(spec)) < 0) {
		fprintf(stderr, "kill: %s: invalid signal specification\n", spec);
		return 1;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i == argc)
		usage();
	int status = 0;
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (*end || end == argv[i]) {
			fprintf(stderr, "kill: %s: arguments must be process ids\n", argv[i]);
			status = 1;
		} else if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: (%ld): %s\n", pid, strerror(errno));
			status = 1;
		}
	}
	return status;
}
