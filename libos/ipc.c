/* IPC on top of ipc_try_send, ipc_recv and ipc_call. */
#include "process.h"

void ipc_send(envid_t to, uint64_t value, void *page, uint64_t perm)
{
	uintptr_t va = page ? (uintptr_t)page : UTOP;
	for (;;) {
		int r = sys_ipc_try_send(to, value, va, page ? perm : 0);
		if (r == 0)
			return;
		if (r != -E_IPC_NOT_RECV)
			panic("ipc_send to %08x: %s", (unsigned)to, exov_strerror(r));
		sys_yield(); /* let the receiver get to ipc_recv */
	}
}

uint64_t ipc_recv(envid_t *from, void *page, uint64_t *perm)
{
	uint64_t out[3];
	int r;
	while ((r = sys_ipc_recv(page ? (uintptr_t)page : UTOP, out)) == -E_INTR)
		; /* a signal handler ran; wait again */
	if (r < 0)
		panic("ipc_recv: %s", exov_strerror(r));
	if (from)
		*from = (envid_t)out[0];
	if (perm)
		*perm = out[2];
	return out[1];
}

int ipc_call_answered(envid_t to, uint64_t value, uintptr_t srcva, uint64_t perm, uintptr_t dstva,
		      uint64_t msg[3])
{
	int r;
	while ((r = sys_ipc_call(to, value, srcva, perm, dstva, msg)) == -E_IPC_NOT_RECV)
		sys_yield();
	while (r == -E_INTR) /* sent; the answer is still to come */
		r = sys_ipc_recv(dstva, msg);
	return r;
}
