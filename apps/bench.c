/* bench: median instructions per kernel operation, read from instret (exact under QEMU -icount);
 * make bench runs it and scripts/bench.py turns its BENCH lines into bench/results.json. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>
#include <unistd.h>

#include "libos.h"
#include "process.h"
#include "pthread.h"

/*
 * Method. A sample is the instret delta around ONE operation, minus the
 * cost of the measurement itself (the median delta of two back-to-back
 * rdinstret reads, printed as "baseline"). Under -icount shift=0 QEMU
 * counts every guest instruction (user, kernel and firmware) exactly, so
 * a sample is an instruction count, not a time. A row reports the median
 * sample (and min and max) over NSAMPLES samples, taken after WARMUP
 * unrecorded ones (which build page tables, reach steady state). A row
 * whose sample covers several operations (ops > 1: a yield round trip is
 * two switches) divides by ops. Rare samples hit by the timer tick show
 * up in max only.
 *
 * Usage: bench [-n SAMPLES] [ROW...]   (no ROW: every row, in table order)
 */

#define NSAMPLES 1001
#define MAXSAMPLES 4001
#define WARMUP 16

#define STR(x) #x
#define XSTR(x) STR(x)

/* Fixed addresses the rows use, far from the program and its heap. */
#define PF_VA 0x40000000UL    /* the page-fault row's page */
#define ALLOC_VA 0x40200000UL /* the page_alloc row's page */
#define IPC_VA 0x40400000UL   /* the page IPC sends back and forth */

static inline uint64_t rdinstret(void)
{
	uint64_t x;
	asm volatile("rdinstret %0" : "=r"(x)::"memory");
	return x;
}

static void check(int r, const char *what)
{
	if (r < 0)
		panic("%s: %s", what, exov_strerror(r));
}

/* Kills and reaps a child. */
static void reap(envid_t child)
{
	check(sys_env_destroy(child, 0), "env_destroy");
	check(sys_env_destroy(child, 0), "env_destroy (reap)");
}

/* --- rows: each fills d[0..n) with raw instret deltas of one sample ----- */

/* The measurement's own cost: two rdinstret in a row. */
static void m_baseline(uint64_t *d, int n)
{
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0 = rdinstret();
		uint64_t t1 = rdinstret();
		if (i >= 0)
			d[i] = t1 - t0;
	}
}

/* Null system call: sys_getenvid, user to kernel and back. */
static void m_null_syscall(uint64_t *d, int n)
{
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0 = rdinstret();
		sys_getenvid();
		uint64_t t1 = rdinstret();
		if (i >= 0)
			d[i] = t1 - t0;
	}
}

/* The breakpoint handler of the two upcall rows: step past the ebreak. */
static void skip_ebreak(struct upcall_frame *uf)
{
	uf->tf.pc += 4;
}

/*
 * Exception dispatch: from the instruction before an ebreak to the first
 * instruction of the upcall. bench_xentry reads instret into t1 and goes
 * on as the library OS's upcall_entry, which saves t1 with the other
 * registers; skip_ebreak steps past the (4-byte) ebreak, and the code
 * after it finds the entry's instret in t1.
 */
void bench_xentry(void);
// clang-format off
asm(".text\n"
    ".globl bench_xentry\n"
    ".balign 4\n"
    "bench_xentry:\n"
    "	rdinstret t1\n"
    "	j upcall_entry\n");
// clang-format on

static void m_exception_dispatch(uint64_t *d, int n)
{
	check(set_exception_handler(CAUSE_BREAKPOINT, skip_ebreak), "set_exception_handler");
	check(sys_env_set_upcall(0, (uintptr_t)bench_xentry, UXSTACK_LO, UXSTACKTOP),
	      "env_set_upcall");
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0;
		register uint64_t t1 asm("t1");
		asm volatile("rdinstret %0\n"
			     ".option push\n"
			     ".option norvc\n"
			     "ebreak\n"
			     ".option pop\n"
			     : "=&r"(t0), "=r"(t1)::"memory");
		if (i >= 0)
			d[i] = t1 - t0;
	}
	exceptions_init(); /* back to the library OS's upcall */
}

