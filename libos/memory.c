/* Address-space helpers: walking the mapped pages of a range through the
 * kernel's read-only page table views (va_pte and pageref, single
 * lookups, are inline in libos.h), and the heap (sbrk, which picolibc's
 * malloc calls). */
#include <errno.h>
#include <stddef.h>

#include "libos.h"

/* Calls fn(va, pte, arg) for every mapped page in [lo, hi), found with
 * the page-table views (empty gigabytes and megabytes are skipped a level
 * up). Stops at and returns the first negative result. */
int foreach_mapped_page(uintptr_t lo, uintptr_t hi, int (*fn)(uintptr_t, pte_t, void *), void *arg)
{
	for (uintptr_t va = lo; va < hi;) {
		if (!(uvpgd[va >> 30] & PTE_V)) {
			va = ROUNDDOWN(va, GIGASIZE) + GIGASIZE;
			continue;
		}
		if (!(uvpmd[va >> 21] & PTE_V)) {
			va = ROUNDDOWN(va, MEGASIZE) + MEGASIZE;
			continue;
		}
		pte_t pte = uvpt[va >> 12];
		if (pte & PTE_V) {
			int r = fn(va, pte, arg);
			if (r < 0)
				return r;
		}
		va += PGSIZE;
	}
	return 0;
}

extern char end[];
static uintptr_t heap_top = (uintptr_t)end;

/* Grows the heap a page at a time with fresh zeroed pages. */
void *sbrk(ptrdiff_t incr)
{
	uintptr_t old = heap_top, new = heap_top + (uintptr_t)incr;
	if (incr < 0 || new >= USTACKTOP - 64 * PGSIZE) {
		errno = ENOMEM;
		return (void *)-1;
	}
	for (uintptr_t va = ROUNDUP(old, PGSIZE); va < new; va += PGSIZE) {
		if (sys_page_alloc(0, va, PTE_R | PTE_W) < 0) {
			errno = ENOMEM;
			return (void *)-1;
		}
	}
	heap_top = new;
	return (void *)old;
}
