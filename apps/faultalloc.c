/* faultalloc: a page-fault handler maps a page at the faulting address
 * and writes a string there; the second string crosses into the next
 * page, so the handler faults again while it writes. */
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
	printf("%s\n", (char *)0xdeadbeef);
	printf("%s\n", (char *)0xcafebffe);
	return 0;
}
