/* Traps: dispatch from user and kernel mode, exception upcalls, the lazy
 * FPU, and the timer tick. */
#include "kernel.h"
#include "riscv.h"

extern char trap_vector[];
struct env *fpu_owner; /* whose F/D registers are live in the FPU */

void trap_init(void)
{
	csr_write_sscratch(0);
	csr_write_stvec((uint64_t)trap_vector);
	csr_set_sie(SIE_STIE);
	/* User code may read cycle, time and instret (for benchmarks). */
	csr_write_scounteren(SCOUNTEREN_CY | SCOUNTEREN_TM | SCOUNTEREN_IR);
}

/* Gives the FPU to e: saves the owner's registers, loads e's. */
static void fpu_claim(struct env *e)
{
	csr_set_sstatus(SSTATUS_FS_DIRTY);
	if (fpu_owner)
		fpu_save(&fpu_owner->fp);
	fpu_restore(&e->fp);
	fpu_owner = e;
}

void fpu_release(struct env *e)
{
	if (fpu_owner == e)
		fpu_owner = NULL;
}

/* Copies e's current F/D state (from the FPU if e owns it) into *to. */
void fpu_copy_state(struct env *e, struct fpstate *to)
{
	if (fpu_owner == e) {
		csr_set_sstatus(SSTATUS_FS_DIRTY);
		fpu_save(&e->fp);
	}
	*to = e->fp;
}

/* Destroys e with the one-line diagnostic every unhandled fault gets. */
void user_fault(struct env *e, uint64_t cause, uint64_t tval, const char *why)
{
	kprintf("[%08x] user fault va %016lx pc %016lx cause %lu%s\n", e->info->env_id, tval,
		e->tf.pc, cause, why);
	env_destroy(e, EXIT_FAULT, (int32_t)cause, tval);
}

/* The kernel address of a frame at user va, if it lies within one
 * writable user page; NULL otherwise (then copy_to_user decides). */
static struct upcall_frame *user_frame_ptr(struct env *e, uint64_t va)
{
	if (va / PGSIZE != (va + sizeof(struct upcall_frame) - 1) / PGSIZE || va >= UTOP)
		return NULL;
	pte_t *pte = vm_lookup(e, va);
	uint64_t need = PTE_V | PTE_U | PTE_R | PTE_W;
	if (!pte || (*pte & need) != need)
		return NULL;
	return (struct upcall_frame *)((char *)kva(PTE_PA(*pte)) + va % PGSIZE);
}

_Static_assert(offsetof(struct env, fast) == ENV_FAST, "trap.S: ENV_FAST");
_Static_assert(offsetof(struct upcall_fast, base) == FAST_BASE - ENV_FAST &&
		       offsetof(struct upcall_fast, span) == FAST_SPAN - ENV_FAST &&
		       offsetof(struct upcall_fast, entry) == FAST_ENTRY - ENV_FAST &&
		       offsetof(struct upcall_fast, frame_va) == FAST_FRAME_VA - ENV_FAST &&
		       offsetof(struct upcall_fast, frame) == FAST_FRAME - ENV_FAST,
	       "trap.S: FAST_*");

void upcall_fast_forget(struct env *e)
{
	e->fast = (struct upcall_fast){.span = ~0ULL};
}

/* After a delivery to the top of e's exception stack (frame_va, checked
 * and written at kernel address uf), trap.S may repeat it while e's sp is
 * neither on that stack nor in the page below (nested, or an overflow). */
static void upcall_fast_learn(struct env *e, uint64_t frame_va, struct upcall_frame *uf)
{
	if (e->xstack_lo < PGSIZE)
		return;
	uint64_t base = e->xstack_lo - PGSIZE + 1;
	e->fast = (struct upcall_fast){
		.base = base,
		.span = e->xstack_hi - base + 1,
		.entry = e->upcall_entry,
		.frame_va = frame_va,
		.frame = uf,
	};
}

/*
 * Pushes an upcall frame (the trap-time registers, cause and tval) on e's
 * exception stack and points e at its upcall with sp = a0 = the frame;
 * the other registers stay as they were (the contract of trap.S's fast
 * path, which saves only pc, sp, a0, cause and tval in the frame).
 * If e was already on its exception stack, the frame goes below the
 * current sp (a nested fault). A handler whose own frames ran past the
 * bottom (sp within a page below it) has overflowed. Fails if e has no
 * upcall or the frame does not fit in mapped, writable exception-stack
 * memory.
 */