/* Exception round trip through the library OS: ebreak, the libos
 * trampoline, a C handler that steps past it, resume. */
static void m_upcall_roundtrip(uint64_t *d, int n)
{
	check(set_exception_handler(CAUSE_BREAKPOINT, skip_ebreak), "set_exception_handler");
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0 = rdinstret();
		asm volatile(".option push\n.option norvc\nebreak\n.option pop" ::: "memory");
		uint64_t t1 = rdinstret();
		if (i >= 0)
			d[i] = t1 - t0;
	}
	exceptions_init(); /* back to the library OS's upcall */
}

/* Page fault round trip: a store to an unmapped page; the handler maps a
 * fresh page there; the store is retried. The page is unmapped again
 * outside the measurement. */
static void alloc_on_fault(struct upcall_frame *uf)
{
	check(sys_page_alloc(0, ROUNDDOWN(uf->tval, PGSIZE), PTE_R | PTE_W), "page_alloc");
}

static void m_pgfault_roundtrip(uint64_t *d, int n)
{
	check(set_pgfault_handler(alloc_on_fault), "set_pgfault_handler");
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0 = rdinstret();
		*(volatile char *)PF_VA = 1;
		uint64_t t1 = rdinstret();
		if (i >= 0)
			d[i] = t1 - t0;
		check(sys_page_unmap(0, PF_VA), "page_unmap");
	}
	exceptions_init(); /* back to the library OS's upcall */
}

/* sys_page_alloc alone (a fresh zeroed page), unmapped outside the
 * measurement. */
static void m_page_alloc(uint64_t *d, int n)
{
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0 = rdinstret();
		int r = sys_page_alloc(0, ALLOC_VA, PTE_R | PTE_W);
		uint64_t t1 = rdinstret();
		check(r, "page_alloc");
		if (i >= 0)
			d[i] = t1 - t0;
		check(sys_page_unmap(0, ALLOC_VA), "page_unmap");
	}
}

/* The other side of the IPC rows: receives a message at va (UTOP: no
 * page) and answers value + 1 (with the page, if one came) by ipc_call,
 * which also waits for the next message. */
static void __attribute__((noreturn)) ipc_echo(envid_t parent, uintptr_t va)
{
	uint64_t msg[3];
	int r = sys_ipc_recv(va, msg);
	for (;;) {
		if (r < 0) {
			r = sys_ipc_recv(va, msg);
			continue;
		}
		while ((r = sys_ipc_call(parent, msg[1] + 1, msg[2] ? va : UTOP, msg[2], va,
					 msg)) == -E_IPC_NOT_RECV)
			sys_yield();
	}
}

/* One IPC round trip per sample: one ipc_call to the echoing child, which
 * runs at once and answers with its own ipc_call. */
static void ipc_roundtrip(uint64_t *d, int n, bool page)
{
	uintptr_t va = page ? IPC_VA : UTOP;
	uint64_t perm = page ? PTE_R | PTE_W : 0;
	if (page)
		check(sys_page_alloc(0, IPC_VA, PTE_R | PTE_W), "page_alloc");
	envid_t parent = sys_getenvid();
	envid_t child = dumbfork();
	check(child, "dumbfork");
	if (child == 0)
		ipc_echo(parent, va);
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0, t1, msg[3];
		int r;
		while (!envs[ENVX(child)].env_ipc_recving)
			sys_yield();
		t0 = rdinstret();
		r = sys_ipc_call(child, (uint64_t)i, va, perm, va, msg);
		t1 = rdinstret();
		while (r == -E_INTR) /* a late child-death notice (an earlier row's child) */
			r = sys_ipc_recv(va, msg);
		check(r, "ipc_call");
		if (msg[0] != (uint64_t)child || msg[1] != (uint64_t)i + 1 || msg[2] != perm)
			panic("ipc: bad reply %lx %lu %lx", (unsigned long)msg[0],
			      (unsigned long)msg[1], (unsigned long)msg[2]);
		if (i >= 0)
			d[i] = t1 - t0;
	}
	reap(child);
	if (page)
		check(sys_page_unmap(0, IPC_VA), "page_unmap");
}

