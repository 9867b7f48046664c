/* User-level exception handling: what the upcall trampoline calls. The
 * library OS first resolves its own faults (copy-on-write, stack growth),
 * timer ticks (thread preemption) and interrupts (signals), then calls a
 * program's handler for the cause. */
#include "libos.h"
#include "thread.h"

#define NCAUSES 32
static exception_handler_t handlers[NCAUSES];
extern char upcall_entry[];

bool cow_fault(uintptr_t va);		     /* fork.c */
void signal_upcall(struct upcall_frame *uf); /* signal.c */

/* A fault in the stack region below the mapped stack grows it. */
static bool stack_fault(uintptr_t va)
{
	if (va < USTACK_LIMIT || va >= USTACKTOP || (va_pte(va) & PTE_V))
		return false;
	return sys_page_alloc(0, ROUNDDOWN(va, PGSIZE), PTE_R | PTE_W) == 0;
}

static bool is_page_fault(uint64_t cause)
{
	return cause == CAUSE_LOAD_PAGE_FAULT || cause == CAUSE_STORE_PAGE_FAULT ||
	       cause == CAUSE_FETCH_PAGE_FAULT;
}

/* Called by upcall.S with the frame the kernel pushed. A cause nobody
 * handles turns upcalls off and retries the instruction, so the kernel
 * destroys the env with its usual one-line diagnostic (and the parent
 * learns it died of a fault). */
void upcall_dispatch(struct upcall_frame *uf)
{
	thread_resume_fixup(uf);
	uint64_t cause = uf->cause;
	if (cause == CAUSE_TIMER) {
		thread_tick(uf);
		return;
	}
	if (cause == CAUSE_STORE_PAGE_FAULT && cow_fault(uf->tval))
		return;
	if (is_page_fault(cause) && (stack_fault(uf->tval) || thread_stack_fault(uf->tval)))
		return;
	if (cause == CAUSE_INTERRUPT) {
		signal_upcall(uf);
		return;
	}
	exception_handler_t h = cause < NCAUSES ? handlers[cause] : NULL;
	if (h)
		h(uf);
	else
		sys_env_set_upcall(0, 0, 0, 0);
}

/* Maps the exception stack and registers the upcall: at start-up, so
 * copy-on-write, stack growth and signals work in every program. */
void exceptions_init(void)
{
	for (uintptr_t va = UXSTACK_LO; va < UXSTACKTOP; va += PGSIZE)
		if (!(va_pte(va) & PTE_V) && sys_page_alloc(0, va, PTE_R | PTE_W) < 0)
			return;
	sys_env_set_upcall(0, (uintptr_t)upcall_entry, UXSTACK_LO, UXSTACKTOP);
}

/* Copies this env's upcall registration to child (which gets its own,
 * fresh exception stack). */
int exceptions_init_child(envid_t child)
{
	for (uintptr_t va = UXSTACK_LO; va < UXSTACKTOP; va += PGSIZE) {
		int r = sys_page_alloc(child, va, PTE_R | PTE_W);
		if (r < 0)
			return r;
	}
	return sys_env_set_upcall(child, (uintptr_t)upcall_entry, UXSTACK_LO, UXSTACKTOP);
}

int set_exception_handler(unsigned cause, exception_handler_t handler)
{
	if (cause >= NCAUSES || cause == CAUSE_INTERRUPT || cause == CAUSE_TIMER)
		return -E_INVAL;
	handlers[cause] = handler;
	exceptions_init(); /* in case a program turned upcalls off */
	return 0;
}

int set_pgfault_handler(exception_handler_t handler)
{
	set_exception_handler(CAUSE_LOAD_PAGE_FAULT, handler);
	set_exception_handler(CAUSE_STORE_PAGE_FAULT, handler);
	return set_exception_handler(CAUSE_FETCH_PAGE_FAULT, handler);
}
