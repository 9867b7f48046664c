/* ipccall: a client and a forked server talk with ipc_call (send, then
 * wait for the answer, the server running at once): 1000 calls answered
 * in order, a page each 100th that the server writes into, which source
 * addresses carry a page, the errors that leave the caller running, and
 * an impostor's answer, which the caller must not take. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

#define CALLS 1000
#define QUIT 0xdeadUL
#define PAGE_VA 0x60000000UL

/* Answers every message with value + 1 (writing the value into the page,
 * if a writable one came) and the page it got, until QUIT. */
static void serve(envid_t client)
{
	uint64_t msg[3];
	while (sys_ipc_recv(PAGE_VA, msg) < 0)
		;
	while (msg[1] != QUIT) {
		if (msg[2] & PTE_W)
			*(volatile uint64_t *)PAGE_VA = msg[1] * 3;
		int r = ipc_call_answered(client, msg[1] + 1, msg[2] ? PAGE_VA : UTOP, msg[2],
					  PAGE_VA, msg);
		if (r < 0)
			panic("answer: %s", exov_strerror(r));
	}
}

/* A send carries a page from below UTOP or from the boot archive's view,
 * not from the gap between them nor from above: each case is sent with
 * PTE_R, and the server echoes what it got. Returns how many came back
 * right; the last mapped the archive's first page at PAGE_VA. */
static int srcva_cases(envid_t server)
{
	static const struct {
		uintptr_t srcva;
		uint64_t perm; /* what arrives */
	} cases[] = {
		{PAGE_VA, PTE_R},	    {UTOP, 0},	      {UINITRD - PGSIZE, 0},
		{UINITRD + UINITRD_MAX, 0}, {UINITRD, PTE_R},
	};
	int right = 0;
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t msg[3];
		int r = ipc_call_answered(server, i, cases[i].srcva, PTE_R, PAGE_VA, msg);
		right += r == 0 && msg[1] == i + 1 && msg[2] == cases[i].perm;
	}
	return right - (memcmp((void *)PAGE_VA, "070701", 6) != 0); /* newc magic */
}

#define FORGED 666

/* Sends a forged answer, with a page saying so, to client once it waits. */
static void impostor(envid_t client)
{
	if (sys_page_alloc(0, PAGE_VA, PTE_R | PTE_W) < 0)
		panic("page_alloc");
	strcpy((char *)PAGE_VA, "forged");
	int r;
	do {
		while (!envs[ENVX(client)].env_ipc_recving)
			sys_yield();
	} while ((r = sys_ipc_try_send(client, FORGED, PAGE_VA, PTE_R | PTE_W)) == -E_IPC_NOT_RECV);
}

/* Takes one call and answers it (value + 1, no page) only after the
 * impostor has sent its answer and exited. */
static void slow_server(envid_t client, envid_t forger)
{
	uint64_t msg[3];
	while (sys_ipc_recv(UTOP, msg) < 0)
		;
	const volatile struct env_info *f = &envs[ENVX(forger)];
	while (f->env_id == forger && f->env_status != ENV_ZOMBIE)
		sys_yield();
	ipc_send(client, msg[1] + 1, NULL, 0);
}

/* A call whose answer an impostor tries to give first: the caller must
 * ignore it (and its page) and take the server's. */
static void impostor_case(envid_t me)
{
	pid_t forger = fork();
	if (forger == 0) {
		impostor(me);
		exit(0);
	}
	pid_t server = fork();
	if (server == 0) {
		slow_server(me, forger);
		exit(0);
	}
	uint64_t msg[3];
	int r = ipc_call_answered(server, 41, UTOP, 0, PAGE_VA, msg);
	bool forged_page = (va_pte(PAGE_VA) & PTE_V) && strcmp((char *)PAGE_VA, "forged") == 0;
	printf("ipccall: an impostor answers first: %s, %s\n",
	       r < 0					    ? exov_strerror(r)
	       : msg[0] == (uint64_t)server && msg[1] == 42 ? "the server's answer taken"
	       : msg[1] == FORGED			    ? "the IMPOSTOR's answer taken"
							    : "a WRONG answer",
	       forged_page ? "its page KEPT" : "its page not kept");
	waitpid(forger, NULL, 0);
	waitpid(server, NULL, 0);
}

int main(void)
{
	envid_t me = sys_getenvid();
	uint64_t msg[3];
	printf("ipccall: to self: %s\n", exov_strerror(sys_ipc_call(me, 1, UTOP, 0, UTOP, msg)));
	printf("ipccall: bad dstva: %s\n",
	       exov_strerror(sys_ipc_call(me, 1, UTOP, 0, PAGE_VA + 8, msg)));
	printf("ipccall: bad env: %s\n", exov_strerror(sys_ipc_call(-1, 1, UTOP, 0, UTOP, msg)));

	impostor_case(me);
	pid_t server = fork();
	if (server == 0) {
		serve(me);
		return 0;
	}
	if (sys_page_alloc(0, PAGE_VA, PTE_R | PTE_W) < 0)
		panic("page_alloc");
	int wrong = 0, pages = 0;
	for (uint64_t i = 0; i < CALLS; i++) {
		bool page = i % 100 == 0;
		int r = ipc_call_answered(server, i, page ? PAGE_VA : UTOP,
					  page ? PTE_R | PTE_W : 0, PAGE_VA, msg);
		if (r < 0 || msg[0] != (uint64_t)server || msg[1] != i + 1)
			wrong++;
		if (page && msg[2] && *(volatile uint64_t *)PAGE_VA == i * 3)
			pages++;
	}
	printf("ipccall: %d of 5 source addresses right\n", srcva_cases(server));
	ipc_send(server, QUIT, NULL, 0);
	int status = -1;
	waitpid(server, &status, 0);
	printf("ipccall: %d calls, %d wrong answers, %d of %d pages written back, server exit %d\n",
	       CALLS, wrong, pages, CALLS / 100, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
