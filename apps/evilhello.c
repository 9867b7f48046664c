/* evilhello: asks the kernel to print kernel memory; it must refuse. */
#include <stdio.h>

#include "libos.h"

static void try_print(const char *what, uintptr_t va)
{
	int r = sys_cputs((const char *)va, 64);
	printf("cputs of %s: %s\n", what, r == 0 ? "PRINTED" : exov_strerror(r));
}

int main(void)
{
	try_print("the kernel image", KERNEL_VMA);
	try_print("the direct map", DIRECT_MAP + 0x80200000UL);
	try_print("the page-table view", UVPT);
	try_print("unmapped memory", 0x10000000UL);
	return 0;
}
