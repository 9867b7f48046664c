/* The library OS's process layer: fork, spawn, exec, IPC, wait and
 * signals, beyond the POSIX names picolibc already declares (fork,
 * execv..., waitpid, kill, signal, sigaction in <unistd.h>,
 * <sys/wait.h>, <signal.h>). */
#ifndef LIBOS_PROCESS_H
#define LIBOS_PROCESS_H

#include <stdint.h>
#include <sys/types.h>

#include "libos.h"

/* A pid is the env id of the process. */

/* sfork(): like fork, but parent and child share all memory except the
 * stack. Returns as fork does. */
pid_t sfork(void);

/* spawn(path, argv): a new process running the program at path (a bare
 * name is looked up in PATH, default "/bin"); returns its pid, or -1 with
 * errno (ENOENT, ENOEXEC, E2BIG, ENOMEM, EAGAIN). spawnve also sets its
 * environment (spawn passes environ); spawnl takes the arguments inline,
 * ending in NULL. The child inherits open file descriptors. */
pid_t spawn(const char *path, char *const argv[]);
pid_t spawnve(const char *path, char *const argv[], char *const envp[]);
pid_t spawnl(const char *path, const char *arg0, ...);

/* ipc_send(to, value, page, perm): sends until to receives it (yielding
 * between tries); page NULL sends no page. Panics on errors other than
 * "not receiving". ipc_recv(from, page, perm): waits for a message;
 * stores the sender and the perm of the page mapped at page (0 if none);
 * returns the value. page NULL accepts no page. */
void ipc_send(envid_t to, uint64_t value, void *page, uint64_t perm);
uint64_t ipc_recv(envid_t *from, void *page, uint64_t *perm);
/* ipc_call_answered(to, value, srcva, perm, dstva, msg): sys_ipc_call
 * until to receives it (yielding between tries), then waits at dstva
 * for the answer through interruptions (-E_INTR: a signal handler ran).
 * Only to's answer counts: a message from any other env meanwhile is
 * dropped (a page it brought to dstva is unmapped) and the wait goes on.
 * Returns 0 with msg = (to, value, perm), or an error of the send. */
int ipc_call_answered(envid_t to, uint64_t value, uintptr_t srcva, uint64_t perm, uintptr_t dstva,
		      uint64_t msg[3]);

/* Copy-on-write faults this process has resolved by copying a page. */
uint64_t cow_copy_count(void);

#endif
