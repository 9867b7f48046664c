/* memcpy, memmove and memset a word at a time: picolibc, as Debian builds
 * it for RISC-V, has the size-optimized ones that move a byte per loop
 * (6 instructions a byte; a 4 KiB copy-on-write copy cost 24,000). */
#include <stddef.h>
#include <stdint.h>

/* Keep GCC from turning these loops back into calls to themselves. */
#define PLAIN_LOOPS __attribute__((optimize("no-tree-loop-distribute-patterns")))

PLAIN_LOOPS void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		for (; n && ((uintptr_t)d & 7); n--)
			*d++ = *s++;
		uint64_t *dw = (uint64_t *)d;
		const uint64_t *sw = (const uint64_t *)s;
		for (; n >= 64; n -= 64, dw += 8, sw += 8) {
			uint64_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];
			uint64_t f = sw[4], g = sw[5], h = sw[6], i = sw[7];
			dw[0] = a, dw[1] = b, dw[2] = c, dw[3] = e;
			dw[4] = f, dw[5] = g, dw[6] = h, dw[7] = i;
		}
		for (; n >= 8; n -= 8)
			*dw++ = *sw++;
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

/* A forward copy is safe when dst is below src: each block is read whole
 * before it is written. */
PLAIN_LOOPS void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

PLAIN_LOOPS void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = (unsigned char)c;
	uint64_t v = (unsigned char)c * 0x0101010101010101ULL;
	uint64_t *dw = (uint64_t *)d;
	for (; n >= 64; n -= 64, dw += 8)
		dw[0] = dw[1] = dw[2] = dw[3] = dw[4] = dw[5] = dw[6] = dw[7] = v;
	for (; n >= 8; n -= 8)
		*dw++ = v;
	d = (unsigned char *)dw;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}
