/*
 * Trap vector, return to user, and FPU context switch.
 *
 * Contract: while an env runs in user mode, sscratch = &curenv->tf (struct
 * trapframe, the first field of struct env); while the kernel runs,
 * sscratch = 0. A trap from user mode saves every general register and
 * the pc into that frame and restarts the kernel on a fresh stack; the
 * kernel never returns into an old kernel stack frame.
 *
 *   struct trapframe (8 bytes a slot, TF_REG(n) = n * 8)
 *   +0    pc   (x0 is always zero, so its slot holds sepc)
 *   +8    ra   (x1)
 *   +16   sp   (x2)
 *   ...        x_n at n * 8
 *   +248  t6   (x31)
 *
 * A trap from kernel mode (only the idle loop's timer interrupt is
 * expected; anything else panics) pushes this on the kernel stack, unless
 * that has overflowed (kernel_trap):
 *
 *   sp + KF_SIZE  +----------------------+ <- trap-time sp
 *                 | x_n at n * 8 for the |
 *                 | caller-saved regs    |
 *                 | sepc at 0            |
 *   sp ---------> +----------------------+
 */
#include <exov/env.h>
#include <exov/syscall_nums.h>

#include "kernel.h"

#define KF_SIZE TF_SIZE

	.section .text
	.balign 4
	.globl trap_vector
trap_vector:
	csrrw	a0, sscratch, a0
	beqz	a0, kernel_trap
	sd	x5, TF_REG(5)(a0)
	csrr	t0, scause
	bltz	t0, save_all		/* an interrupt */
	addi	t0, t0, -CAUSE_USER_ECALL
	bnez	t0, exception
	/* A system call with an entry in syscall_fast_table? */
	li	t0, SYS_MAX
	bgeu	a7, t0, save_all
	sd	ra, TF_REG(1)(a0)
	lla	ra, syscall_fast_table
	slli	t0, a7, 3
	add	ra, ra, t0
	ld	ra, 0(ra)
	andi	t0, ra, 1
	bnez	t0, switch_syscall
	bnez	ra, fast_syscall
	ld	ra, TF_REG(1)(a0)
save_all:
	sd	x1, TF_REG(1)(a0)
	sd	x2, TF_REG(2)(a0)
	sd	x3, TF_REG(3)(a0)
	sd	x4, TF_REG(4)(a0)
	sd	x6, TF_REG(6)(a0)
	sd	x7, TF_REG(7)(a0)
	sd	x8, TF_REG(8)(a0)
	sd	x9, TF_REG(9)(a0)
	sd	x11, TF_REG(11)(a0)
	sd	x12, TF_REG(12)(a0)
	sd	x13, TF_REG(13)(a0)
	sd	x14, TF_REG(14)(a0)
	sd	x15, TF_REG(15)(a0)
	sd	x16, TF_REG(16)(a0)
	sd	x17, TF_REG(17)(a0)
	sd	x18, TF_REG(18)(a0)
	sd	x19, TF_REG(19)(a0)
	sd	x20, TF_REG(20)(a0)
	sd	x21, TF_REG(21)(a0)
	sd	x22, TF_REG(22)(a0)
	sd	x23, TF_REG(23)(a0)
	sd	x24, TF_REG(24)(a0)
	sd	x25, TF_REG(25)(a0)
	sd	x26, TF_REG(26)(a0)
	sd	x27, TF_REG(27)(a0)
	sd	x28, TF_REG(28)(a0)
	sd	x29, TF_REG(29)(a0)
	sd	x30, TF_REG(30)(a0)
	sd	x31, TF_REG(31)(a0)
	csrr	t0, sscratch
	sd	t0, TF_REG(10)(a0)
	csrw	sscratch, zero
	csrr	t0, sepc
	sd	t0, TF_REG(0)(a0)
	la	sp, boot_stack_top
	call	trap_from_user		/* (struct trapframe *); never returns */

/*
 * The fast path: a call that never switches env nor looks at the
 * caller's saved registers (ra holds its handler). The C code keeps
 * s0..s11 (callee-saved), the kernel never uses gp or tp, sepc is left
 * alone (the kernel runs with interrupts off), and the ABI lets a call
 * change t0..t6 and a1..a7: so only ra and sp are saved, in curenv's
 * frame; on the way out every register the call may change is cleared,
 * so no kernel value leaks.
 */
fast_syscall:
	sd	sp, TF_REG(2)(a0)
	la	sp, boot_stack_top
	csrrw	a0, sscratch, zero	/* the caller's a0: the first argument */
	jalr	ra			/* syscall_fast_table[a7](a0..a5) */