static const char *upcall_deliver(struct env *e, uint64_t cause, uint64_t tval)
{
	if (!e->upcall_entry)
		return "";
	uint64_t sp = e->tf.sp;
	if (sp <= e->xstack_lo && sp + PGSIZE > e->xstack_lo)
		return " (exception stack overflow)";
	uint64_t top = sp > e->xstack_lo && sp <= e->xstack_hi ? sp : e->xstack_hi;
	if (top - e->xstack_lo < sizeof(struct upcall_frame) + 16)
		return " (exception stack overflow)";
	uint64_t frame = ROUNDDOWN(top - sizeof(struct upcall_frame), 16);
	struct upcall_frame *uf = user_frame_ptr(e, frame);
	if (uf) { /* the usual case: the frame lies within one page */
		uf->tf = e->tf;
		uf->cause = cause;
		uf->tval = tval;
		if (top == e->xstack_hi)
			upcall_fast_learn(e, frame, uf);
	} else {
		struct upcall_frame copy = {.tf = e->tf, .cause = cause, .tval = tval};
		if (copy_to_user(e, frame, &copy, sizeof copy) < 0)
			return " (exception stack not mapped writable)";
	}
	e->tf.pc = e->upcall_entry;
	e->tf.sp = frame;
	e->tf.a0 = frame;
	return NULL;
}

static void handle_syscall(struct env *e)
{
	e->tf.pc += 4;
	int64_t r = syscall_dispatch(e->tf.a7, &e->tf.a0);
	if (r != SYSRET_KEEP_FRAME && env_alive(e))
		e->tf.a0 = (uint64_t)r;
}

/* Room a best-effort upcall leaves below its frame for the handler. */
#define UPCALL_HEADROOM 2048

/* Delivers an upcall to e if its exception stack has room for the frame
 * and a handler; false (and nothing changed) otherwise. */
bool upcall_try(struct env *e, uint64_t cause, uint64_t tval)
{
	uint64_t sp = e->tf.sp;
	uint64_t top = sp > e->xstack_lo && sp <= e->xstack_hi ? sp : e->xstack_hi;
	if (top - e->xstack_lo < sizeof(struct upcall_frame) + UPCALL_HEADROOM)
		return false;
	return upcall_deliver(e, cause, tval) == NULL;
}

/* Delivers an upcall to e, or destroys e if it cannot take one. */
void upcall_or_destroy(struct env *e, uint64_t cause, uint64_t tval)
{
	const char *why = upcall_deliver(e, cause, tval);
	if (why)
		user_fault(e, cause, tval, why);
}

static void handle_exception(struct env *e, uint64_t cause, uint64_t tval)
{
	/* With FS off, any FP instruction is illegal: the env's first FP use
	 * since another env took the FPU. Claim it and retry; an instruction
	 * that is really illegal traps again with FS on and is delivered. */
	if (cause == CAUSE_ILLEGAL_INSTRUCTION && !fpu_is_owner(e)) {
		fpu_claim(e);
		return;
	}
	upcall_or_destroy(e, cause, tval);
}

/* Entered from trap.S with every user register saved in tf = &curenv->tf. */
noreturn void trap_from_user(struct trapframe *tf)
{
	struct env *e = curenv;
	assert(tf == &e->tf);
	uint64_t cause = csr_read_scause();
	if (cause == (SCAUSE_INTERRUPT | IRQ_S_TIMER)) {
		if (timer_tick(e))
			env_run(e);
		if (env_alive(e))
			env_set_status(e, ENV_RUNNABLE); /* to the back of its queue */
		schedule();
	}
	if (cause & SCAUSE_INTERRUPT)
		panic("unexpected interrupt %lx from user mode", cause);
	if (cause == CAUSE_USER_ECALL)
		handle_syscall(e);
	else
		handle_exception(e, cause, csr_read_stval());
	if (env_alive(e) && e->info->env_status == ENV_RUNNING)
		env_run(e);
	schedule();
}

/* Traps taken in the kernel: the idle loop's timer tick returns; any
 * exception is a kernel bug. */
void trap_from_kernel(struct trapframe *kf)
{
	uint64_t cause = csr_read_scause();
	if (cause == (SCAUSE_INTERRUPT | IRQ_S_TIMER)) {
		timer_idle_tick();
		return;
	}
	kprintf("kernel trap: cause %lu pc %p tval %lx\n", cause, (void *)kf->pc, csr_read_stval());
	backtrace((uint64_t)(kf + 1)); /* the stack above the frame */
	panic("fault in the kernel");
}
