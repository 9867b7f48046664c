/* Pipes: a ring buffer in PTE_SHARE pages mapped in the data window of
 * both ends' descriptors. Readers and writers sleep and wake each other;
 * page reference counts tell each end whether the other end still exists. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include "fd.h"

#define PIPE_PAGES 4
#define PIPE_WAITERS 8
#define PIPE_HEADER 64
#define PIPE_SIZE (PIPE_PAGES * PGSIZE - PIPE_HEADER)

/*
 * rpos and wpos only grow; the bytes in [rpos, wpos) are waiting, at
 * buf[pos % PIPE_SIZE]. Writers take wlock to copy and advance wpos (so a
 * write of up to PIPE_BUF bytes is never interleaved with another);
 * readers need no lock: a reader copies, then advances rpos with a
 * compare-and-swap, and drops its copy if another reader got there first
 * (a writer never reuses bytes before rpos moves past them).
 */
struct pipe {
	uint64_t rpos, wpos;
	union {
		envid_t id[PIPE_WAITERS];	 /* envs asleep on this pipe, 0 = free */
		uint64_t pair[PIPE_WAITERS / 2]; /* for wake_waiters' quick look */
	} waiters;
	envid_t wlock;
	uint8_t pad[PIPE_HEADER - 20 - 4 * PIPE_WAITERS];
	uint8_t buf[PIPE_SIZE];
};
_Static_assert(offsetof(struct pipe, buf) == PIPE_HEADER, "pipe header");

#define PIPE(fd) ((struct pipe *)fd2data(fd))

/*
 * How many descriptors (in all processes) refer to the other end. Every
 * mapping of either end's description comes with a mapping of the buffer,
 * so buffer refs - this end's refs = the other end's refs, read from the
 * kernel's counts: this holds even when a process was killed. The two
 * loads must see one moment: if another env ran between them (our
 * env_runs moved), look again. The buffer is mapped before and unmapped
 * after a description, so the difference never falls below the truth.
 * fd is open here (its description and buffer are mapped), so their PTEs
 * need no walk from the top (pageref_mapped).
 */
static uint32_t other_end(int fd)
{
	for (;;) {
		uint64_t runs = thisenv->env_runs;
		uint32_t mine = pageref_mapped((uintptr_t)fd2desc(fd));
		uint32_t all = pageref_mapped(fd2data(fd));
		if (runs == thisenv->env_runs)
			return all - mine;
	}
}

static __attribute__((noinline)) void wake_each(struct pipe *p, envid_t me)
{
	for (int i = 0; i < PIPE_WAITERS; i++) {
		envid_t id = __atomic_load_n(&p->waiters.id[i], __ATOMIC_RELAXED);
		if (id && id != me)
			sys_env_wake(id);
	}
}

/* Wakes the pipe's sleepers but us (me), after we changed the pipe. Most
 * often nobody sleeps: four loads tell, and the loop stays out of line. */
