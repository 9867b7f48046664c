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

/* A message from an env we did not call: its value is dropped, and a page
 * it sent at dstva is unmapped, so nothing of it is used or kept where the
 * answer's page is expected. */
static void drop_impostor(uintptr_t dstva, const uint64_t msg[3])
{
	if (msg[2] && dstva < UTOP)
		sys_page_unmap(0, dstva);
}

int ipc_call_answered(envid_t to, uint64_t value, uintptr_t srcva, uint64_t perm, uintptr_t dstva,
		      uint64_t msg[3])
{
	int r;
	while ((r = sys_ipc_call(to, value, srcva, perm, dstva, msg)) == -E_IPC_NOT_RECV)
		sys_yield();
	/* Sent; wait for the answer through interruptions (-E_INTR: a signal
	 * handler ran) and messages from anyone but to (IPC goes to anyone,
	 * and the kernel's sender id is the one thing to trust). */
	for (;;) {
		if (r == 0 && (envid_t)msg[0] != to)
			drop_impostor(dstva, msg);
		else if (r != -E_INTR)
			return r;
		r = sys_ipc_recv(dstva, msg);
	}
}
