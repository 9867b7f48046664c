/*
 * The exception upcall trampoline. The kernel enters here on the env's
 * exception stack with sp = a0 = a struct upcall_frame it pushed:
 *
 *   (higher: the interrupted exception-stack frames, if nested)
 *   +----------------------------+ <- frame + UF_SIZE
 *   | tval, cause                |
 *   | x31 ... x1 (x_n at n * 8)  |
 *   | pc                         | <- frame = a0 = sp on entry
 *   +----------------------------+
 *   | f0..f31, fcsr (saved here) | <- sp while the C handler runs
 *   +----------------------------+
 *
 * It saves the F/D registers (the C handler may use them), calls
 * upcall_dispatch(frame), restores F/D, then every general register
 * from the frame (which the handler may have edited) and jumps to the
 * frame's pc, all in user mode. RISC-V cannot jump without a register
 * holding the target, so the jump goes through gp: gp is reserved for
 * this and holds the resumed pc afterwards (nothing in exov uses gp:
 * programs are linked without __global_pointer$).
 */
#include <exov/env.h>

#define FP_SAVE (33 * 8 + 8) /* f0..f31, fcsr, keep 16-byte alignment */

	.text
	.globl upcall_entry
upcall_entry:
	addi	sp, sp, -FP_SAVE
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, \n*8(sp)
	.endr
	frcsr	t0
	sd	t0, 32*8(sp)
	/* a0 = frame still */
	call	upcall_dispatch
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, \n*8(sp)
	.endr
	ld	t0, 32*8(sp)
	fscsr	t0
	addi	gp, sp, FP_SAVE		/* gp = frame */
	ld	x1, TF_REG(1)(gp)
	ld	x2, TF_REG(2)(gp)
	ld	x4, TF_REG(4)(gp)
	ld	x5, TF_REG(5)(gp)
	ld	x6, TF_REG(6)(gp)
	ld	x7, TF_REG(7)(gp)
	ld	x8, TF_REG(8)(gp)
	ld	x9, TF_REG(9)(gp)
	ld	x10, TF_REG(10)(gp)
	ld	x11, TF_REG(11)(gp)
	ld	x12, TF_REG(12)(gp)
	ld	x13, TF_REG(13)(gp)
	ld	x14, TF_REG(14)(gp)
	ld	x15, TF_REG(15)(gp)
	ld	x16, TF_REG(16)(gp)
	ld	x17, TF_REG(17)(gp)
	ld	x18, TF_REG(18)(gp)
	ld	x19, TF_REG(19)(gp)
	ld	x20, TF_REG(20)(gp)
	ld	x21, TF_REG(21)(gp)
	ld	x22, TF_REG(22)(gp)
	ld	x23, TF_REG(23)(gp)
	ld	x24, TF_REG(24)(gp)
	ld	x25, TF_REG(25)(gp)
	ld	x26, TF_REG(26)(gp)
	ld	x27, TF_REG(27)(gp)
	ld	x28, TF_REG(28)(gp)
	ld	x29, TF_REG(29)(gp)
	ld	x30, TF_REG(30)(gp)
	ld	x31, TF_REG(31)(gp)
	ld	gp, TF_REG(0)(gp)	/* the pc */
	jr	gp