static void m_ipc_word(uint64_t *d, int n)
{
	ipc_roundtrip(d, n, false);
}

static void m_ipc_page(uint64_t *d, int n)
{
	ipc_roundtrip(d, n, true);
}

/* sys_yield between two envs: the parent's yield returns after the child
 * has run and yielded back: one sample is two switches (ops = 2). */
static void m_yield_switch(uint64_t *d, int n)
{
	envid_t child = dumbfork();
	check(child, "dumbfork");
	if (child == 0)
		for (;;)
			sys_yield();
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0 = rdinstret();
		sys_yield();
		uint64_t t1 = rdinstret();
		if (i >= 0)
			d[i] = t1 - t0;
	}
	reap(child);
}

/* sys_exofork alone; the child (never run) is destroyed and reaped
 * outside the measurement. */
static void m_exofork(uint64_t *d, int n)
{
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0 = rdinstret();
		envid_t child = sys_exofork();
		uint64_t t1 = rdinstret();
		if (child == 0) /* not reached: the child is never made runnable */
			exit(0);
		check(child, "exofork");
		if (i >= 0)
			d[i] = t1 - t0;
		reap(child);
	}
}

/* Destroying a never-run exoforked child and reaping its zombie (two
 * sys_env_destroy calls). */
static void m_destroy_reap(uint64_t *d, int n)
{
	for (int i = -WARMUP; i < n; i++) {
		envid_t child = sys_exofork();
		if (child == 0)
			exit(0);
		check(child, "exofork");
		uint64_t t0 = rdinstret();
		sys_env_destroy(child, 0);
		sys_env_destroy(child, 0);
		uint64_t t1 = rdinstret();
		if (i >= 0)
			d[i] = t1 - t0;
	}
}

/* --- process rows: fewer samples (each costs up to millions) ----------- */

#define TOUCH_VA 0x50000000UL /* where the 1/4/16 MiB rows keep their data */
static size_t touched_bytes;

/* Maps and touches n bytes at TOUCH_VA (unmapping what was there). */
static void touch_region(size_t n)
{
	if (touched_bytes)
		check(sys_page_unmap_range(0, TOUCH_VA,
					   TOUCH_VA + ROUNDUP(touched_bytes, MEGASIZE)),
		      "page_unmap_range");
	for (size_t off = 0; off < n; off += PGSIZE) {
		check(sys_page_alloc(0, TOUCH_VA + off, PTE_R | PTE_W), "page_alloc region");
		*(volatile char *)(TOUCH_VA + off) = 1;
	}
	touched_bytes = n;
}

/* fork alone, as the parent sees it: from the call to its return. */
static void m_fork(uint64_t *d, int n)
{
	for (int i = -1; i < n; i++) {
		uint64_t t0 = rdinstret();
		pid_t c = fork();
		uint64_t t1 = rdinstret();
		if (c == 0)
			_exit(0);
		if (i >= 0)
			d[i] = t1 - t0;
		waitpid(c, NULL, 0);
	}
}

static void fork_exit_wait(uint64_t *d, int n, size_t bytes)
{
	touch_region(bytes);
	for (int i = -1; i < n; i++) {
		uint64_t t0 = rdinstret();
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		waitpid(c, NULL, 0);
		uint64_t t1 = rdinstret();
		if (i >= 0)
			d[i] = t1 - t0;
	}
	touch_region(0);
}

static void m_fork_wait_small(uint64_t *d, int n)
{
	fork_exit_wait(d, n, 0);
}

static void m_fork_wait_1m(uint64_t *d, int n)
{
	fork_exit_wait(d, n, 1 << 20);
}

static void m_fork_wait_4m(uint64_t *d, int n)
{
	fork_exit_wait(d, n, 4 << 20);
}

static void m_fork_wait_16m(uint64_t *d, int n)
{
	fork_exit_wait(d, n, 16 << 20);
}

/* spawn of /bin/true (a small static program) + waitpid. */
static void m_spawn_wait(uint64_t *d, int n)
{
	for (int i = -1; i < n; i++) {
		uint64_t t0 = rdinstret();
		pid_t c = spawnl("/bin/true", "true", NULL);
		waitpid(c, NULL, 0);
		uint64_t t1 = rdinstret();
		if (c < 0)
			panic("spawn failed");
		if (i >= 0)
			d[i] = t1 - t0;
	}
}

