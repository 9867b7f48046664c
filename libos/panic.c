/* panic: report a broken invariant and end the process. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libos.h"

void _panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "[%08x] user panic in %s at %s:%d: ", (unsigned)thisenv->env_id, progname,
		file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	_exit(255);
}
