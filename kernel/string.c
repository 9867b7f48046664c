/* The freestanding memory and string routines the kernel (and the compiler) uses. */
#include "kernel.h"

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	if (c == 0 && ((uintptr_t)d | n) % 8 == 0) { /* structs and tables, mostly */
		uint64_t *w = dst;
		for (; n >= 64; n -= 64, w += 8)
			w[0] = w[1] = w[2] = w[3] = w[4] = w[5] = w[6] = w[7] = 0;
		for (; n; n -= 8)
			*w++ = 0;
		return dst;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	if (((uintptr_t)dst | (uintptr_t)src | n) % 64 == 0) {
		uint64_t *d = dst;
		const uint64_t *s = src;
		for (; n; n -= 64, d += 8, s += 8) {
			uint64_t a = s[0], b = s[1], c = s[2], e = s[3];
			uint64_t f = s[4], g = s[5], h = s[6], i = s[7];
			d[0] = a, d[1] = b, d[2] = c, d[3] = e;
			d[4] = f, d[5] = g, d[6] = h, d[7] = i;
		}
		return dst;
	}
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
