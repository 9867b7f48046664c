/* exoforkoom: sys_exofork when only 0..3 pages are free must either work
 * or fail with E_NO_MEM, and leave no page behind either way. */
#include <stdio.h>

#include "libos.h"

#define EAT_BASE 0x100000000UL /* where the pages eaten are mapped */

static uintptr_t eat_top = EAT_BASE;

/* Unmaps the pages eaten above top. */
static void uneat_to(uintptr_t top)
{
	while (eat_top > top) {
		eat_top -= PGSIZE;
		sys_page_unmap(0, eat_top);
	}
}

/* Maps pages until exactly left are free. */
static void eat_until(uint64_t left)
{
	while (sysinfo->free_pages > left) {
		if (sys_page_alloc(0, eat_top, PTE_R) < 0)
			break;
		eat_top += PGSIZE;
	}
	while (sysinfo->free_pages < left && eat_top > EAT_BASE)
		uneat_to(eat_top - PGSIZE);
}

int main(void)
{
	eat_until(0); /* makes the page tables the eaten region needs */
	uneat_to(EAT_BASE);
	int leaks = 0;
	for (uint64_t left = 0; left <= 3; left++) {
		uint64_t before = sysinfo->free_pages;
		uintptr_t top = eat_top;
		eat_until(left);
		uint64_t at = sysinfo->free_pages;
		envid_t child = sys_exofork();
		if (child == 0)
			for (;;) /* never runs */
				;
		if (child > 0) {
			sys_env_destroy(child, 0);
			sys_env_destroy(child, 0); /* reap */
		}
		uneat_to(top);
		uint64_t after = sysinfo->free_pages;
		leaks += after != before;
		printf("exoforkoom: %lu pages free: exofork %s; free pages before %lu, after %lu\n",
		       (unsigned long)at, child > 0 ? "worked" : exov_strerror(child),
		       (unsigned long)before, (unsigned long)after);
	}
	printf("exoforkoom: %d leaks\n", leaks);
	return leaks != 0;
}
