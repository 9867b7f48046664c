/* faultdie: a page-fault handler reports the fault and exits. */
#include <stdio.h>
#include <stdlib.h>

#include "libos.h"

static void handler(struct upcall_frame *uf)
{
	printf("i faulted at va %lx, cause %lu\n", (unsigned long)uf->tval,
	       (unsigned long)uf->cause);
	exit(1);
}

int main(void)
{
	set_pgfault_handler(handler);
	*(volatile unsigned *)0xdeadbeef = 0;
	printf("not reached\n");
	return 0;
}
