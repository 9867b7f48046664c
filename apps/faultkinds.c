/* faultkinds: a breakpoint, a misaligned atomic, an instruction fetch
 * from unmapped memory and a load page fault each reach the handler,
 * which steps past them; the program goes on. */
#include <stdio.h>

#include "libos.h"

static void handler(struct upcall_frame *uf)
{
	printf("caught cause %lu tval %lx\n", (unsigned long)uf->cause, (unsigned long)uf->tval);
	if (uf->cause == CAUSE_FETCH_PAGE_FAULT) {
		uf->tf.pc = uf->tf.ra; /* the bad call returns at once */
		return;
	}
	uint16_t insn = *(uint16_t *)uf->tf.pc;
	uf->tf.pc += (insn & 3) == 3 ? 4 : 2; /* skip a 32- or 16-bit instruction */
}

int main(void)
{
	unsigned causes[] = {CAUSE_BREAKPOINT,	    CAUSE_MISALIGNED_STORE, CAUSE_FETCH_PAGE_FAULT,
			     CAUSE_LOAD_PAGE_FAULT, CAUSE_MISALIGNED_LOAD,  CAUSE_STORE_PAGE_FAULT};
	for (unsigned i = 0; i < sizeof causes / sizeof causes[0]; i++)
		set_exception_handler(causes[i], handler);

	asm volatile("ebreak");
	printf("after the breakpoint\n");

	static uint64_t words[2];
	uintptr_t odd = (uintptr_t)words + 2;
	asm volatile("amoadd.w zero, zero, (%0)" ::"r"(odd) : "memory");
	printf("after the misaligned atomic\n");

	void (*nowhere)(void) = (void (*)(void))0x12345000UL;
	nowhere();
	printf("after the jump to nowhere\n");

	(void)*(volatile int *)0x50000000UL; /* skipped: its register keeps its value */
	printf("after the load fault\n");
	printf("done\n");
	return 0;
}
