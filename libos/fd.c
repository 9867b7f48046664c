/* File descriptors: the table in the descriptor region, the POSIX calls
 * on descriptors (read, write, close, dup, fcntl, ...), and passing them
 * on to children. Each kind of description does the real work (struct dev). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#include "fd.h"
#include "thread.h"

#define SHARED_PERM (PTE_R | PTE_W | PTE_SHARE)

int set_errno(int r)
{
	if (r >= 0)
		return r;
	errno = -r;
	return -1;
}

static ssize_t ssize_result(ssize_t r)
{
	if (r >= 0)
		return r;
	errno = (int)-r;
	return -1;
}

bool env_is_alive(envid_t id)
{
	const volatile struct env_info *e = &envs[ENVX(id)];
	return id > 0 && e->env_id == id && e->env_status != ENV_FREE &&
	       e->env_status != ENV_ZOMBIE;
}

/*
 * A lock in a shared page, held by an env id. Holders keep it for a few
 * instructions only, so a waiter yields; a holder that died (killed in
 * the middle) cannot release it, so a waiter takes it from a dead owner.
 * While one is held no other thread of the process runs (a thread library
 * critical section), so "held by me" can only be a signal handler.
 */

/* elock_acquire of a lock that was not free (in the critical section
 * already). Out of line: the free lock's path stays short. */