fast_return:
	ld	t1, curenv		/* &curenv->tf: the frame is its first field */
	ld	ra, TF_REG(1)(t1)
	ld	sp, TF_REG(2)(t1)
	csrw	sscratch, t1
	csrr	t0, sepc
	addi	t0, t0, 4		/* past the ecall */
	csrw	sepc, t0
	li	a1, 0
	li	a2, 0
	li	a3, 0
	li	a4, 0
	li	a5, 0
	li	a6, 0
	li	a7, 0
	li	t0, 0
	li	t1, 0
	li	t2, 0
	li	t3, 0
	li	t4, 0
	li	t5, 0
	li	t6, 0
	sret

/*
 * A switch call: it may switch env (then the kernel resumes this env
 * later from its frame, by env_return) but reads none of the caller's
 * saved registers except a0. The registers a call may change are the
 * caller's to lose, so the frame gets only what survives a call: ra
 * (saved above), sp, gp, tp, s0..s11, a0 and the pc past the ecall; the
 * other slots keep this env's older values, which env_return may load
 * (the env's own, never another's). The handler runs with the caller's
 * a0..a5 (ra = its address + 1: jalr drops bit 0); if it returns, no
 * switch happened and the call leaves as a fast one.
 */
switch_syscall:
	sd	sp, TF_REG(2)(a0)
	sd	gp, TF_REG(3)(a0)
	sd	tp, TF_REG(4)(a0)
	sd	s0, TF_REG(8)(a0)
	sd	s1, TF_REG(9)(a0)
	.irp n, 18,19,20,21,22,23,24,25,26,27
	sd	x\n, TF_REG(\n)(a0)
	.endr
	csrr	t0, sepc
	addi	t0, t0, 4
	sd	t0, TF_REG(0)(a0)
	csrrw	t0, sscratch, zero	/* the caller's a0; the kernel runs with 0 */
	sd	t0, TF_REG(10)(a0)
	mv	a0, t0
	la	sp, boot_stack_top
	jalr	ra
	j	fast_return

/*
 * The fast upcall: an exception, not an illegal instruction (that may be
 * the lazy FPU), while sp is outside [FAST_BASE, +FAST_SPAN): trap.c has
 * checked the frame at the top of the exception stack and left its
 * kernel address (struct upcall_fast). Only what the upcall needs and
 * registers cannot carry goes into the frame: pc, sp, a0, cause, tval;
 * every other register still holds its trap-time value at the upcall,
 * which saves it (libos/upcall.S).
 *
 *   frame (FAST_FRAME, user address FAST_FRAME_VA):
 *   +UF_TVAL   tval        <- stval
 *   +UF_CAUSE  cause       <- scause
 *   x10 slot   a0          <- the caller's a0 (in sscratch)
 *   x2 slot    sp          <- the caller's sp
 *   +0         pc          <- sepc
 *   then sret to FAST_ENTRY with sp = a0 = FAST_FRAME_VA
 */
exception:
	addi	t0, t0, CAUSE_USER_ECALL - CAUSE_ILLEGAL_INSTRUCTION
	beqz	t0, save_all
	sd	sp, TF_REG(2)(a0)
	ld	t0, FAST_BASE(a0)
	sub	t0, sp, t0
	ld	sp, FAST_SPAN(a0)
	bltu	t0, sp, exception_slow
	ld	t0, FAST_FRAME(a0)
	ld	sp, TF_REG(2)(a0)
	sd	sp, TF_REG(2)(t0)
	csrr	sp, sscratch
	sd	sp, TF_REG(10)(t0)
	csrr	sp, sepc
	sd	sp, TF_REG(0)(t0)
	csrr	sp, scause
	sd	sp, UF_CAUSE(t0)
	csrr	sp, stval
	sd	sp, UF_TVAL(t0)
	ld	sp, FAST_ENTRY(a0)
	csrw	sepc, sp
	ld	sp, FAST_FRAME_VA(a0)
	csrw	sscratch, a0
	ld	t0, TF_REG(5)(a0)
	mv	a0, sp
	sret
exception_slow:
	ld	sp, TF_REG(2)(a0)
	j	save_all

/*
 * Here a0 = 0 and sscratch holds the trap-time a0. A trap-time sp within
 * a frame of the kernel stack's bottom (or below it: the guard page
 * trapped) means an overflow: pushing the frame would fault again, for
 * ever. Then it moves to the emergency stack and panics there.
 */
