/* stdin, stdout and stderr on the kernel's debug console, line buffered
 * (each thread has its own line buffer, so lines of threads never mix). */
#include <stdio.h>

#include "libos.h"

static __thread char outbuf[256]; /* per thread: its lines stay whole */
static __thread unsigned outlen;

void console_flush(void)
{
	if (outlen)
		sys_cputs(outbuf, outlen);
	outlen = 0;
}

static int console_put(char c, FILE *f)
{
	(void)f;
	outbuf[outlen++] = c;
	if (c == '\n' || outlen == sizeof outbuf)
		console_flush();
	return (unsigned char)c;
}

/* Waits for a byte, giving the CPU away while none is there. */
static int console_get(FILE *f)
{
	(void)f;
	console_flush();
	int c;
	while ((c = sys_cgetc()) == 0)
		sys_yield();
	return c;
}

static int console_flush_stream(FILE *f)
{
	(void)f;
	console_flush();
	return 0;
}

static FILE console =
	FDEV_SETUP_STREAM(console_put, console_get, console_flush_stream, _FDEV_SETUP_RW);
FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;
