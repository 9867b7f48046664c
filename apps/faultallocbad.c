/* faultallocbad: the faultalloc handler is set, but the unmapped address
 * goes straight to sys_cputs: the kernel checks user pointers instead of
 * faulting on them, so it refuses with E_FAULT and no handler runs. */
#include <stdio.h>

#include "libos.h"

static void handler(struct upcall_frame *uf)
{
	uintptr_t addr = uf->tval;
	printf("fault %lx\n", (unsigned long)addr);
	int r = sys_page_alloc(0, ROUNDDOWN(addr, PGSIZE), PTE_R | PTE_W);
	if (r < 0)
		panic("allocating at %lx in page fault handler: %s", (unsigned long)addr,
		      exov_strerror(r));
	snprintf((char *)addr, 100, "this string was faulted in at %lx", (unsigned long)addr);
}

int main(void)
{
	set_pgfault_handler(handler);
	int r = sys_cputs((const char *)0xdeadbeef, 4);
	if (r < 0)
		panic("sys_cputs(0xdeadbeef): %s (%d)", exov_strerror(r), r);
	printf("sys_cputs(0xdeadbeef) printed\n");
	return 0;
}
