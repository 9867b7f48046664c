/* picolibc's stdio on descriptors: stdin, stdout and stderr on fds 0, 1
 * and 2 (line buffered on a terminal), fopen/fdopen streams, and the
 * flush of every stream when the process exits. */
#include <errno.h>
#include <fcntl.h>
#include <stdio-bufio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fd.h"

int __posix_sflags(const char *mode, int *optr); /* picolibc */

/* Reading stdin first shows what was written before (a prompt). */
static ssize_t stdin_read(int fd, void *buf, size_t n)
{
	fflush(stdout);
	fflush(stderr);
	return read(fd, buf, n);
}

/* stderr's lines appear after what stdout had before them. */
static ssize_t stderr_write(int fd, const void *buf, size_t n)
{
	fflush(stdout);
	return write(fd, buf, n);
}

/* fclose on a standard stream closes its fd but cannot free it. */
static int std_close(FILE *f)
{
	int r = __bufio_flush(f);
	if (close(((struct __file_bufio *)f)->fd) < 0)
		r = EOF;
	return r;
}

#define STD_STREAM(_fd, _buf, _read, _write, _rw)                                           \
	{                                                                                   \
		.xfile = FDEV_SETUP_EXT(__bufio_put, __bufio_get, __bufio_flush, std_close, \
					__bufio_seek, __bufio_setvbuf, (_rw) | __SBUF),     \
		.fd = (_fd), .bflags = __BLBF, .buf = (_buf), .size = sizeof(_buf),         \
		.read = (_read), .write = (_write), .lseek = lseek, .close = close,         \
	}

static char inbuf[BUFSIZ], outbuf[BUFSIZ], errbuf[256];
static struct __file_bufio std_in = STD_STREAM(0, inbuf, stdin_read, write, __SRD);
static struct __file_bufio std_out = STD_STREAM(1, outbuf, read, write, __SWR);
static struct __file_bufio std_err = STD_STREAM(2, errbuf, read, stderr_write, __SWR);

FILE *const stdin = &std_in.xfile.cfile.file;
FILE *const stdout = &std_out.xfile.cfile.file;
FILE *const stderr = &std_err.xfile.cfile.file;

/* Streams from fopen/fdopen, so that exit can flush them. */
struct ofile {
	struct __file_bufio bf;
	struct ofile *next, **prevp;
	char buf[BUFSIZ];
};
static struct ofile *ofiles;

/* Start-up: stdin and stdout are line buffered on a terminal, fully
 * buffered otherwise; stderr is always line buffered. */
void stdio_init(void)
{
	__bufio_lock_init(stdin);
	__bufio_lock_init(stdout);
	__bufio_lock_init(stderr);
	if (!isatty(0))
		std_in.bflags &= (uint8_t)~__BLBF;
	if (!isatty(1))
		std_out.bflags &= (uint8_t)~__BLBF;
}

static int ofile_close(FILE *f)
{
	struct ofile *o = (struct ofile *)f;
	int r = __bufio_flush(f);
	*o->prevp = o->next;
	if (o->next)
		o->next->prevp = o->prevp;
	if (close(o->bf.fd) < 0)
		r = EOF;
	__bufio_lock_close(f);
	free(o);
	return r;
}

FILE *fdopen(int fd, const char *mode)
{
	int oflags;
	int sflags = __posix_sflags(mode, &oflags);
	if (!sflags) {
		errno = EINVAL;
		return NULL;
	}
	if (!fd_lookup(fd)) {
		errno = EBADF;
		return NULL;
	}
	struct ofile *o = calloc(1, sizeof *o);
	if (!o) {
		errno = ENOMEM;
		return NULL;
	}
	o->bf = (struct __file_bufio)FDEV_SETUP_BUFIO(fd, o->buf, BUFSIZ, read, write, lseek, close,
						      sflags, isatty(fd) ? __BLBF : 0);
	o->bf.xfile.cfile.close = ofile_close;
	FILE *f = &o->bf.xfile.cfile.file;
	__bufio_lock_init(f);
	o->next = ofiles;
	o->prevp = &ofiles;
	if (ofiles)
		ofiles->prevp = &o->next;
	ofiles = o;
	if (oflags & O_APPEND)
		fseeko(f, 0, SEEK_END);
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	int oflags;
	if (!__posix_sflags(mode, &oflags)) {
		errno = EINVAL;
		return NULL;
	}
	int fd = open(path, oflags, 0666);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, mode);
	if (!f)
		close(fd);
	return f;
}

/* exit() runs this (not _exit): buffered output reaches its file. */
static void __attribute__((destructor)) stdio_exit(void)
{
	for (struct ofile *o = ofiles; o; o = o->next)
		fflush(&o->bf.xfile.cfile.file);
	fflush(stdout);
	fflush(stderr);
}

/* Kept for programs written before descriptors. */
void console_flush(void)
{
	fflush(stdout);
	fflush(stderr);
}
