/*
 * User program entry. The loader (kernel or spawn) starts it with
 *
 *   sp -> argc | argv[0] ... argv[argc-1] | NULL | envp ... | NULL | auxv ...
 *
 * as the RISC-V psABI describes; libos_start reads it from a0.
 */
	.section .text.start
	.globl _start
_start:
	mv	a0, sp
	mv	s0, zero	/* end of the frame chain */
	mv	ra, zero
	call	libos_start	/* never returns */
1:	j	1b
