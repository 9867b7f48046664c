/* fshostile: a hostile client of the file server, beside an honest one.
 * The honest child writes a file and keeps it open; the hostile parent
 * then tries every slot it was not given, out-of-range offsets, paths
 * without an end, a few thousand seeded random requests, and an impostor
 * child that poses as the server (in a shared description and in the
 * system page) to answer the parent's requests. At the end the honest
 * child checks its file and the server must still serve. Only counts and
 * fixed words are printed, never bytes that came from anywhere. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd.h"
#include "process.h"

#define REQ 0x10000000UL /* our raw request page */
#define IMPOSTOR_PAGE 0x11000000UL
#define HONEST_SIZE 8192
#define RANDOM_REQUESTS 3000
#define QUIT 0x5157UL

static envid_t srv;

/* A xorshift64 generator with a fixed seed: every run sends the same. */
static uint64_t seed = 0x0123456789abcdefULL;

static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 7 + 3);
}

/* Waits for a word from env who, ignoring everyone else. */
static uint64_t recv_from(envid_t who)
{
	envid_t from = 0;
	uint64_t v = 0;
	while (from != who)
		v = ipc_recv(&from, NULL, NULL);
	return v;
}

/* Sends op with the page at REQ (req at offset off in it); the server's
 * ret, or 1 << 40 if no answer came. */
static int64_t ask(uint64_t op, size_t off)
{
	struct fsreq *req = (struct fsreq *)(REQ + off);
	req->done = 0;
	int r;
	while ((r = sys_ipc_try_send(srv, op, REQ, PTE_R | PTE_W)) == -E_IPC_NOT_RECV)
		sys_yield();
	for (int i = 0; r == 0 && !req->done && i < 1000; i++)
		sys_yield();
	return r == 0 && req->done ? req->ret : 1LL << 40;
}

static const char *said(int64_t r)
{
	static char buf[24];
	if (r == 1LL << 40)
		return "no answer";
	if (r < 0)
		return errno_name((int)-r);
	snprintf(buf, sizeof buf, "%d", (int)r);
	return buf;
}

/* The honest child: writes its file, keeps it open, waits, checks it. */
static void honest(envid_t parent)
{
	static uint8_t buf[HONEST_SIZE];
	for (size_t i = 0; i < HONEST_SIZE; i++)
		buf[i] = pattern(i);
	int fd = open("/tmp/honest", O_CREAT | O_TRUNC | O_RDWR, 0644);
	bool wrote = fd >= 0 && write(fd, buf, HONEST_SIZE) == HONEST_SIZE;
	ipc_send(parent, wrote, NULL, 0);
	recv_from(parent);
	memset(buf, 0, sizeof buf);
	struct stat st;
	bool ok = lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, HONEST_SIZE) == HONEST_SIZE &&
		  fstat(fd, &st) == 0 && st.st_size == HONEST_SIZE;
	for (size_t i = 0; ok && i < HONEST_SIZE; i++)
		ok = buf[i] == pattern(i);
	printf("fshostile: the honest client's open file: %s\n", ok ? "intact" : "CHANGED");
	exit(0);
}

/* Every request on an open file, on every slot, with no key and a random
 * one: none may be answered but with an error. */
static int foreign_slots(void)
{
	static const uint32_t ops[] = {FS_READ, FS_WRITE, FS_TRUNC, FS_FSTAT, FS_READDIR};
	struct fsreq *req = (struct fsreq *)REQ;
	int answered = 0;
	for (uint32_t slot = 0; slot < 256; slot++)
		for (int k = 0; k < 2; k++)
			for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
				req->slot = slot;
				req->key = k ? rnd() : 0;
				req->offset = 0;
				req->len = 16;
				req->flags = 0;
				memset(req->u.data, 'X', 16);
				answered += ask(ops[i], 0) >= 0;
			}
	return answered;
}

/* Out-of-range numbers on a file of our own. */
static void ranges(int fd)
{
	struct fsreq *req = (struct fsreq *)REQ;
	struct srvfile *f = &fd2desc(fd)->u.file;
	static const struct {
		const char *what;
		uint32_t op;
		uint64_t offset, len;
	} cases[] = {
		{"read at 2^63", FS_READ, 1ULL << 63, 16},
		{"read at 2^64-1", FS_READ, ~0ULL, 16},
		{"write at 2^63", FS_WRITE, 1ULL << 63, 16},
		{"write 2^64-1 bytes at 1", FS_WRITE, 1, ~0ULL},
		{"truncate to 2^63", FS_TRUNC, 0, 1ULL << 63},
		{"truncate to 1 MiB", FS_TRUNC, 0, 1 << 20},
		{"read in the grown part", FS_READ, 512 << 10, 64},
		{"readdir at 2^64-1", FS_READDIR, ~0ULL, 0},
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		req->slot = f->slot;
		req->key = f->key;
		req->offset = cases[i].offset;
		req->len = cases[i].len;
		req->flags = 0;
		printf("fshostile: %s: %s\n", cases[i].what, said(ask(cases[i].op, 0)));
	}
	memset(req->u.path, 0x80, sizeof req->u.path);
	strcpy(req->u.path[0], "a");
	printf("fshostile: rename to a path with no end: %s\n", said(ask(FS_RENAME, 0)));
}

