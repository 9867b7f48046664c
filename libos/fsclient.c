/* The file server's client: finding (or starting) the server, sending it
 * requests, and the descriptor operations on its files (/tmp). */
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd.h"
#include "process.h"

/* Spawns the server through a helper that exits once the server is up,
 * so the server is nobody's child (no waitpid of ours ever sees it). */
static int fsd_start(void)
{
	char *argv[] = {"fsd", "-launch", NULL};
	pid_t helper = spawn("/bin/fsd", argv);
	if (helper < 0)
		return -ENXIO;
	int status;
	if (waitpid(helper, &status, 0) != helper || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -EIO;
	return 0;
}

/*
 * The server's id from the system page: an id > 0 is the server; -id is
 * the env starting one; 0 is none yet. The first client to swap 0 for
 * its -id starts it; others wait; a dead server or starter is cleared.
 */
static int fsd_find(envid_t *out)
{
	volatile envid_t *s = &SYSPAGE->fsd;
	envid_t me = getpid();
	for (;;) {
		envid_t v = __atomic_load_n(s, __ATOMIC_SEQ_CST);
		if (v > 0 && env_is_alive(v)) {
			*out = v;
			return 0;
		}
		if (v < 0 && -v != me && env_is_alive(-v)) {
			sys_yield();
			continue;
		}
		if (v != 0) {
			__atomic_compare_exchange_n(s, &v, 0, false, __ATOMIC_SEQ_CST,
						    __ATOMIC_SEQ_CST);
			continue;
		}
		if (!__atomic_compare_exchange_n(s, &v, -me, false, __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST))
			continue;
		int r = fsd_start();
		envid_t mine = -me;
		if (r < 0 && __atomic_compare_exchange_n(s, &mine, 0, false, __ATOMIC_SEQ_CST,
							 __ATOMIC_SEQ_CST))
			return r;
	}
}

/* The server to ask: the pinned one while it lives (the system page is
 * writable by every process, so a published id is believed only when
 * there is none of ours: at first use, or after our server died). */
static int fsd_server(envid_t *out)
{
	if (!(va_pte(USYSPAGE) & PTE_V))
		return -ENXIO;
	envid_t pinned = FDPROC->fsd;
	if (pinned > 0 && env_is_alive(pinned)) {
		*out = pinned;
		return 0;
	}
	int r = fsd_find(out);
	if (r == 0)
		FDPROC->fsd = *out;
	return r;
}

/* Sends op with the page at va to srv and waits for the reply in req. */
static int fs_send(envid_t srv, uint32_t op, uintptr_t va, struct fsreq *req, uint64_t perm)
{
	req->done = 0;
	for (;;) {
		int r = sys_ipc_try_send(srv, op, va, perm);
		if (r == 0)
			break;
		if (r != -E_IPC_NOT_RECV)
			return -EIO;
		sys_yield(); /* the server is busy with someone else */
	}
	while (!__atomic_load_n(&req->done, __ATOMIC_ACQUIRE)) {
		if (!env_is_alive(srv))
			return -EIO;
		libos_sleep(); /* the server wakes us */
	}
	return req->ret;
}

/* This process's request page (private: fork copies it on write). */
static struct fsreq *request(void)
{
	if (!(va_pte(UFSREQ) & PTE_V) && sys_page_alloc(0, UFSREQ, PTE_R | PTE_W) < 0)
		return NULL;
	return (struct fsreq *)UFSREQ;
}

/* A request on an open file, to the server that opened it, which must be
 * ours: the description is shared with every process holding the file,
 * and any of them could write another env's id there to be sent our
 * request page and answer in the server's place. */
static int file_call(struct fdesc *d, uint32_t op, struct fsreq *req)
{
	envid_t srv = d->u.file.server;
	req->slot = d->u.file.slot;
	req->key = d->u.file.key;
	if (srv != FDPROC->fsd || !env_is_alive(srv))
		return -EIO;
	return fs_send(srv, op, UFSREQ, req, PTE_R | PTE_W);
}

static void fsc_fill_stat(const struct fs_stat *fs, struct stat *st)
{
	st->st_mode = (mode_t)fs->mode;
	st->st_size = (off_t)fs->size;
	st->st_ino = fs->ino;
	st->st_nlink = fs->nlink;
	st->st_blksize = PGSIZE;
	st->st_blocks = (st->st_size + 511) / 512;
	st->st_dev = 1;
}

/* A request by path (or two, for rename). */
static int path_call(uint32_t op, const char *rest, const char *rest2, struct fsreq **out)
{
	envid_t srv;
	struct fsreq *req = request();
	if (!req)
		return -ENOMEM;
	int r = fsd_server(&srv);
	if (r < 0)
		return r;
	strcpy(req->u.path[0], rest);
	strcpy(req->u.path[1], rest2 ? rest2 : "");
	*out = req;
	return fs_send(srv, op, UFSREQ, req, PTE_R | PTE_W);
}

int fsc_stat(const char *rest, struct stat *st)
{
	struct fsreq *req;
	int r = path_call(FS_STAT, rest, NULL, &req);
	if (r >= 0)
		fsc_fill_stat(&req->st, st);
	return r < 0 ? r : 0;
}

int fsc_path_op(uint32_t op, const char *rest, const char *rest2)
{
	struct fsreq *req;
	int r = path_call(op, rest, rest2, &req);
	return r < 0 ? r : 0;
}

/* Opens rest at fd: the description page itself carries the request and
 * stays with the server (which tells closes from its reference count). */
int fsc_open(int fd, const char *rest, int flags, bool want_dir)
{
	envid_t srv;
	int r = fsd_server(&srv);
	if (r < 0)
		return r;
	r = fd_new(fd, DEV_FILE, (uint32_t)flags & (O_ACCMODE | O_APPEND | O_CLOEXEC));
	if (r < 0)
		return r;
	struct fdesc *d = fd2desc(fd);
	struct fsreq *req = &d->u.open;
	strcpy(req->u.path[0], rest);
	req->flags = (uint32_t)flags | (want_dir ? O_DIRECTORY : 0);
	r = fs_send(srv, FS_OPEN, (uintptr_t)d, req, PTE_R | PTE_W | PTE_SHARE);
	if (r < 0) {
		close(fd);
		return r;
	}
	uint32_t isdir = S_ISDIR(req->st.mode);
	uint64_t key = req->key;
	memset(&d->u, 0, sizeof d->u);
	d->u.file =
		(struct srvfile){.slot = (uint32_t)r, .isdir = isdir, .server = srv, .key = key};
	d->offset = 0;
	return fd;
}

static ssize_t file_read(int fd, struct fdesc *d, void *buf, size_t n)
{
	(void)fd;
	struct fsreq *req = request();
	size_t done = 0;
	if (!req)
		return -ENOMEM;
	if (d->u.file.isdir)
		return -EISDIR;
	while (done < n) {
		size_t chunk = n - done < FS_DATAMAX ? n - done : FS_DATAMAX;
		req->offset = (uint64_t)d->offset;
		req->len = chunk;
		int r = file_call(d, FS_READ, req);
		if (r < 0)
			return done ? (ssize_t)done : r;
		if ((size_t)r > chunk)
			return -EIO;
		memcpy((char *)buf + done, req->u.data, (size_t)r);
		d->offset += r;
		done += (size_t)r;
		if ((size_t)r < chunk)
			break; /* end of file */
	}
	return (ssize_t)done;
}

static ssize_t file_write(int fd, struct fdesc *d, const void *buf, size_t n)
{
	(void)fd;
	struct fsreq *req = request();
	size_t done = 0;
	if (!req)
		return -ENOMEM;
	while (done < n) {
		size_t chunk = n - done < FS_DATAMAX ? n - done : FS_DATAMAX;
		req->offset = (uint64_t)d->offset;
		req->len = chunk;
		req->flags = d->flags & O_APPEND;
		memcpy(req->u.data, (const char *)buf + done, chunk);
		int r = file_call(d, FS_WRITE, req);
		if (r < 0)
			return done ? (ssize_t)done : r;
		d->offset = (int64_t)req->offset;
		done += (size_t)r;
		if ((size_t)r < chunk)
			break;
	}
	return (ssize_t)done;
}

static int file_stat(int fd, struct fdesc *d, struct stat *st)
{
	(void)fd;
	struct fsreq *req = request();
	if (!req)
		return -ENOMEM;
	int r = file_call(d, FS_FSTAT, req);
	if (r >= 0)
		fsc_fill_stat(&req->st, st);
	return r < 0 ? r : 0;
}

static off_t file_seek(struct fdesc *d, off_t off, int whence)
{
	struct stat st = {0};
	if (whence == SEEK_END) {
		int r = file_stat(0, d, &st);
		if (r < 0)
			return r;
	}
	return seek_offset(d, off, whence, st.st_size);
}

static int file_trunc(struct fdesc *d, off_t len)
{
	struct fsreq *req = request();
	if (!req)
		return -ENOMEM;
	req->len = (uint64_t)len;
	int r = file_call(d, FS_TRUNC, req);
	return r < 0 ? r : 0;
}

/* The offset is the server's position in the directory. */
static int file_readdir(struct fdesc *d, struct dirent *ent)
{
	struct fsreq *req = request();
	if (!req)
		return -ENOMEM;
	req->offset = (uint64_t)d->offset;
	int r = file_call(d, FS_READDIR, req);
	if (r <= 0)
		return r;
	d->offset = (int64_t)req->offset;
	ent->d_ino = req->u.dirent.ino;
	ent->d_type = S_ISDIR(req->u.dirent.mode) ? DT_DIR : DT_REG;
	req->u.dirent.name[FS_NAMEMAX] = '\0';
	strcpy(ent->d_name, req->u.dirent.name);
	return 1;
}

const struct dev dev_file = {
	.id = DEV_FILE,
	.read = file_read,
	.write = file_write,
	.seek = file_seek,
	.stat = file_stat,
	.trunc = file_trunc,
	.readdir = file_readdir,
};
