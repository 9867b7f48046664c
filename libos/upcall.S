/*
 * The exception upcall trampoline and the thread context switch: the two
 * places where C cannot load or save every register.
 *
 * upcall_entry: the kernel enters here on the env's exception stack with
 * sp = a0 = a struct upcall_frame it pushed, holding at least the pc,
 * sp, a0, cause and tval; every other register still holds its value
 * from the moment of the exception (the kernel's fast path saves no
 * more), so the entry stores them into the frame first:
 *
 *   (higher: the interrupted exception-stack frames, if nested)
 *   +----------------------------+ <- frame + UF_SIZE
 *   | tval, cause                |
 *   | x31 ... x1 (x_n at n * 8)  |
 *   | pc                         | <- frame = a0 = sp on entry
 *   +----------------------------+
 *   | pad, fcsr, f31 ... f0      | <- frame - UPCALL_FP_SAVE = sp while
 *   +----------------------------+    the C handler runs
 *
 * It saves the other registers in the frame and the F/D registers in
 * the area below it, calls
 * upcall_dispatch(frame), and goes to upcall_restore with sp = that area.
 * The handler may edit the frame and the F/D area (a thread switch
 * replaces both): that is what resumes.
 *
 * A saved thread context (struct tctx, libos/thread.h) has the same
 * layout, so the same code resumes both:
 *
 *   +----------------------------+ <- ctx + CTX_PREEMPT
 *   | preempt_off                |    (thread_preempt_off to restore)
 *   | the frame, as above        | <- ctx + CTX_FRAME
 *   | pad, fcsr, f31 ... f0      | <- ctx
 *   +----------------------------+
 *
 * upcall_restore (sp = an F/D area with its frame above it) loads f0..f31
 * and fcsr, then x1 and x4..x31, then gp = the frame's pc, then sp, all
 * relative to sp, and jumps through gp (RISC-V cannot jump without a
 * register holding the target; gp is reserved for this, since programs
 * are linked without __global_pointer$, and holds the resumed pc
 * afterwards: so gp is the one register an upcall does not give back).
 * An asynchronous upcall (timer, interrupt) may arrive between any two
 * instructions, and this order keeps every case sound:
 *  - before upcall_ld_sp, sp points into the area: on the exception stack
 *    the kernel pushes its new frame below sp, and a thread's tctx is not
 *    on the exception stack at all, so the area being read survives, and
 *    gp is not loaded yet (the upcall's return clobbers it);
 *  - at upcall_ld_sp gp holds the target but would not survive the
 *    upcall's return, and at upcall_jr everything is loaded but the new
 *    frame may lie over the consumed one: upcall_dispatch finishes both
 *    cases in the frame first thing (sp from the area, pc = gp), so the
 *    frame then says exactly "the resumed context".
 * upcall_dispatch never switches threads while the interrupted pc is in
 * [ctx_resume, upcall_ld_sp), nor while sp is on the exception stack.
 *
 * ctx_switch(save, load): saves ra (as the pc to resume at), sp, tp,
 * s0..s11, fs0..fs11 and fcsr into save; then ctx_resume(load). The
 * caller-saved registers of save are left as they were: resuming it is a
 * return from ctx_switch. ctx_resume(ctx): thread_preempt_off =
 * ctx->preempt_off, then upcall_restore from ctx.
 */
#include <exov/env.h>

#include "thread.h"

#define GPR(n) (CTX_FRAME + TF_REG(n))

	.text
	.globl upcall_entry
upcall_entry:
	.irp n, 1,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, TF_REG(\n)(a0)
	.endr
	addi	sp, sp, -UPCALL_FP_SAVE
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, \n*8(sp)
	.endr
	frcsr	t0
	sd	t0, FP_FCSR(sp)
	/* a0 = frame still */
	call	upcall_dispatch
	j	upcall_restore

	.globl ctx_switch
ctx_switch:
	sd	ra, GPR(0)(a0)
	.irp n, 1,2,4,8,9,18,19,20,21,22,23,24,25,26,27
	sd	x\n, GPR(\n)(a0)
	.endr
	.irp n, 8,9,18,19,20,21,22,23,24,25,26,27
	fsd	f\n, \n*8(a0)
	.endr
	frcsr	t0
	sd	t0, FP_FCSR(a0)
	mv	a0, a1
	/* fall through */

	.globl ctx_resume
ctx_resume:
	ld	t0, CTX_PREEMPT(a0)
	la	t1, thread_preempt_off
	sd	t0, 0(t1)
	mv	sp, a0
upcall_restore:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, \n*8(sp)
	.endr
	ld	t0, FP_FCSR(sp)
	fscsr	t0
	ld	x1, GPR(1)(sp)
	.irp n, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, GPR(\n)(sp)
	.endr
	ld	x3, GPR(0)(sp)		/* gp = the pc */
	.globl upcall_ld_sp
upcall_ld_sp:
	ld	x2, GPR(2)(sp)
	.globl upcall_jr
upcall_jr:
	jr	gp