static void m_fork_exec_wait(uint64_t *d, int n)
{
	for (int i = -1; i < n; i++) {
		uint64_t t0 = rdinstret();
		pid_t c = fork();
		if (c == 0) {
			execl("/bin/true", "true", NULL);
			_exit(127);
		}
		int st;
		waitpid(c, &st, 0);
		uint64_t t1 = rdinstret();
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			panic("exec failed");
		if (i >= 0)
			d[i] = t1 - t0;
	}
}

/* A child that answers on `out` each time it has read `chunk` bytes
 * from `in`: the other end of the pipe rows. */
static pid_t pipe_peer(int in[2], int out[2], size_t chunk)
{
	pid_t c = fork();
	if (c != 0)
		return c;
	close(in[1]);
	close(out[0]);
	static char buf[4096];
	for (;;) {
		size_t got = 0;
		while (got < chunk) {
			ssize_t r = read(in[0], buf + got, chunk - got);
			if (r <= 0)
				_exit(0);
			got += (size_t)r;
		}
		if (write(out[1], buf, 1) != 1)
			_exit(1);
	}
}

/* Sends `chunk` bytes down a pipe to pipe_peer and waits for its
 * 1-byte answer: a 1-byte round trip, or 4 KiB through a pipe. */
static void pipe_rows(uint64_t *d, int n, size_t chunk)
{
	int down[2], up[2];
	if (pipe(down) < 0 || pipe(up) < 0)
		panic("pipe");
	pid_t c = pipe_peer(down, up, chunk);
	close(down[0]);
	close(up[1]);
	static char buf[4096];
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0 = rdinstret();
		if (write(down[1], buf, chunk) != (ssize_t)chunk || read(up[0], buf, 1) != 1)
			panic("pipe round trip");
		uint64_t t1 = rdinstret();
		if (i >= 0)
			d[i] = t1 - t0;
	}
	close(down[1]);
	close(up[0]);
	waitpid(c, NULL, 0);
}

static void m_pipe_byte(uint64_t *d, int n)
{
	pipe_rows(d, n, 1);
}

static void m_pipe_4k(uint64_t *d, int n)
{
	pipe_rows(d, n, 4096);
}

/* --- thread rows --------------------------------------------------------- */

static volatile int thread_stop;

static void *yielder(void *arg)
{
	(void)arg;
	while (!thread_stop)
		sched_yield();
	return NULL;
}

/* sched_yield between two threads of one env: a sample is a round trip
 * (two switches). */
static void m_thread_switch(uint64_t *d, int n)
{
	pthread_t t;
	thread_stop = 0;
	if (pthread_create(&t, NULL, yielder, NULL) != 0)
		panic("pthread_create");
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0 = rdinstret();
		sched_yield();
		uint64_t t1 = rdinstret();
		if (i >= 0)
			d[i] = t1 - t0;
	}
	thread_stop = 1;
	pthread_join(t, NULL);
}

static void m_mutex(uint64_t *d, int n)
{
	static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	for (int i = -WARMUP; i < n; i++) {
		uint64_t t0 = rdinstret();
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
		uint64_t t1 = rdinstret();
		if (i >= 0)
			d[i] = t1 - t0;
	}
}

/*
 * The table. target: the goal in instructions per operation (user +
 * kernel), 0 for none (rows kept for the breakdown). Rows for library
 * features not written yet (fork, spawn, exec, waitpid, pipes, threads)
 * go here as they arrive.
 */
struct bench {
	const char *name; /* machine name: BENCH lines, bench/results.json */
	const char *what; /* for people */
	void (*measure)(uint64_t *d, int n);
	unsigned ops; /* operations per sample */
	long target;  /* instructions per operation; 0: none */
	int samples;  /* 0: the -n count; else this many (costly rows), in a
			 fresh small process (spawned "bench -proc ROW N") */
};

