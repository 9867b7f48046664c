/* ipcpass: a page passed back and forth by ipc_call (the kernel's quick
 * path when the receiver already maps that page) follows page_map's
 * rules: the receiver's mapping takes the perm sent, W needs W, the count
 * does not move (and does when another page was there), a table freed
 * under a waiting receiver is never written through, and the page where
 * the receiver's upcall frames go, sent back read-only, takes no more. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

#define PAGE_VA 0x60000000UL
#define CHUNK (PAGE_VA & ~(MEGASIZE - 1)) /* the server's only mapping in it */
#define QUIT 0xdeadUL
#define FAILED 0x100UL /* the server's answer when its page send failed */
#define PASSES 100
#define XSTACK_TOP (UXSTACKTOP - PGSIZE) /* a fast upcall's frame goes here */
#define XPAGE_VA (PAGE_VA + 2 * PGSIZE)	 /* where the child's one comes */

static volatile int poke; /* data: copy-on-write in a child */

/* The perm bits of this env's mapping at PAGE_VA (0: none). */
static uint64_t page_bits(void)
{
	return va_pte(PAGE_VA) & (PTE_V | PTE_R | PTE_W | PTE_X);
}

/* Each message's value is the perm to send the page back with (0: no
 * page); the answer's value is page_bits() as the message left them, or
 * FAILED | them when the page could not go back with that perm. */
static void serve(envid_t client)
{
	uint64_t msg[3];
	while (sys_ipc_recv(PAGE_VA, msg) < 0)
		;
	while (msg[1] != QUIT) {
		uint64_t bits = page_bits(), perm = msg[1];
		int r = ipc_call_answered(client, bits, perm ? PAGE_VA : UTOP, perm, PAGE_VA, msg);
		if (r == -E_INVAL)
			r = ipc_call_answered(client, bits | FAILED, UTOP, 0, PAGE_VA, msg);
		if (r < 0)
			panic("answer: %s", exov_strerror(r));
	}
}

/* One call: the page at PAGE_VA to server with perm, asking for it back
 * with back. Returns the server's answer (or the send's error) and puts
 * the perm that came back in *got. */
static int64_t call(envid_t server, uint64_t perm, uint64_t back, uint64_t *got)
{
	uint64_t msg[3] = {0};
	int r = ipc_call_answered(server, back, PAGE_VA, perm, PAGE_VA, msg);
	*got = msg[2];
	return r < 0 ? r : (int64_t)msg[1];
}

/* "RW-" for perm bits, in s. */
static const char *rwx(uint64_t bits, char s[4])
{
	s[0] = bits & PTE_R ? 'R' : '-';
	s[1] = bits & PTE_W ? 'W' : '-';
	s[2] = bits & PTE_X ? 'X' : '-';
	s[3] = 0;
	return s;
}

static void report(const char *what, int64_t answer, uint64_t got)
{
	char there[4], back[4], here[4];
	if (answer < 0)
		printf("ipcpass: %s: %s\n", what, exov_strerror((int)answer));
	else
		printf("ipcpass: %s: server %s%s, back %s, here %s, %u refs\n", what,
		       answer & FAILED ? "failed, kept " : "", rwx(answer, there), rwx(got, back),
		       rwx(page_bits(), here), pageref(PAGE_VA));
}

/* The server waits at PAGE_VA, its table for CHUNK just walked. The
 * client unmaps that chunk, so the table is freed, and takes the freed
 * page at once (the free list is last in, first out), filled with what
 * looks like the server's old entry for PAGE_VA, writable. A send that
 * trusted a stale walk would rewrite one of them; the right one makes
 * the server new tables. Returns how many of the words are intact. */
