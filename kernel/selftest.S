/*
 * The self-tests' probe (selftest.c): one access that may fault, with
 * stvec pointing at probe_trap meanwhile, which notes the cause and
 * resumes after the access; so the kernel's own trap path (which would
 * panic) never sees the fault.
 *
 * uint64_t selftest_probe(uint64_t kind, void *p): kind 0 loads the byte
 * at p and stores it back (a store that goes through changes nothing);
 * kind 1 calls p (which must hold a ret). Returns 0 if the access went
 * through, or scause. Interrupts are off in the kernel.
 */
	.section .text
	.globl selftest_probe
selftest_probe:
	la	t0, probe_trap
	csrrw	t0, stvec, t0		/* t0: the kernel's vector, until probe_done */
	li	t1, 0			/* t1: the cause */
	mv	t2, ra
	bnez	a0, 1f
	lbu	a0, 0(a1)
	sb	a0, 0(a1)
	j	probe_done
1:	jalr	a1			/* returns to probe_done */
probe_done:
	csrw	stvec, t0
	mv	a0, t1
	jr	t2

	.balign 4
probe_trap:
	csrr	t1, scause
	la	t3, probe_done
	csrw	sepc, t3
	sret