static const struct bench benches[] = {
	{"null_syscall", "null system call (sys_getenvid)", m_null_syscall, 1, 60, 0},
	{"exception_dispatch", "exception upcall dispatch (ebreak to 1st insn)",
	 m_exception_dispatch, 1, 40, 0},
	{"upcall_roundtrip", "ebreak round trip via libos trampoline", m_upcall_roundtrip, 1, 0, 0},
	{"pgfault_roundtrip", "page fault round trip (handler page_allocs)", m_pgfault_roundtrip, 1,
	 300, 0},
	{"page_alloc", "sys_page_alloc of a zeroed page", m_page_alloc, 1, 0, 0},
	{"ipc_word_roundtrip", "IPC round trip, one word", m_ipc_word, 1, 300, 0},
	{"ipc_page_roundtrip", "IPC round trip, word + page each way", m_ipc_page, 1, 450, 0},
	{"yield_switch", "sys_yield between two envs, per switch", m_yield_switch, 2, 150, 0},
	{"exofork", "sys_exofork alone", m_exofork, 1, 0, 0},
	{"destroy_reap", "env_destroy + reap of an exoforked child", m_destroy_reap, 1, 0, 0},
	{"fork", "fork of the bench process (parent's view)", m_fork, 1, 20000, 21},
	{"fork_wait_small", "fork + exit + waitpid, small process", m_fork_wait_small, 1, 50000,
	 21},
	{"fork_wait_1m", "fork + exit + waitpid, 1 MiB touched", m_fork_wait_1m, 1, 0, 5},
	{"fork_wait_4m", "fork + exit + waitpid, 4 MiB touched", m_fork_wait_4m, 1, 200000, 5},
	{"fork_wait_16m", "fork + exit + waitpid, 16 MiB touched", m_fork_wait_16m, 1, 0, 3},
	{"spawn_wait", "spawn + exit + waitpid of a small program", m_spawn_wait, 1, 100000, 11},
	{"fork_exec_wait", "fork + exec + exit + waitpid", m_fork_exec_wait, 1, 150000, 11},
	{"pipe_byte_roundtrip", "1-byte round trip over two pipes", m_pipe_byte, 1, 3000, 101},
	{"pipe_4k", "4 KiB through a pipe (and a 1-byte answer)", m_pipe_4k, 1, 20000, 101},
	{"thread_switch", "sched_yield between two threads, per switch", m_thread_switch, 2, 0,
	 101},
	{"mutex_uncontended", "pthread_mutex_lock + unlock, uncontended", m_mutex, 1, 0, 0},
};
#define NBENCH (int)(sizeof benches / sizeof benches[0])

struct result {
	const struct bench *b;
	uint64_t median, min, max; /* per sample, baseline subtracted */
};

static uint64_t samples[MAXSAMPLES];
static struct result results[4 * NBENCH];

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t median_of(uint64_t *d, int n)
{
	qsort(d, (size_t)n, sizeof d[0], cmp_u64);
	return d[n / 2];
}

/* v / ops as a decimal: "123" or "61.5" (ops is 1 or 2 today). */
static const char *per_op(uint64_t v, unsigned ops)
{
	static char buf[4][32];
	static int k;
	char *s = buf[k++ % 4];
	uint64_t whole = v / ops, tenths = (v % ops) * 10 / ops;
	if (tenths)
		snprintf(s, 32, "%lu.%lu", (unsigned long)whole, (unsigned long)tenths);
	else
		snprintf(s, 32, "%lu", (unsigned long)whole);
	return s;
}

static const struct bench *find(const char *name)
{
	for (int i = 0; i < NBENCH; i++)
		if (strcmp(benches[i].name, name) == 0)
			return &benches[i];
	return NULL;
}

/* Process rows measure a small process (a fresh bench, about 40 pages),
 * not this one, whose address space the other rows have grown: the child
 * runs the row and sends its samples back by IPC. */
static void measure_in_fresh_process(const struct bench *b, uint64_t *d, int n)
{
	char count[16];
	snprintf(count, sizeof count, "%d", n);
	pid_t c = spawnl("/bin/bench", "bench", "-proc", b->name, count, NULL);
	if (c < 0)
		panic("spawn bench -proc %s", b->name);
	for (int i = 0; i < n; i++) {
		envid_t from;
		d[i] = ipc_recv(&from, NULL, NULL);
		if (from != c)
			panic("sample from %08x", (unsigned)from);
	}
	waitpid(c, NULL, 0);
}