kernel_trap:
	la	a0, boot_stack + KF_SIZE
	bltu	sp, a0, kernel_stack_overflow
	csrrw	a0, sscratch, zero	/* a0 back, sscratch stays 0 */
	addi	sp, sp, -KF_SIZE
	sd	x1, TF_REG(1)(sp)
	sd	x5, TF_REG(5)(sp)
	sd	x6, TF_REG(6)(sp)
	sd	x7, TF_REG(7)(sp)
	sd	x10, TF_REG(10)(sp)
	sd	x11, TF_REG(11)(sp)
	sd	x12, TF_REG(12)(sp)
	sd	x13, TF_REG(13)(sp)
	sd	x14, TF_REG(14)(sp)
	sd	x15, TF_REG(15)(sp)
	sd	x16, TF_REG(16)(sp)
	sd	x17, TF_REG(17)(sp)
	sd	x28, TF_REG(28)(sp)
	sd	x29, TF_REG(29)(sp)
	sd	x30, TF_REG(30)(sp)
	sd	x31, TF_REG(31)(sp)
	csrr	t0, sepc
	sd	t0, TF_REG(0)(sp)
	mv	a0, sp
	call	trap_from_kernel	/* returns only for interrupts */
	ld	t0, TF_REG(0)(sp)
	csrw	sepc, t0
	ld	x1, TF_REG(1)(sp)
	ld	x5, TF_REG(5)(sp)
	ld	x6, TF_REG(6)(sp)
	ld	x7, TF_REG(7)(sp)
	ld	x10, TF_REG(10)(sp)
	ld	x11, TF_REG(11)(sp)
	ld	x12, TF_REG(12)(sp)
	ld	x13, TF_REG(13)(sp)
	ld	x14, TF_REG(14)(sp)
	ld	x15, TF_REG(15)(sp)
	ld	x16, TF_REG(16)(sp)
	ld	x17, TF_REG(17)(sp)
	ld	x28, TF_REG(28)(sp)
	ld	x29, TF_REG(29)(sp)
	ld	x30, TF_REG(30)(sp)
	ld	x31, TF_REG(31)(sp)
	addi	sp, sp, KF_SIZE
	sret
kernel_stack_overflow:
	mv	a0, sp
	la	sp, emergency_stack_top
	csrw	sscratch, zero
	call	kstack_overflow		/* (trap-time sp); never returns */

/* void env_return(struct trapframe *tf): load tf and sret to user mode.
 * The caller has set sstatus.SPP = 0, SPIE = 1, the FS field and satp.
 * env_resume is the same code under a type C can tail-call (kernel.h). */
	.globl env_return
	.globl env_resume
env_return:
env_resume:
	csrw	sscratch, a0
	ld	t0, TF_REG(0)(a0)
	csrw	sepc, t0
	ld	x1, TF_REG(1)(a0)
	ld	x2, TF_REG(2)(a0)
	ld	x3, TF_REG(3)(a0)
	ld	x4, TF_REG(4)(a0)
	ld	x5, TF_REG(5)(a0)
	ld	x6, TF_REG(6)(a0)
	ld	x7, TF_REG(7)(a0)
	ld	x8, TF_REG(8)(a0)
	ld	x9, TF_REG(9)(a0)
	ld	x11, TF_REG(11)(a0)
	ld	x12, TF_REG(12)(a0)
	ld	x13, TF_REG(13)(a0)
	ld	x14, TF_REG(14)(a0)
	ld	x15, TF_REG(15)(a0)
	ld	x16, TF_REG(16)(a0)
	ld	x17, TF_REG(17)(a0)
	ld	x18, TF_REG(18)(a0)
	ld	x19, TF_REG(19)(a0)
	ld	x20, TF_REG(20)(a0)
	ld	x21, TF_REG(21)(a0)
	ld	x22, TF_REG(22)(a0)
	ld	x23, TF_REG(23)(a0)
	ld	x24, TF_REG(24)(a0)
	ld	x25, TF_REG(25)(a0)
	ld	x26, TF_REG(26)(a0)
	ld	x27, TF_REG(27)(a0)
	ld	x28, TF_REG(28)(a0)
	ld	x29, TF_REG(29)(a0)
	ld	x30, TF_REG(30)(a0)
	ld	x31, TF_REG(31)(a0)
	ld	x10, TF_REG(10)(a0)
	sret

/* void fpu_save(struct fpstate *fp) / fpu_restore(const struct fpstate *):
 * the F/D context switch. sstatus.FS must be on. struct fpstate is
 * f0..f31 at n * 8, then fcsr at 256. */
	.option push
	.option arch, +d
	.globl fpu_save
fpu_save:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, \n*8(a0)
	.endr
	frcsr	t0
	sd	t0, 32*8(a0)
	ret

	.globl fpu_restore
fpu_restore:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, \n*8(a0)
	.endr
	ld	t0, 32*8(a0)
	fscsr	t0
	ret
	.option pop
