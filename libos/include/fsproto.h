/* The file server's protocol (apps/fsd.c serves /tmp; libos/fsclient.c
 * is the client). See docs/files.md. */
#ifndef LIBOS_FSPROTO_H
#define LIBOS_FSPROTO_H

#include <stdint.h>

/*
 * A request is an IPC to the server whose value is the operation and whose
 * page holds a struct fsreq, mapped read-write:
 *  - FS_OPEN sends the new descriptor's own page (PTE_SHARE), with the
 *    request at FS_OPEN_REQ_OFFSET in it. The server keeps that page in a
 *    slot for as long as the file is open: when the page's reference count
 *    says only the server maps it, every client has closed it (or died)
 *    and the slot is freed.
 *  - every other operation sends the client's request page at offset 0.
 * The server writes the reply into the same page, sets done and wakes the
 * client with env_wake: it never waits for a client. ret is >= 0 or a
 * negative errno. Paths are relative to the server's root (/tmp), without
 * a leading "/"; the server checks everything (clients are untrusted).
 * A request on an open file names its slot and the slot's key, a secret
 * the server made at open and only holders of the description know: a
 * client cannot reach a slot it was not given by guessing its number.
 */
enum fs_op {
	FS_OPEN = 1, /* path[0], flags (O_*), mode -> ret = slot, st */
	FS_READ,     /* slot, offset, len -> ret = bytes, data */
	FS_WRITE,    /* slot, offset, len, data -> ret = bytes, offset = end of write */
	FS_STAT,     /* path[0] -> st */
	FS_FSTAT,    /* slot -> st */
	FS_TRUNC,    /* slot, len */
	FS_UNLINK,   /* path[0] */
	FS_MKDIR,    /* path[0] */
	FS_RMDIR,    /* path[0] */
	FS_RENAME,   /* path[0] -> path[1] */
	FS_READDIR,  /* slot, offset -> ret 1, dirent, next offset; or 0 at the end */
	FS_NOPS
};

#define FS_PATHMAX 1024
#define FS_NAMEMAX 255
#define FS_DATAMAX 3072
#define FS_OPEN_REQ_OFFSET 64

/* File kinds in fs_stat.mode (the S_IF* values). */
struct fs_stat {
	uint64_t size;
	uint32_t mode;
	uint32_t ino;
	uint32_t nlink;
	uint32_t pad;
};

struct fs_dirent {
	uint32_t ino;
	uint32_t mode;
	char name[FS_NAMEMAX + 1];
};

struct fsreq {
	volatile uint32_t done; /* set by the server when the reply is there */
	int32_t ret;
	uint32_t slot;
	uint32_t flags;
	uint64_t offset;
	uint64_t len;
	uint64_t key; /* the slot's key (FS_OPEN's reply: the new slot's) */
	struct fs_stat st;
	union {
		char path[2][FS_PATHMAX];
		uint8_t data[FS_DATAMAX];
		struct fs_dirent dirent;
	} u;
};
_Static_assert(sizeof(struct fsreq) + FS_OPEN_REQ_OFFSET <= 4096, "request fits a page");

#endif