/* Bytes of a random path: never ASCII letters, so never a name the
 * honest client uses; ended or not, at random. */
static void random_path(char *p)
{
	size_t n = rnd() % 64;
	for (size_t i = 0; i < FS_PATHMAX; i++) {
		uint64_t x = rnd() % 8;
		p[i] = (char)(x == 0 ? '/' : x == 1 ? '.' : 0x80 + rnd() % 128);
	}
	if (rnd() % 4)
		p[n] = '\0';
}

/* Seeded random requests, a quarter on our own slot with its key. */
static void random_requests(int fd)
{
	struct fsreq *req = (struct fsreq *)REQ;
	struct srvfile *f = &fd2desc(fd)->u.file;
	int unanswered = 0;
	for (int i = 0; i < RANDOM_REQUESTS; i++) {
		uint64_t op = rnd() % (FS_NOPS + 2);
		if (op == FS_OPEN || rnd() % 64 == 0)
			op = rnd(); /* opens would keep REQ in a slot */
		bool own = rnd() % 4 == 0;
		req->slot = own ? f->slot : (uint32_t)(rnd() % 300);
		req->key = own ? f->key : rnd();
		req->flags = (uint32_t)rnd();
		req->offset = own ? rnd() % (256 << 10) : rnd();
		req->len = rnd() % 2 ? rnd() % 4096 : rnd();
		random_path(req->u.path[0]);
		random_path(req->u.path[1]);
		unanswered += ask(op, 0) == 1LL << 40;
	}
	printf("fshostile: %d seeded random requests: %d unanswered\n", RANDOM_REQUESTS,
	       unanswered);
}

/* The impostor: sharing the parent's descriptors, it names itself as the
 * file's server and as the published one, then answers every request it
 * gets with a forged reply, until the parent says QUIT. */
static void impostor(envid_t parent, int fd)
{
	fd2desc(fd)->u.file.server = getpid();
	SYSPAGE->fsd = getpid();
	ipc_send(parent, 1, NULL, 0);
	for (;;) {
		envid_t from;
		uint64_t perm;
		uint64_t v = ipc_recv(&from, (void *)IMPOSTOR_PAGE, &perm);
		if (from == parent && v == QUIT)
			exit(0);
		if (!(perm & PTE_W))
			continue;
		struct fsreq *req = (struct fsreq *)IMPOSTOR_PAGE;
		memcpy(req->u.data, "forge", 5);
		req->st.size = 12345;
		req->ret = 5;
		req->done = 1;
		sys_page_unmap(0, IMPOSTOR_PAGE);
		sys_env_wake(from);
	}
}

static void impostor_case(void)
{
	int fd = open("/tmp/mine", O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0 || write(fd, "real", 4) != 4 || lseek(fd, 0, SEEK_SET) != 0)
		printf("fshostile: /tmp/mine: %s\n", errno_name(errno));
	envid_t me = getpid();
	pid_t child = fork();
	if (child == 0)
		impostor(me, fd);
	recv_from(child);
	char buf[8] = {0};
	ssize_t n = read(fd, buf, sizeof buf - 1);
	const char *r = n < 0				  ? errno_name(errno)
			: n == 4 && !strcmp(buf, "real")  ? "the real data"
			: n == 5 && !strcmp(buf, "forge") ? "FORGED data"
							  : "WRONG data";
	struct stat st;
	int s = stat("/tmp/mine", &st);
	const char *t = s < 0		      ? errno_name(errno)
			: st.st_size == 4     ? "the real size"
			: st.st_size == 12345 ? "a FORGED size"
					      : "a WRONG size";
	printf("fshostile: an impostor as the file's server: read: %s; "
	       "as the published server: stat: %s\n",
	       r, t);
	SYSPAGE->fsd = srv; /* for the processes that come after */
	ipc_send(child, QUIT, NULL, 0);
	waitpid(child, NULL, 0);
	close(fd);
	unlink("/tmp/mine");
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
	stat("/tmp", &st); /* starts the server and pins it */
	srv = FDPROC->fsd;
	envid_t me = getpid();
	pid_t child = fork();
	if (child == 0)
		honest(me);
	printf("fshostile: the honest client wrote its file: %s\n",
	       recv_from(child) ? "yes" : "NO");
	if (sys_page_alloc(0, REQ, PTE_R | PTE_W) < 0)
		return 1;
	printf("fshostile: 2560 requests on slots it was not given: %d answered\n",
	       foreign_slots());
	int fd = open("/tmp/own", O_CREAT | O_TRUNC | O_RDWR, 0644);
	ranges(fd);
	random_requests(fd);
	printf("fshostile: then: %s\n", alive());
	impostor_case();
	close(fd);
	unlink("/tmp/own");
	ipc_send(child, 1, NULL, 0);
	int status;
	waitpid(child, &status, 0);
	printf("fshostile: finally: %s\n", alive());
	return 0;
}
