/* fsdevil: an untrusted client of the file server: sends it malformed
 * requests over raw IPC (no page, a read-only page, unknown operations,
 * bad slots, paths without an end, absurd lengths), opens more files than
 * it has slots, dies with files open; after each the server must still
 * answer properly. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd.h"

#define REQ 0x10000000UL /* our own request page */

static envid_t srv;

static void send(uint64_t op, uintptr_t va, uint64_t perm)
{
	int r;
	while ((r = sys_ipc_try_send(srv, op, va, perm)) == -E_IPC_NOT_RECV)
		sys_yield();
	if (r < 0)
		printf("fsdevil: send failed: %s\n", exov_strerror(r));
}

/* A request with the page at REQ; the server's answer. */
static const char *ask(uint64_t op, uint64_t perm)
{
	static char buf[32];
	struct fsreq *req = (struct fsreq *)REQ;
	if (perm & PTE_W)
		req->done = 0;
	send(op, REQ, perm);
	for (int i = 0; !req->done && i < 1000; i++)
		sys_yield();
	if (!req->done)
		return "no answer";
	if (req->ret < 0)
		return errno_name(-req->ret);
	snprintf(buf, sizeof buf, "%d", req->ret);
	return buf;
}

/* Does the server still do its job? */
static const char *alive(void)
{
	int fd = open("/tmp/alive", O_CREAT | O_TRUNC | O_RDWR, 0644);
	char buf[8] = {0};
	bool ok = fd >= 0 && write(fd, "ok", 2) == 2 && lseek(fd, 0, SEEK_SET) == 0 &&
		  read(fd, buf, sizeof buf) == 2 && strcmp(buf, "ok") == 0;
	close(fd);
	return ok ? "serves" : "BROKEN";
}

int main(void)
{
	struct stat st;
	stat("/tmp", &st); /* starts the server */
	srv = SYSPAGE->fsd;
	int fd = open("/tmp/file", O_CREAT | O_RDWR, 0644);
	uint32_t slot = fd2desc(fd)->u.file.slot;
	sys_page_alloc(0, REQ, PTE_R | PTE_W);
	struct fsreq *req = (struct fsreq *)REQ;

	send(FS_STAT, UTOP, 0);
	printf("fsdevil: a request without a page: %s\n", alive());
	req->done = 0;
	sys_page_map(0, REQ, 0, REQ, PTE_R);
	printf("fsdevil: a read-only page: %s, then %s\n", ask(FS_STAT, PTE_R), alive());
	sys_page_map(0, REQ, 0, REQ, PTE_R | PTE_W);
	printf("fsdevil: operation 0: %s\n", ask(0, PTE_R | PTE_W));
	printf("fsdevil: operation 1000: %s\n", ask(1000, PTE_R | PTE_W));
	printf("fsdevil: operation 2^40: %s\n", ask(1ULL << 40, PTE_R | PTE_W));
	req->slot = 100000;
	printf("fsdevil: read slot 100000: %s\n", ask(FS_READ, PTE_R | PTE_W));
	req->slot = slot + 1;
	printf("fsdevil: read a free slot: %s\n", ask(FS_READ, PTE_R | PTE_W));
	req->slot = slot;
	req->key = fd2desc(fd)->u.file.key;
	req->offset = 0;
	req->len = 1ULL << 40;
	printf("fsdevil: write 2^40 bytes: %s\n", ask(FS_WRITE, PTE_R | PTE_W));
	req->offset = ~0ULL;
	req->len = 10;
	printf("fsdevil: write at offset 2^64-1: %s\n", ask(FS_WRITE, PTE_R | PTE_W));
	req->offset = 0;
	req->len = 1ULL << 40;
	printf("fsdevil: read 2^40 bytes: %s\n", ask(FS_READ, PTE_R | PTE_W));
	printf("fsdevil: readdir on a file: %s\n", ask(FS_READDIR, PTE_R | PTE_W));
	memset(req->u.path, 'a', sizeof req->u.path);
	printf("fsdevil: a path with no end: %s\n", ask(FS_STAT, PTE_R | PTE_W));
	strcpy(req->u.path[0], "x/../../etc");
	printf("fsdevil: a path with ..: %s\n", ask(FS_MKDIR, PTE_R | PTE_W));
	strcpy(req->u.path[0], "");
	strcpy(req->u.path[1], "elsewhere");
	printf("fsdevil: rename the root: %s\n", ask(FS_RENAME, PTE_R | PTE_W));
	struct fsreq *again = &fd2desc(fd)->u.open;
	strcpy(again->u.path[0], "file");
	again->flags = O_RDONLY;
	again->done = 0;
	send(FS_OPEN, (uintptr_t)fd2desc(fd), PTE_R | PTE_W | PTE_SHARE);
	for (int i = 0; !again->done && i < 1000; i++)
		sys_yield();
	printf("fsdevil: an open file's page sent to open again: %s\n",
	       again->done ? (again->ret < 0 ? errno_name(-again->ret) : "opened") : "no answer");
	printf("fsdevil: then: %s\n", alive());

	/* More opens than the server has slots: closed ones come back. */
	int failed = 0;
	for (int i = 0; i < 600; i++) {
		int f = open("/tmp/file", O_RDONLY);
		failed += f < 0;
		close(f);
	}
	printf("fsdevil: 600 opens and closes: %d failed\n", failed);

	/* Children killed with 55 files open each, 275 in all, more than the
	 * server's slots: it takes back a dead client's slots. */
	failed = 0;
	for (int c = 0; c < 5; c++) {
		pid_t child = fork();
		if (child == 0) {
			for (int i = 0; i < 55; i++)
				if (open("/tmp/file", O_RDONLY) < 0)
					exit(1);
			kill(getpid(), SIGKILL);
		}
		int status;
		waitpid(child, &status, 0);
		failed += !WIFSIGNALED(status);
	}
	printf("fsdevil: 5 children killed with 55 files open each: %d could not open them; %s\n",
	       failed, alive());
	return 0;
}
