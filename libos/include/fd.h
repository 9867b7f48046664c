/* File descriptors inside the library OS: the memory region that holds
 * them, the open file description pages, and the device interface behind
 * read, write and friends. Programs use the POSIX calls; this header is
 * for the library OS and its servers (see docs/files.md). */
#ifndef LIBOS_FD_H
#define LIBOS_FD_H

#include <stddef.h>
#include <sys/dirent.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "fsproto.h"
#include "libos.h"

#define MAXFD 64 /* descriptors per process (OPEN_MAX) */

/*
 * The descriptor region, kept whole across exec:
 *
 *   UFDREGION_END -> +------------------------------+
 *                    | (free)                       |
 *   UFSREQ --------> | file server request page     |  private, made on first use
 *   UPROCPAGE -----> | struct fdproc: cwd, cloexec  |  private: copied by fork/spawn
 *   USYSPAGE ------> | struct syspage               |  PTE_SHARE, one for all processes
 *   UFDTABLE ------> | fd i's description: 1 page   |  PTE_SHARE
 *                    |   at UFDTABLE + i * PGSIZE   |
 *   UFDDATA -------> | fd i's data window (a pipe's |  PTE_SHARE
 *                    |   buffer) at fd2data(i)      |
 *   UFDREGION -----> +------------------------------+  0x3f_7e00_0000
 *
 * The data windows lie below the descriptions so that fork, which maps
 * pages in address order, always maps a pipe's buffer before the
 * description that uses it (see pipe.c: the counts stay conservative).
 */
#define UFDREGION 0x3f7e000000UL /* in the stack's gigabyte: one table fewer per process */
#define UFDDATA UFDREGION
#define FDDATA_SIZE (16 * PGSIZE)
#define UFDTABLE (UFDDATA + MAXFD * FDDATA_SIZE)
#define USYSPAGE (UFDTABLE + MAXFD * PGSIZE)
#define UPROCPAGE (USYSPAGE + PGSIZE)
#define UFSREQ (UPROCPAGE + PGSIZE)
#define UFDREGION_END (UFDREGION + 0x1000000UL)

#define fd2desc(fd) ((struct fdesc *)(UFDTABLE + (uintptr_t)(fd)*PGSIZE))
#define fd2data(fd) (UFDDATA + (uintptr_t)(fd)*FDDATA_SIZE)

/* Kinds of open file description. */
enum {
	DEV_CONSOLE = 'c',
	DEV_PIPE = 'p',
	DEV_ARCHIVE = 'a', /* a file or directory of the boot archive */
	DEV_FILE = 'f',	   /* a file or directory of the file server */
	DEV_NULL = 'n',	   /* /dev/null */
};

/* The console's line discipline, shared by every process that has it
 * open (console.c). Bytes of finished lines wait in ring; lens holds the
 * length of each waiting line (0: an end-of-file from Ctrl-D). */
#define CONS_LINE 1024
#define CONS_RING 2048
#define CONS_LINES 64
struct console {
	envid_t lock; /* owner, see elock_acquire */
	uint32_t linelen;
	uint32_t head, tail;   /* ring positions, free running */
	uint32_t lhead, ltail; /* lens positions, free running */
	uint16_t lens[CONS_LINES];
	char line[CONS_LINE]; /* the line being edited */
	char ring[CONS_RING];
};

/* An archive entry opened: the data stays in the archive view. */
struct archfile {
	const uint8_t *data;
	uint64_t size;
	uint32_t mode;
	uint32_t ino;
	char path[FS_PATHMAX]; /* normalised, without the leading "/" */
};

/* A file server file: the server's slot for this description. */
struct srvfile {
	uint32_t slot;
	uint32_t isdir;
	envid_t server; /* the server that opened it; another one knows nothing of it */
	uint64_t key;	/* the slot's key: proves to the server that we hold the file */
};

/*
 * An open file description: one page, mapped at UFDTABLE + fd * PGSIZE in
 * every process and for every fd that refers to it (fork, dup and spawn
 * map the same page), so its offset is shared as POSIX says.
 */
struct fdesc {
	uint32_t dev;	/* DEV_* */
	uint32_t flags; /* O_ACCMODE, O_APPEND as given to open */
	int64_t offset;
	uint64_t pad[6];
	union {
		struct console cons;
		struct archfile arch;
		struct srvfile file;
		struct fsreq open; /* the open request itself, sent to the server */
	} u;
};
_Static_assert(offsetof(struct fdesc, u) == FS_OPEN_REQ_OFFSET, "open request offset");
_Static_assert(sizeof(struct fdesc) <= PGSIZE, "description fits a page");