static int reused_table(envid_t server)
{
	uint64_t *fake = (uint64_t *)(PAGE_VA + PGSIZE), got;
	if (sys_page_unmap_range(server, CHUNK, CHUNK + MEGASIZE) < 0 ||
	    sys_page_alloc(0, (uintptr_t)fake, PTE_R | PTE_W) < 0)
		panic("unmap the server's chunk, or alloc");
	for (int i = 0; i < 512; i++)
		fake[i] = va_pte(PAGE_VA) | PTE_W;
	report("after the table went", call(server, PTE_R, PTE_R, &got), got);
	int intact = 0;
	for (int i = 0; i < 512; i++)
		intact += fake[i] == (va_pte(PAGE_VA) | PTE_W);
	sys_page_unmap(0, (uintptr_t)fake);
	return intact;
}

/* The top page of a child's exception stack, where its fast upcall
 * writes frames once one has gone there, comes back to it read-only by
 * ipc_call: as after page_map, its next fault finds no writable stack and
 * the kernel ends it. (A pass that left the fast upcall armed would
 * write the frame anyway.) */
static void xstack_phase(void)
{
	envid_t me = sys_getenvid();
	pid_t child = fork();
	if (child == 0) {
		uint64_t msg[3];
		poke = 1; /* a copy-on-write fault: the fast upcall learns its frame */
		while (sys_ipc_call(me, 0, XSTACK_TOP, PTE_R | PTE_W, XSTACK_TOP, msg) ==
		       -E_IPC_NOT_RECV)
			sys_yield();
		*(volatile int *)0 = 0;
		panic("not reached: the write to 0 returned");
	}
	uint64_t msg[3];
	while (sys_ipc_recv(XPAGE_VA, msg) == -E_INTR)
		;
	/* Sent, then the wait ends with the child's death (-E_INTR). */
	int r = sys_ipc_call(child, 0, XPAGE_VA, PTE_R, UTOP, msg);
	int code = -1, kind = wait_env(child, &code);
	printf("ipcpass: exception stack sent back read-only: %s; the child died of %s, cause %d\n",
	       r == -E_INTR ? "done" : exov_strerror(r),
	       kind == EXIT_FAULT ? "a fault" : "something else", code);
	sys_page_unmap(0, XPAGE_VA);
}

int main(void)
{
	envid_t me = sys_getenvid();
	pid_t server = fork();
	if (server == 0) {
		serve(me);
		return 0;
	}
	if (sys_page_alloc(0, PAGE_VA, PTE_R | PTE_W) < 0)
		panic("page_alloc");
	uint64_t got;
	report("first", call(server, PTE_R | PTE_W, PTE_R | PTE_W, &got), got);

	int same = 0;
	for (int i = 0; i < PASSES; i++)
		same += call(server, PTE_R | PTE_W, PTE_R | PTE_W, &got) ==
				(PTE_V | PTE_R | PTE_W) &&
			got == (PTE_R | PTE_W) && pageref(PAGE_VA) == 2;
	printf("ipcpass: %d of %d passes kept RW and 2 refs\n", same, PASSES);

	if (sys_page_alloc(server, PAGE_VA, PTE_R | PTE_W) < 0) /* another page there */
		panic("page_alloc in the server");
	report("replacing another page", call(server, PTE_R | PTE_W, PTE_R | PTE_W, &got), got);
	report("read-only there", call(server, PTE_R, PTE_R | PTE_W, &got), got);
	report("read-only both", call(server, PTE_R, PTE_R, &got), got);
	report("W from read-only", call(server, PTE_R | PTE_W, PTE_R, &got), got);
	printf("ipcpass: server still waiting: %s\n",
	       envs[ENVX(server)].env_ipc_recving ? "yes" : "no");
	int intact = reused_table(server);
	printf("ipcpass: %d of 512 words of the reused table page intact\n", intact);

	ipc_send(server, QUIT, NULL, 0);
	int status = -1;
	waitpid(server, &status, 0);
	xstack_phase();
	printf("ipcpass: server exit %d, %u refs\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	       pageref(PAGE_VA));
	return 0;
}