static __attribute__((noinline)) bool elock_contended(volatile envid_t *lock, envid_t me)
{
	for (;;) {
		envid_t cur = 0;
		if (__atomic_compare_exchange_n(lock, &cur, me, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
		if (cur == me) {
			thread_lib_leave();
			return false; /* a signal handler inside our own critical section */
		}
		if (!env_is_alive(cur))
			__atomic_compare_exchange_n(lock, &cur, 0, false, __ATOMIC_RELAXED,
						    __ATOMIC_RELAXED);
		else
			sys_yield();
	}
}

bool elock_acquire(volatile envid_t *lock)
{
	envid_t me = thisenv_id(), cur = 0;
	thread_lib_enter();
	if (__atomic_compare_exchange_n(lock, &cur, me, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return true;
	return elock_contended(lock, me);
}

void elock_release(volatile envid_t *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
	thread_lib_leave();
}

/*
 * Wakes every env asleep on a pipe; each looks at its pipe again. Closing
 * a pipe end does it (pipe.c), and so does whoever learns of a death by
 * the kernel's hand (SIGKILL, a fault), which closes nothing: kill, and a
 * parent told of a child's death. The reference counts have changed.
 */
void pipe_wake_all(void)
{
	if (!(va_pte(USYSPAGE) & PTE_V))
		return;
	envid_t me = thisenv_id();
	for (unsigned w = 0; w < NENV / 64; w++) {
		uint64_t bits = SYSPAGE->sleepers[w];
		while (bits) {
			unsigned i = w * 64 + (unsigned)__builtin_ctzll(bits);
			bits &= bits - 1;
			envid_t id = envs[i].env_id;
			if (id != me && env_is_alive(id))
				sys_env_wake(id);
		}
	}
}

/* Start-up: the first process makes the system page and opens the
 * console as 0, 1 and 2; everyone else inherited them. */
void fd_init(void)
{
	if (!(va_pte(UPROCPAGE) & PTE_V)) {
		if (sys_page_alloc(0, UPROCPAGE, PTE_R | PTE_W) < 0)
			sys_env_destroy(0, 255);
		strcpy(FDPROC->cwd, "/");
	}
	if (!(va_pte(USYSPAGE) & PTE_V)) {
		if (sys_page_alloc(0, USYSPAGE, SHARED_PERM) < 0)
			sys_env_destroy(0, 255);
		if (!fd_lookup(0) && console_open(0) == 0) {
			dup2(0, 1);
			dup2(0, 2);
		}
	}
}

const struct dev *fd_dev(const struct fdesc *d)
{
	switch (d->dev) {
	case DEV_CONSOLE:
		return &dev_console;
	case DEV_PIPE:
		return &dev_pipe;
	case DEV_ARCHIVE:
		return &dev_archive;
	case DEV_FILE:
		return &dev_file;
	case DEV_NULL:
		return &dev_null;
	default:
		return NULL;
	}
}

int fd_alloc(int min)
{
	for (int fd = min < 0 ? 0 : min; fd < MAXFD; fd++)
		if (!fd_lookup(fd))
			return fd;
	return -EMFILE;
}

int fd_new(int fd, uint32_t dev, uint32_t flags)
{
	if (sys_page_alloc(0, (uintptr_t)fd2desc(fd), SHARED_PERM) < 0)
		return -ENOMEM;
	fd2desc(fd)->dev = dev;
	fd2desc(fd)->flags = flags;
	FDPROC->cloexec[fd] = (flags & O_CLOEXEC) != 0;
	return fd;
}

/* The description goes first, then the data window: a pipe's counts
 * (description refs <= buffer refs) stay conservative. */
int close(int fd)
{
	struct fdesc *d = fd_lookup(fd);
	if (!d)
		return set_errno(-EBADF);
	const struct dev *dev = fd_dev(d);
	sys_page_unmap(0, (uintptr_t)d);
	sys_page_unmap_range(0, fd2data(fd), fd2data(fd) + FDDATA_SIZE);
	FDPROC->cloexec[fd] = 0;
	if (dev && dev->closed)
		dev->closed();
	return 0;
}

void fd_close_all(void)
{
	for (int fd = 0; fd < MAXFD; fd++)
		if (fd_lookup(fd))
			close(fd);
}

void fd_close_on_exec(void)
{
	for (int fd = 0; fd < MAXFD; fd++)
		if (FDPROC->cloexec[fd] && fd_lookup(fd))
			close(fd);
}

struct share {
	envid_t from, to;
	uintptr_t delta; /* to's va - from's va */
};

static int share_one(uintptr_t va, pte_t pte, void *arg)
{
	struct share *s = arg;
	return sys_page_map(s->from, va, s->to, va + s->delta,
			    pte & (PTE_R | PTE_W | PTE_X | PTE_SHARE));
}

/* Maps fd's data window, then its description, at newfd in env to. */
static int fd_map(int fd, envid_t to, int newfd)
{
	uintptr_t delta = fd2data(newfd) - fd2data(fd);
	struct share s = {0, to, delta};
	int r = foreach_mapped_page(fd2data(fd), fd2data(fd) + FDDATA_SIZE, share_one, &s);
	if (r == 0)
		r = sys_page_map(0, (uintptr_t)fd2desc(fd), to, (uintptr_t)fd2desc(newfd),
				 SHARED_PERM);
	return r < 0 ? -ENOMEM : 0;
}

/* spawn: the child gets every descriptor not marked close-on-exec, the
 * system page, and a copy of our cwd. */
int fd_share_with_child(envid_t child)
{
	int r = 0;
	for (int fd = 0; r == 0 && fd < MAXFD; fd++)
		if (fd_lookup(fd) && !FDPROC->cloexec[fd])
			r = fd_map(fd, child, fd);
	if (r == 0 && (va_pte(USYSPAGE) & PTE_V))
		r = sys_page_map(0, USYSPAGE, child, USYSPAGE, SHARED_PERM);
	if (r == 0)
		r = sys_page_alloc(0, UTEMP2, PTE_R | PTE_W);
	if (r == 0) {
		struct fdproc *copy = (struct fdproc *)UTEMP2;
		memcpy(copy->cwd, FDPROC->cwd, sizeof copy->cwd);
		copy->fsd = FDPROC->fsd;
		r = sys_page_map(0, UTEMP2, child, UPROCPAGE, PTE_R | PTE_W);
		sys_page_unmap(0, UTEMP2);
	}
	return r < 0 ? -ENOMEM : 0;
}

static int do_dup(int fd, int newfd, bool cloexec)
{
	int r = fd_map(fd, 0, newfd);
	if (r < 0) { /* the description is mapped last: only the window is there */
		sys_page_unmap_range(0, fd2data(newfd), fd2data(newfd) + FDDATA_SIZE);
		return set_errno(r);
	}
	FDPROC->cloexec[newfd] = cloexec;
	return newfd;
}

int dup(int fd)
{
	if (!fd_lookup(fd))
		return set_errno(-EBADF);
	int newfd = fd_alloc(0);
	return newfd < 0 ? set_errno(newfd) : do_dup(fd, newfd, false);
}

int dup2(int fd, int newfd)
{
	if (!fd_lookup(fd) || newfd < 0 || newfd >= MAXFD)
		return set_errno(-EBADF);
	if (fd == newfd)
		return newfd;
	if (fd_lookup(newfd))
		close(newfd);
	return do_dup(fd, newfd, false);
}

int fcntl(int fd, int cmd, ...)
{
	struct fdesc *d = fd_lookup(fd);
	if (!d)
		return set_errno(-EBADF);
	va_list ap;
	va_start(ap, cmd);
	int arg = va_arg(ap, int);
	va_end(ap);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC: {
		if (arg < 0 || arg >= MAXFD)
			return set_errno(-EINVAL);
		int newfd = fd_alloc(arg);
		return newfd < 0 ? set_errno(newfd) : do_dup(fd, newfd, cmd == F_DUPFD_CLOEXEC);
	}
	case F_GETFD:
		return FDPROC->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		FDPROC->cloexec[fd] = (arg & FD_CLOEXEC) != 0;
		return 0;
	case F_GETFL:
		return (int)d->flags & (O_ACCMODE | O_APPEND);
	case F_SETFL:
		d->flags = (d->flags & ~(uint32_t)O_APPEND) | ((uint32_t)arg & O_APPEND);
		return 0;
	default:
		return set_errno(-EINVAL);
	}
}

ssize_t read(int fd, void *buf, size_t n)
{
	struct fdesc *d = fd_lookup(fd);
	const struct dev *dev = d ? fd_dev(d) : NULL;
	if (!dev || (d->flags & O_ACCMODE) == O_WRONLY)
		return ssize_result(-EBADF);
	if (!dev->read)
		return ssize_result(-EISDIR);
	return ssize_result(dev->read(fd, d, buf, n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	struct fdesc *d = fd_lookup(fd);
	const struct dev *dev = d ? fd_dev(d) : NULL;
	if (!dev || !dev->write || (d->flags & O_ACCMODE) == O_RDONLY)
		return ssize_result(-EBADF);
	return ssize_result(dev->write(fd, d, buf, n));
}

off_t lseek(int fd, off_t off, int whence)
{
	struct fdesc *d = fd_lookup(fd);
	const struct dev *dev = d ? fd_dev(d) : NULL;
	if (!dev)
		return ssize_result(-EBADF);
	if (!dev->seek)
		return ssize_result(-ESPIPE);
	return ssize_result(dev->seek(d, off, whence));
}

/* The new offset for lseek on a file of the given size. */
off_t seek_offset(struct fdesc *d, off_t off, int whence, off_t size)
{
	off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? d->offset : size;
	if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) ||
	    (off < 0 && base + off < 0))
		return -EINVAL;
	d->offset = base + off;
	return d->offset;
}

int fstat(int fd, struct stat *st)
{
	struct fdesc *d = fd_lookup(fd);
	const struct dev *dev = d ? fd_dev(d) : NULL;
	if (!dev)
		return set_errno(-EBADF);
	memset(st, 0, sizeof *st);
	return set_errno(dev->stat(fd, d, st));
}

int isatty(int fd)
{
	struct fdesc *d = fd_lookup(fd);
	if (!d) {
		errno = EBADF;
		return 0;
	}
	if (d->dev != DEV_CONSOLE) {
		errno = ENOTTY;
		return 0;
	}
	return 1;
}

int ftruncate(int fd, off_t len)
{
	struct fdesc *d = fd_lookup(fd);
	const struct dev *dev = d ? fd_dev(d) : NULL;
	if (!dev)
		return set_errno(-EBADF);
	if (!dev->trunc || (d->flags & O_ACCMODE) == O_RDONLY || len < 0)
		return set_errno(-EINVAL);
	return set_errno(dev->trunc(d, len));
}

int fsync(int fd)
{
	return fd_lookup(fd) ? 0 : set_errno(-EBADF);
}

int getdtablesize(void)
{
	return MAXFD;
}
