/* The freestanding memory and string routines the kernel (and the compiler) uses. */
#include "kernel.h"

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	if (c == 0 && ((uintptr_t)d | n) % 8 == 0) {
		for (uint64_t *w = dst; n; n -= 8)
			*w++ = 0;
		return dst;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	if (((uintptr_t)dst | (uintptr_t)src | n) % 8 == 0) {
		uint64_t *d = dst;
		const uint64_t *s = src;
		for (; n; n -= 8)
			*d++ = *s++;
		return dst;
	}
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}