static void wake_waiters(struct pipe *p, envid_t me)
{
	/* Our change before our look at the slots; a sleeper takes its slot
	 * before its look at the pipe (seq_cst): one of us sees the other. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint64_t any = 0;
	for (int i = 0; i < PIPE_WAITERS / 2; i++)
		any |= __atomic_load_n(&p->waiters.pair[i], __ATOMIC_RELAXED);
	if (any)
		wake_each(p, me);
}

/* A free waiter slot (or a dead env's) for me, or -1 if all are taken. */
static int waiter_add(struct pipe *p, envid_t me)
{
	for (int i = 0; i < PIPE_WAITERS; i++) {
		envid_t cur = 0;
		if (__atomic_compare_exchange_n(&p->waiters.id[i], &cur, me, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return i;
		if (!env_is_alive(cur) &&
		    __atomic_compare_exchange_n(&p->waiters.id[i], &cur, me, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return i;
	}
	return -1;
}

/* Registers (in the pipe and in the system page), then sleeps until ready:
 * whoever changes the pipe after our registration wakes us, and a wake-up
 * before the sleep is kept, so none is lost. With every slot taken, it
 * polls, yielding. */
static void pipe_wait(struct pipe *p, envid_t me, bool (*ready)(void *), void *arg)
{
	int slot = waiter_add(p, me);
	sleepers_mark(me, true);
	if (slot >= 0)
		wait_until(ready, arg); /* only this thread waits (docs/threads.md) */
	else
		while (!ready(arg))
			sched_yield();
	sleepers_mark(me, false);
	if (slot >= 0)
		__atomic_store_n(&p->waiters.id[slot], 0, __ATOMIC_SEQ_CST);
}

static bool readable(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct pipe *p = PIPE(fd);
	return __atomic_load_n(&p->wpos, __ATOMIC_SEQ_CST) != p->rpos || other_end(fd) == 0;
}

/* The second part only when the bytes wrap around the ring. */
static void copy_out(struct pipe *p, uint64_t pos, uint8_t *buf, size_t n)
{
	size_t at = pos % PIPE_SIZE, first = n < PIPE_SIZE - at ? n : PIPE_SIZE - at;
	memcpy(buf, p->buf + at, first);
	if (n > first)
		memcpy(buf + first, p->buf, n - first);
}

static void copy_in(struct pipe *p, uint64_t pos, const uint8_t *buf, size_t n)
{
	size_t at = pos % PIPE_SIZE, first = n < PIPE_SIZE - at ? n : PIPE_SIZE - at;
	memcpy(p->buf + at, buf, first);
	if (n > first)
		memcpy(p->buf, buf + first, n - first);
}

/*
 * An empty pipe is waited on before its writers are counted: the wait
 * looks at both (readable) before it sleeps, and returns at once if every
 * writer is gone; only then is EOF worth a look of its own.
 */
static ssize_t pipe_read(int fd, struct fdesc *d, void *buf, size_t n)
{
	(void)d;
	struct pipe *p = PIPE(fd);
	envid_t me = thisenv_id();
	bool waited = false;
	if (n == 0)
		return 0;
	for (;;) {
		uint64_t r = __atomic_load_n(&p->rpos, __ATOMIC_SEQ_CST);
		uint64_t w = __atomic_load_n(&p->wpos, __ATOMIC_SEQ_CST);
		if (w - r > PIPE_SIZE)
			return -EIO; /* a process sharing the pipe wrote garbage */
		if (w != r) {
			size_t k = w - r < n ? w - r : n;
			copy_out(p, r, buf, k);
			if (__atomic_compare_exchange_n(&p->rpos, &r, r + k, false,
							__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
				wake_waiters(p, me);
				return (ssize_t)k;
			}
			continue;
		}
		/* Every writer is gone: whatever they wrote is in wpos by now. */
		if (waited && other_end(fd) == 0 &&
		    __atomic_load_n(&p->wpos, __ATOMIC_SEQ_CST) == r)
			return 0;
		pipe_wait(p, me, readable, (void *)(intptr_t)fd);
		waited = true;
	}
}

struct want_space {
	int fd;
	size_t need;
};

static bool writable(void *arg)
{
	struct want_space *w = arg;
	struct pipe *p = PIPE(w->fd);
	return PIPE_SIZE - (p->wpos - __atomic_load_n(&p->rpos, __ATOMIC_SEQ_CST)) >= w->need ||
	       other_end(w->fd) == 0;
}

/* No reader left: SIGPIPE (whose default ends the process), even after a
 * part was written (as Linux does); EPIPE if nothing was. */
static ssize_t broken_pipe(size_t done)
{
	raise(SIGPIPE);
	return done ? (ssize_t)done : -EPIPE;
}

static ssize_t pipe_write(int fd, struct fdesc *d, const void *buf, size_t n)
{
	(void)d;
	struct pipe *p = PIPE(fd);
	envid_t me = thisenv_id();
	size_t done = 0;
	while (done < n) {
		if (other_end(fd) == 0)
			return broken_pipe(done);
		/* A write of up to PIPE_BUF bytes goes in whole. */
		struct want_space want = {fd, done == 0 && n <= PIPE_BUF ? n : 1};
		bool locked = elock_acquire(&p->wlock);
		uint64_t w = p->wpos, used = w - __atomic_load_n(&p->rpos, __ATOMIC_SEQ_CST);
		size_t space = used <= PIPE_SIZE ? PIPE_SIZE - used : 0, k = 0;
		if (used > PIPE_SIZE) { /* garbage from a process sharing the pipe */
			if (locked)
				elock_release(&p->wlock);
			return done ? (ssize_t)done : -EIO;
		}
		if (space >= want.need) {
			k = n - done < space ? n - done : space;
			copy_in(p, w, (const uint8_t *)buf + done, k);
			__atomic_store_n(&p->wpos, w + k, __ATOMIC_SEQ_CST);
		}
		if (locked)
			elock_release(&p->wlock);
		if (k) {
			done += k;
			wake_waiters(p, me);
		} else {
			pipe_wait(p, me, writable, &want);
		}
	}
	return (ssize_t)done;
}

/*
 * The other end's sleepers must look again, but only after both our
 * description and the buffer are unmapped (before that, the counts still
 * show us), and then the buffer's list of waiters is out of reach. So
 * every pipe sleeper is woken: each one marks itself in the system page
 * before it looks at its pipe, so none is missed.
 */
static void pipe_closed(void)
{
	pipe_wake_all();
}

static int pipe_stat(int fd, struct fdesc *d, struct stat *st)
{
	(void)d;
	struct pipe *p = PIPE(fd);
	st->st_mode = S_IFIFO | 0600;
	st->st_size = (off_t)(p->wpos - p->rpos);
	st->st_blksize = PIPE_SIZE;
	st->st_nlink = 1;
	return 0;
}

const struct dev dev_pipe = {
	.id = DEV_PIPE,
	.read = pipe_read,
	.write = pipe_write,
	.stat = pipe_stat,
	.closed = pipe_closed,
};

/* The buffer at rfd's window, shared at wfd's, then the two descriptions. */
static int pipe_make(int rfd, int wfd, int flags)
{
	int r = 0;
	for (int i = 0; r == 0 && i < PIPE_PAGES; i++) {
		uintptr_t off = (uintptr_t)i * PGSIZE;
		r = sys_page_alloc(0, fd2data(rfd) + off, PTE_R | PTE_W | PTE_SHARE);
		if (r == 0)
			r = sys_page_map(0, fd2data(rfd) + off, 0, fd2data(wfd) + off,
					 PTE_R | PTE_W | PTE_SHARE);
	}
	if (r == 0)
		r = fd_new(rfd, DEV_PIPE, O_RDONLY | (flags & O_CLOEXEC));
	if (r >= 0)
		r = fd_new(wfd, DEV_PIPE, O_WRONLY | (flags & O_CLOEXEC));
	if (r >= 0)
		return 0;
	if (fd_lookup(rfd))
		close(rfd);
	sys_page_unmap_range(0, fd2data(rfd), fd2data(rfd) + FDDATA_SIZE);
	sys_page_unmap_range(0, fd2data(wfd), fd2data(wfd) + FDDATA_SIZE);
	return -ENOMEM;
}

int pipe2(int fds[2], int flags)
{
	int rfd = fd_alloc(0);
	int wfd = rfd < 0 ? rfd : fd_alloc(rfd + 1);
	if (wfd < 0)
		return set_errno(wfd);
	int r = pipe_make(rfd, wfd, flags);
	if (r < 0)
		return set_errno(r);
	fds[0] = rfd;
	fds[1] = wfd;
	return 0;
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}
