/* User-level exception handling: a C handler per exception cause, called
 * by the upcall trampoline on the exception stack. */
#include "libos.h"

#define NCAUSES 16
static exception_handler_t handlers[NCAUSES];
extern char upcall_entry[];

/* Called by upcall.S. A cause nobody handles turns upcalls off and
 * retries the instruction, so the kernel destroys the env with its usual
 * one-line diagnostic (and the parent learns it died of a fault). */
void upcall_dispatch(struct upcall_frame *uf)
{
	exception_handler_t h = uf->cause < NCAUSES ? handlers[uf->cause] : NULL;
	if (h)
		h(uf);
	else
		sys_env_set_upcall(0, 0, 0, 0);
}

int set_exception_handler(unsigned cause, exception_handler_t handler)
{
	if (cause >= NCAUSES)
		return -E_INVAL;
	if (!(va_pte(UXSTACKTOP - PGSIZE) & PTE_V)) {
		int r = sys_page_alloc(0, UXSTACKTOP - PGSIZE, PTE_R | PTE_W);
		if (r < 0)
			return r;
	}
	handlers[cause] = handler;
	return sys_env_set_upcall(0, (uintptr_t)upcall_entry, UXSTACKTOP - PGSIZE, UXSTACKTOP);
}

int set_pgfault_handler(exception_handler_t handler)
{
	int r = set_exception_handler(CAUSE_LOAD_PAGE_FAULT, handler);
	if (r == 0)
		r = set_exception_handler(CAUSE_STORE_PAGE_FAULT, handler);
	if (r == 0)
		r = set_exception_handler(CAUSE_FETCH_PAGE_FAULT, handler);
	return r;
}
