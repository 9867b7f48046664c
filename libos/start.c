/* Program start-up: TLS, this env's record, argc/argv/envp, main, exit. */
#include <picolibc.h>
#include <picotls.h>
#include <stdlib.h>

#include "libos.h"

extern char __tls_main[];
extern int main(int argc, char **argv, char **envp);

const volatile struct env_info *thisenv;
const char *progname = "?";
char **environ;

void libos_start(uint64_t *sp) __attribute__((noreturn));
void libos_start(uint64_t *sp)
{
	/* picolibc keeps errno in TLS: tp must point at a TLS block first. */
	_init_tls(__tls_main);
	_set_tls(__tls_main);
	thisenv = &envs[ENVX(sys_getenvid())];
	int argc = (int)sp[0];
	char **argv = (char **)&sp[1];
	environ = &argv[argc + 1];
	if (argc > 0)
		progname = argv[0];
	exit(main(argc, argv, environ));
}