/* What each kind of description does. A NULL entry means the operation
 * does not apply (EBADF/ESPIPE/EINVAL as POSIX says). Results are >= 0 or
 * a negative errno. */
struct dev {
	int id;
	ssize_t (*read)(int fd, struct fdesc *d, void *buf, size_t n);
	ssize_t (*write)(int fd, struct fdesc *d, const void *buf, size_t n);
	off_t (*seek)(struct fdesc *d, off_t off, int whence);
	int (*stat)(int fd, struct fdesc *d, struct stat *st);
	int (*trunc)(struct fdesc *d, off_t len);
	/* Next directory entry: 1 (stored in *ent), 0 at the end. */
	int (*readdir)(struct fdesc *d, struct dirent *ent);
	/* After a close has unmapped the description and its data window. */
	void (*closed)(void);
};
extern const struct dev dev_console, dev_pipe, dev_archive, dev_file, dev_null;

/* The system page: one per boot, made by the first process and shared
 * with every descendant (fork, spawn and exec keep it). */
struct syspage {
	envid_t fsd; /* file server: its id; -id of the env starting it; 0 none */
	uint32_t pad;
	/* Envs sleeping on a pipe (a bit per env slot): all are woken when a
	 * pipe end is closed or a process dies without closing its own. */
	uint64_t sleepers[NENV / 64];
};
#define SYSPAGE ((volatile struct syspage *)USYSPAGE)

/* Sets (asleep) or clears env me's bit in the system page's sleepers.
 * Only a pipe sleeper calls it, and a process with a pipe has the system
 * page: fd_init maps it at start-up (or ends the process), and it stays. */
static inline void sleepers_mark(envid_t me, bool asleep)
{
	unsigned i = ENVX(me);
	volatile uint64_t *word = &SYSPAGE->sleepers[i / 64];
	uint64_t bit = 1ULL << (i % 64);
	if (asleep)
		__atomic_fetch_or(word, bit, __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST);
}

/* Per-process state that fork copies, spawn passes on and exec keeps. */
struct fdproc {
	uint8_t cloexec[MAXFD];
	char cwd[FS_PATHMAX];
	/* The file server this process trusts: pinned at its (or an
	 * ancestor's) first use while it lives, since the system page and
	 * descriptions are shared and anyone could write another id there. */
	envid_t fsd;
};
#define FDPROC ((struct fdproc *)UPROCPAGE)

/* fd's description, or NULL if fd is not open. Inline: every read and
 * write starts here. */
static inline struct fdesc *fd_lookup(int fd)
{
	if (fd < 0 || fd >= MAXFD || !(va_pte((uintptr_t)fd2desc(fd)) & PTE_V))
		return NULL;
	return fd2desc(fd);
}

/* fd.c */
void fd_init(void);				  /* start-up */
const struct dev *fd_dev(const struct fdesc *d);  /* NULL for a bad kind */
int fd_alloc(int min);				  /* lowest free fd >= min, or -EMFILE */
int fd_new(int fd, uint32_t dev, uint32_t flags); /* maps a zeroed description page */
void fd_close_all(void);			  /* at exit */
void fd_close_on_exec(void);			  /* exec, just before the switch */
int fd_share_with_child(envid_t child);		  /* spawn */
off_t seek_offset(struct fdesc *d, off_t off, int whence, off_t size); /* lseek */
int set_errno(int r);			    /* r < 0: errno = -r, returns -1 */
bool env_is_alive(envid_t id);		    /* live (not free, not a zombie) */
bool elock_acquire(volatile envid_t *lock); /* false if this env holds it already */
void elock_release(volatile envid_t *lock);
void pipe_wake_all(void); /* wakes every pipe sleeper */

/* console.c */
int console_open(int fd); /* a new console description at fd */

/* path.c: an absolute, normalised path ("/a/b") from path and the cwd;
 * *is_dir_hint is set when path ends in "/" (it must be a directory).
 * path_in_tmp: is abs in /tmp; rest is then "" or "a/b". */
int path_resolve(const char *path, char *out, bool *is_dir_hint);
bool path_in_tmp(const char *abs, const char **rest);

/* archfile.c: the boot archive's entries (abs: an absolute path) */
int archive_open(const char *abs, int flags, bool want_dir, struct fdesc *d);
int archive_stat(const char *abs, struct stat *st);

/* fsclient.c: the file server's files (rest: a path inside /tmp) */
int fsc_open(int fd, const char *rest, int flags, bool want_dir);
int fsc_stat(const char *rest, struct stat *st);
int fsc_path_op(uint32_t op, const char *rest, const char *rest2);

#endif