/* The child side: "bench -proc ROW N". */
static int run_as_fresh_process(const char *name, int n)
{
	const struct bench *b = find(name);
	if (!b || n < 1 || n > MAXSAMPLES)
		return 1;
	b->measure(samples, n);
	for (int i = 0; i < n; i++)
		ipc_send(getppid(), samples[i], NULL, 0);
	return 0;
}

int main(int argc, char **argv)
{
	int n = NSAMPLES, first = 1;
	if (argc == 2 && strcmp(argv[1], "-x") == 0)
		return 0; /* the spawn and exec rows' program */
	if (argc == 4 && strcmp(argv[1], "-proc") == 0)
		return run_as_fresh_process(argv[2], atoi(argv[3]));
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		n = atoi(argv[2]);
		first = 3;
	}
	if (n < 1 || n > MAXSAMPLES || n % 2 == 0) {
		printf("bench: -n wants an odd count from 1 to %d\n", MAXSAMPLES);
		return 1;
	}
	const struct bench *todo[4 * NBENCH];
	int ntodo = 0;
	for (int i = first; i < argc; i++) {
		const struct bench *b = find(argv[i]);
		if (!b || ntodo == 4 * NBENCH) {
			printf("bench: no row '%s'; rows:", argv[i]);
			for (int j = 0; j < NBENCH; j++)
				printf(" %s", benches[j].name);
			printf("\n");
			return 1;
		}
		todo[ntodo++] = b;
	}
	if (ntodo == 0)
		for (int i = 0; i < NBENCH; i++)
			todo[ntodo++] = &benches[i];

	/* Own the FPU from the start, as any program that has used F/D does:
	 * the libos trampoline saves F/D, and exofork copies them. */
	asm volatile("fmv.d.x ft0, zero" ::: "ft0");

	m_baseline(samples, n);
	uint64_t base = median_of(samples, n);
	for (int i = 0; i < ntodo; i++) {
		const struct bench *b = todo[i];
		int m = b->samples ? b->samples : n;
		if (b->samples)
			measure_in_fresh_process(b, samples, m);
		else
			b->measure(samples, m);
		for (int j = 0; j < m; j++)
			samples[j] = samples[j] > base ? samples[j] - base : 0;
		results[i] = (struct result){b, median_of(samples, m), samples[0], samples[m - 1]};
	}

	printf("exov bench: instructions per operation (instret under QEMU -icount), "
	       "median of %d samples, baseline %lu subtracted\n",
	       n, (unsigned long)base);
	printf("%-20s %-46s %8s %8s %8s %7s\n", "row", "operation", "median", "min", "max",
	       "target");
	for (int i = 0; i < ntodo; i++) {
		const struct result *r = &results[i];
		char target[16] = "-";
		if (r->b->target)
			snprintf(target, sizeof target, "%ld", r->b->target);
		printf("%-20s %-46s %8s %8s %8s %7s\n", r->b->name, r->b->what,
		       per_op(r->median, r->b->ops), per_op(r->min, r->b->ops),
		       per_op(r->max, r->b->ops), target);
	}
	printf("BENCH-META samples=%d warmup=%d baseline=%lu unit=insn/op\n", n, WARMUP,
	       (unsigned long)base);
	printf("BENCH-ROWS");
	for (int i = 0; i < NBENCH; i++)
		printf(" %s", benches[i].name);
	printf("\n");
	for (int i = 0; i < ntodo; i++) {
		const struct result *r = &results[i];
		printf("BENCH %s median=%s min=%s max=%s ops=%u target=%ld what=\"%s\"\n",
		       r->b->name, per_op(r->median, r->b->ops), per_op(r->min, r->b->ops),
		       per_op(r->max, r->b->ops), r->b->ops, r->b->target, r->b->what);
	}
	printf("BENCH-END %d rows\n", ntodo);
	return 0;
}
