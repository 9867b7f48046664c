/* faultillegal: an illegal instruction reaches its handler, which skips
 * it; the program goes on. */
#include <stdio.h>

#include "libos.h"

static void handler(struct upcall_frame *uf)
{
	printf("illegal instruction at pc %lx, cause %lu\n", (unsigned long)uf->tf.pc,
	       (unsigned long)uf->cause);
	uf->tf.pc += 4; /* skip it */
}

int main(void)
{
	set_exception_handler(CAUSE_ILLEGAL_INSTRUCTION, handler);
	asm volatile(".word 0xffffffff"); /* no such instruction */
	printf("back after the illegal instruction\n");
	asm volatile("csrr t0, sstatus" ::: "t0"); /* a privileged one */
	printf("back after reading sstatus\n");
	return 0;
}
