/* Leaving: _exit (what picolibc's exit ends in) and panic. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "libos.h"

void _exit(int status)
{
	console_flush();
	sys_env_destroy(0, status);
	for (;;) /* not reached: destroying oneself does not return */
		;
}

void _panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "[%08x] user panic in %s at %s:%d: ", (unsigned)thisenv->env_id, progname,
		file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(255);
}
