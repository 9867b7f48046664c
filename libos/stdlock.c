/* Each stdio output call holds its stream's lock throughout, so a line
 * one thread prints with one call never mixes with another thread's
 * output (POSIX: stdio functions lock the stream). picolibc locks only
 * per character, so the Makefile links with --wrap for these entry
 * points (printf, fprintf and vprintf end in vfprintf; putchar in fputc). */
#include <stdarg.h>
#include <stdio-bufio.h>
#include <stdio.h>

static _LOCK_T stream_lock(FILE *f)
{
	return f && (f->flags & __SBUF) ? ((struct __file_bufio *)f)->lock : NULL;
}

int __real_vfprintf(FILE *f, const char *fmt, va_list ap);
int __real_fputs(const char *s, FILE *f);
int __real_puts(const char *s);
int __real_fputc(int c, FILE *f);
size_t __real_fwrite(const void *p, size_t size, size_t n, FILE *f);

int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap)
{
	__retarget_lock_acquire_recursive(stream_lock(f));
	int r = __real_vfprintf(f, fmt, ap);
	__retarget_lock_release_recursive(stream_lock(f));
	return r;
}

int __wrap_fputs(const char *s, FILE *f)
{
	__retarget_lock_acquire_recursive(stream_lock(f));
	int r = __real_fputs(s, f);
	__retarget_lock_release_recursive(stream_lock(f));
	return r;
}

int __wrap_puts(const char *s)
{
	__retarget_lock_acquire_recursive(stream_lock(stdout));
	int r = __real_puts(s);
	__retarget_lock_release_recursive(stream_lock(stdout));
	return r;
}

int __wrap_fputc(int c, FILE *f)
{
	__retarget_lock_acquire_recursive(stream_lock(f));
	int r = __real_fputc(c, f);
	__retarget_lock_release_recursive(stream_lock(f));
	return r;
}

int __wrap_putc(int c, FILE *f)
{
	return __wrap_fputc(c, f);
}

size_t __wrap_fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	__retarget_lock_acquire_recursive(stream_lock(f));
	size_t r = __real_fwrite(p, size, n, f);
	__retarget_lock_release_recursive(stream_lock(f));
	return r;
}
