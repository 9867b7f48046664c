/* Program start-up: the per-env page and TLS, exception handling, file
 * descriptors and stdio, argc/argv/envp, main, exit. */
#include <picolibc.h>
#include <picotls.h>
#include <stdlib.h>

#include "libos.h"

extern int main(int argc, char **argv, char **envp);
void signals_init(void);
void fd_init(void);    /* fd.c */
void stdio_init(void); /* stdio.c */

const char *progname = "?";
char **environ;

/* Maps the per-env page (kept across exec, made by fork for a child) and
 * points tp at the TLS block in it: picolibc keeps errno in TLS. */
static void perenv_init(void)
{
	if (!(va_pte(UPERENV) & PTE_V) && sys_page_alloc(0, UPERENV, PTE_R | PTE_W) < 0)
		sys_env_destroy(0, 255);
	if (sizeof(struct perenv) + _tls_size() > PGSIZE || _tls_align() > 64)
		sys_env_destroy(0, 255);
	PERENV->env = &envs[ENVX(sys_getenvid())];
	PERENV->cow_copies = 0;
	_init_tls(PERENV->tls);
	_set_tls(PERENV->tls);
}

/* exec leaves its switch pages behind in the new image. */
static void exec_leftovers_free(void)
{
	for (uintptr_t va = UEXEC; va < UEXEC + 2 * PGSIZE; va += PGSIZE)
		if (va_pte(va) & PTE_V)
			sys_page_unmap(0, va);
}

void libos_start(uint64_t *sp) __attribute__((noreturn));
void libos_start(uint64_t *sp)
{
	perenv_init();
	signals_init();
	exceptions_init();
	exec_leftovers_free();
	fd_init();
	stdio_init();
	int argc = (int)sp[0];
	char **argv = (char **)&sp[1];
	environ = &argv[argc + 1];
	if (argc > 0)
		progname = argv[0];
	exit(main(argc, argv, environ));
}
