/* fsd: the file server. Keeps an in-memory file system (mounted at /tmp by
 * the library OS) and answers requests over IPC until power-off. Started
 * by the first process that touches /tmp: "fsd -launch" starts the server
 * and exits once it is up, so the server is nobody's child. Clients are
 * untrusted: every request is checked (see "Trust" in docs/files.md), a
 * slot is reached only with the key made at its open, and a client's
 * death is noticed from page reference counts. Protocol:
 * libos/include/fsproto.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd.h"
#include "process.h"

#define NSLOTS 256
#define USLOTS 0x3a00000000UL /* slot i's description page */
#define UREQ 0x3900000000UL   /* where requests arrive */
#define BLOCK PGSIZE
#define MAX_BYTES (32UL << 20) /* all file data: beyond is ENOSPC */

struct entry;

struct node {
	uint32_t ino, mode, nlink, opens;
	uint64_t size;
	uint8_t **blocks; /* files: BLOCK-byte blocks, NULL = zeros */
	size_t nblocks;
	struct entry *ents; /* directories */
	size_t nents, cap;
	uint64_t next_cookie;
	struct node *parent;
};

/* A directory's entries stay in the order they came, each with a cookie
 * that only grows: readdir's position is a cookie, so removing entries
 * while a reader walks the directory skips none of the others. */
struct entry {
	char *name;
	struct node *node;
	uint64_t cookie;
};

struct slot {
	struct node *node; /* NULL: free */
	uint32_t flags;
	uint64_t key; /* the secret a request on this slot must carry */
};

static struct slot slots[NSLOTS];
static struct node *root;
static uint32_t next_ino = 1;
static uint64_t used_bytes;
static uint64_t stir; /* the key generator's state */

#define SLOTVA(i) (USLOTS + (uintptr_t)(i)*PGSIZE)
#define ISDIR(n) S_ISDIR((n)->mode)

static struct node *node_new(uint32_t mode, struct node *parent)
{
	struct node *n = calloc(1, sizeof *n);
	if (!n)
		return NULL;
	n->ino = next_ino++;
	n->mode = mode;
	n->nlink = 1;
	n->parent = parent;
	return n;
}

static uint64_t rdtime(void)
{
	uint64_t t;
	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

/* Folds the time of each request in: clients do not see our state, nor
 * exactly when we run, so the keys cannot be worked out from outside. */
static void stir_in(uint64_t x)
{
	stir = (stir ^ x ^ rdtime()) * 0x2545f4914f6cdd1dULL + 0x9e3779b97f4a7c15ULL;
}

/* A slot's key: splitmix64's output over the stirred state. Not a
 * cryptographic generator, but a guess costs a request, and 2^64 of them
 * are out of reach. */
static uint64_t new_key(void)
{
	stir_in(0);
	uint64_t z = stir;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Blocks from index first on go back to the pool. */
static void blocks_free(struct node *n, size_t first)
{
	for (size_t i = first; i < n->nblocks; i++) {
		if (n->blocks[i])
			used_bytes -= BLOCK;
		free(n->blocks[i]);
		n->blocks[i] = NULL;
	}
}

/* A node nobody names and nobody has open is gone. */
static void node_release(struct node *n)
{
	if (n->nlink || n->opens)
		return;
	blocks_free(n, 0);
	free(n->blocks);
	free(n->ents);
	free(n);
}

static struct entry *dir_find(struct node *dir, const char *name)
{
	for (size_t i = 0; i < dir->nents; i++)
		if (strcmp(dir->ents[i].name, name) == 0)
			return &dir->ents[i];
	return NULL;
}

static int dir_reserve(struct node *dir)
{
	if (dir->nents < dir->cap)
		return 0;
	size_t cap = dir->cap ? 2 * dir->cap : 8;
	struct entry *e = realloc(dir->ents, cap * sizeof *e);
	if (!e)
		return -ENOSPC;
	dir->ents = e;
	dir->cap = cap;
	return 0;
}

static int dir_add(struct node *dir, const char *name, struct node *n)
{
	char *copy = strdup(name);
	if (!copy || dir_reserve(dir) < 0) {
		free(copy);
		return -ENOSPC;
	}
	dir->ents[dir->nents++] = (struct entry){copy, n, dir->next_cookie++};
	if (ISDIR(n))
		n->parent = dir;
	return 0;
}

static void dir_remove(struct node *dir, struct entry *e)
{
	free(e->name);
	size_t i = (size_t)(e - dir->ents);
	memmove(e, e + 1, (dir->nents - i - 1) * sizeof *e);
	dir->nents--;
}

/*
 * Walks path (names separated by "/"; empty and "." names are skipped).
 * Sets *parent to the directory holding the last name (NULL for the
 * root), *node to what it names (NULL if missing) and name to it.
 * Errors: ENOENT (a missing directory on the way), ENOTDIR, ENAMETOOLONG,
 * EINVAL ("..": clients send normalised paths).
 */
static int lookup(const char *path, struct node **parent, struct node **node, char *name)
{
	*parent = NULL;
	*node = root;
	name[0] = '\0';
	while (*path) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);
		const char *comp = path;
		path += n + (slash ? 1 : 0);
		if (n == 0 || (n == 1 && comp[0] == '.'))
			continue;
		if (n == 2 && comp[0] == '.' && comp[1] == '.')
			return -EINVAL;
		if (n > FS_NAMEMAX)
			return -ENAMETOOLONG;
		if (!*node)
			return -ENOENT;
		if (!ISDIR(*node))
			return -ENOTDIR;
		memcpy(name, comp, n);
		name[n] = '\0';
		*parent = *node;
		struct entry *e = dir_find(*parent, name);
		*node = e ? e->node : NULL;
	}
	return 0;
}

static void fill_stat(const struct node *n, struct fs_stat *st)
{
	st->size = ISDIR(n) ? n->nents : n->size;
	st->mode = n->mode;
	st->ino = n->ino;
	st->nlink = ISDIR(n) ? 2 : n->nlink;
}

/* Frees the slots whose description only we still map. */
static void reclaim(void)
{
	for (int i = 0; i < NSLOTS; i++) {
		if (!slots[i].node || pageref(SLOTVA(i)) > 1)
			continue;
		sys_page_unmap(0, SLOTVA(i));
		slots[i].node->opens--;
		node_release(slots[i].node);
		slots[i].node = NULL;
	}
}

/* Is the page that came with this open in a slot already? Two slots on
 * one page would keep each other's count above 1 for ever. */
static bool page_in_a_slot(void)
{
	uint64_t pa = PTE_PA(va_pte(UREQ));
	for (int i = 0; i < NSLOTS; i++)
		if (slots[i].node && PTE_PA(va_pte(SLOTVA(i))) == pa)
			return true;
	return false;
}

static void truncate_node(struct node *n, uint64_t len)
{
	size_t keep = (len + BLOCK - 1) / BLOCK;
	if (len < n->size && len % BLOCK && keep <= n->nblocks && n->blocks[keep - 1])
		memset(n->blocks[keep - 1] + len % BLOCK, 0, BLOCK - len % BLOCK);
	if (keep < n->nblocks)
		blocks_free(n, keep);
	n->size = len;
}

/* The request, copied out of the client's page (which it may change). */
struct request {
	uint32_t op, slot, flags;
	uint64_t offset, len, key;
	char path[2][FS_PATHMAX];
};

static int copy_path(char *dst, const volatile char *src)
{
	for (size_t i = 0; i < FS_PATHMAX; i++)
		if ((dst[i] = src[i]) == '\0')
			return 0;
	return -ENAMETOOLONG;
}

static int do_open(struct request *q, struct fsreq *req)
{
	struct node *parent, *node;
	char name[FS_NAMEMAX + 1];
	int r = lookup(q->path[0], &parent, &node, name);
	uint32_t acc = q->flags & O_ACCMODE;
	if (r < 0)
		return r;
	int slot = 0;
	while (slot < NSLOTS && slots[slot].node)
		slot++;
	if (slot == NSLOTS)
		return -ENFILE;
	if (acc > O_RDWR || page_in_a_slot())
		return -EINVAL; /* before anything is made */
	if (!node) {
		if (!(q->flags & O_CREAT) || (q->flags & O_DIRECTORY))
			return -ENOENT;
		node = node_new(S_IFREG | 0644, NULL);
		if (!node || dir_add(parent, name, node) < 0) {
			free(node);
			return -ENOSPC;
		}
	} else if ((q->flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
		return -EEXIST;
	}
	if ((q->flags & O_DIRECTORY) && !ISDIR(node))
		return -ENOTDIR;
	if (ISDIR(node) && acc != O_RDONLY)
		return -EISDIR;
	if ((q->flags & O_TRUNC) && !ISDIR(node) && acc != O_RDONLY)
		truncate_node(node, 0);
	if (sys_page_map(0, UREQ, 0, SLOTVA(slot), PTE_R | PTE_W) < 0)
		return -ENFILE;
	slots[slot] = (struct slot){node, q->flags, new_key()};
	node->opens++;
	fill_stat(node, &req->st);
	req->key = slots[slot].key;
	return slot;
}

/* The open file a request names, if the request carries its key (only
 * holders of the description know it: a slot number alone reaches
 * nothing) and it allows access acc (O_RDONLY: reading, O_WRONLY:
 * writing). */
static struct node *open_file(struct request *q, uint32_t acc, int *err)
{
	if (q->slot >= NSLOTS || !slots[q->slot].node || slots[q->slot].key != q->key) {
		*err = -EBADF;
		return NULL;
	}
	struct node *n = slots[q->slot].node;
	uint32_t mode = slots[q->slot].flags & O_ACCMODE;
	if ((acc == O_RDONLY && mode == O_WRONLY) || (acc == O_WRONLY && mode == O_RDONLY)) {
		*err = acc == O_WRONLY && ISDIR(n) ? -EISDIR : -EBADF;
		return NULL;
	}
	if (ISDIR(n) && q->op != FS_FSTAT && q->op != FS_READDIR) {
		*err = -EISDIR;
		return NULL;
	}
	return n;
}

static int do_read(struct request *q, struct fsreq *req)
{
	int r;
	struct node *n = open_file(q, O_RDONLY, &r);
	if (!n)
		return r;
	if (q->offset >= n->size)
		return 0;
	uint64_t len = q->len < FS_DATAMAX ? q->len : FS_DATAMAX;
	if (len > n->size - q->offset)
		len = n->size - q->offset;
	for (uint64_t done = 0; done < len;) {
		uint64_t pos = q->offset + done, in = pos % BLOCK;
		uint64_t k = BLOCK - in < len - done ? BLOCK - in : len - done;
		/* a file grown by truncate has no blocks there at all */
		uint8_t *b = pos / BLOCK < n->nblocks ? n->blocks[pos / BLOCK] : NULL;
		if (b)
			memcpy(req->u.data + done, b + in, k);
		else
			memset(req->u.data + done, 0, k);
		done += k;
	}
	return (int)len;
}

/* Makes sure block i exists; false when the space is used up. */
static bool block_get(struct node *n, size_t i)
{
	if (i >= n->nblocks) {
		size_t want = n->nblocks ? n->nblocks : 4;
		while (want <= i)
			want *= 2;
		uint8_t **b = realloc(n->blocks, want * sizeof *b);
		if (!b)
			return false;
		memset(b + n->nblocks, 0, (want - n->nblocks) * sizeof *b);
		n->blocks = b;
		n->nblocks = want;
	}
	if (!n->blocks[i]) {
		if (used_bytes + BLOCK > MAX_BYTES || !(n->blocks[i] = calloc(1, BLOCK)))
			return false;
		used_bytes += BLOCK;
	}
	return true;
}

static int do_write(struct request *q, struct fsreq *req)
{
	int r;
	struct node *n = open_file(q, O_WRONLY, &r);
	if (!n)
		return r;
	uint64_t off = (q->flags & O_APPEND) ? n->size : q->offset;
	uint64_t len = q->len < FS_DATAMAX ? q->len : FS_DATAMAX, done = 0;
	if (off > MAX_BYTES || len > MAX_BYTES - off)
		return -EFBIG;
	while (done < len) {
		uint64_t pos = off + done, in = pos % BLOCK;
		uint64_t k = BLOCK - in < len - done ? BLOCK - in : len - done;
		if (!block_get(n, pos / BLOCK))
			break;
		memcpy(n->blocks[pos / BLOCK] + in, req->u.data + done, k);
		done += k;
	}
	if (done == 0 && len > 0)
		return -ENOSPC;
	if (off + done > n->size)
		n->size = off + done;
	req->offset = off + done;
	return (int)done;
}

static int do_trunc(struct request *q)
{
	int r;
	struct node *n = open_file(q, O_WRONLY, &r);
	if (!n)
		return r == -EBADF && q->slot < NSLOTS && slots[q->slot].node &&
				       slots[q->slot].key == q->key
			       ? -EINVAL
			       : r;
	if (q->len > MAX_BYTES)
		return -EFBIG;
	truncate_node(n, q->len);
	return 0;
}

static int do_readdir(struct request *q, struct fsreq *req)
{
	int r;
	struct node *n = open_file(q, O_RDONLY, &r);
	if (!n)
		return r;
	if (!ISDIR(n))
		return -ENOTDIR;
	size_t i = 0;
	while (i < n->nents && n->ents[i].cookie < q->offset)
		i++;
	if (i == n->nents)
		return 0;
	struct entry *e = &n->ents[i];
	req->offset = e->cookie + 1;
	req->u.dirent.ino = e->node->ino;
	req->u.dirent.mode = e->node->mode;
	strcpy(req->u.dirent.name, e->name);
	return 1;
}

static int do_stat(struct request *q, struct fsreq *req)
{
	struct node *parent, *node;
	char name[FS_NAMEMAX + 1];
	int r = q->op == FS_FSTAT ? 0 : lookup(q->path[0], &parent, &node, name);
	if (q->op == FS_FSTAT && !(node = open_file(q, 3, &r)))
		return r;
	if (r < 0)
		return r;
	if (!node)
		return -ENOENT;
	fill_stat(node, &req->st);
	return 0;
}

static int do_mkdir(struct request *q)
{
	struct node *parent, *node;
	char name[FS_NAMEMAX + 1];
	int r = lookup(q->path[0], &parent, &node, name);
	if (r < 0)
		return r;
	if (node)
		return -EEXIST;
	node = node_new(S_IFDIR | 0755, parent);
	if (!node || dir_add(parent, name, node) < 0) {
		free(node);
		return -ENOSPC;
	}
	return 0;
}

/* unlink (dir false) and rmdir (dir true). */
static int do_remove(struct request *q, bool dir)
{
	struct node *parent, *node;
	char name[FS_NAMEMAX + 1];
	int r = lookup(q->path[0], &parent, &node, name);
	if (r < 0)
		return r;
	if (!node)
		return -ENOENT;
	if (!parent)
		return dir ? -EBUSY : -EISDIR;
	if (ISDIR(node) != dir)
		return dir ? -ENOTDIR : -EISDIR;
	if (dir && node->nents)
		return -ENOTEMPTY;
	dir_remove(parent, dir_find(parent, name));
	node->nlink = 0;
	node_release(node);
	return 0;
}

/* Is n the directory d or inside it? */
static bool inside(struct node *n, struct node *d)
{
	for (; n; n = n->parent == n ? NULL : n->parent)
		if (n == d)
			return true;
	return false;
}

static int do_rename(struct request *q)
{
	struct node *pa, *na, *pb, *nb;
	char a[FS_NAMEMAX + 1], b[FS_NAMEMAX + 1];
	int r = lookup(q->path[0], &pa, &na, a);
	if (r == 0)
		r = lookup(q->path[1], &pb, &nb, b);
	if (r < 0)
		return r;
	if (!na)
		return -ENOENT;
	if (!pa || !pb)
		return -EBUSY; /* the root */
	if (na == nb)
		return 0;
	if (ISDIR(na) && inside(pb, na))
		return -EINVAL;
	if (nb && ISDIR(na) && !ISDIR(nb))
		return -ENOTDIR;
	if (nb && !ISDIR(na) && ISDIR(nb))
		return -EISDIR;
	if (nb && ISDIR(nb) && nb->nents)
		return -ENOTEMPTY;
	char *copy = strdup(b);
	if (!copy || (!nb && dir_reserve(pb) < 0)) {
		free(copy);
		return -ENOSPC;
	}
	if (nb) {
		struct entry *e = dir_find(pb, b);
		free(e->name);
		e->name = copy;
		e->node = na;
		nb->nlink = 0;
		node_release(nb);
	} else {
		pb->ents[pb->nents++] = (struct entry){copy, na, pb->next_cookie++};
	}
	dir_remove(pa, dir_find(pa, a)); /* after: b's entry may have moved in pa == pb */
	if (ISDIR(na))
		na->parent = pb;
	return 0;
}

static int handle(uint32_t op, struct fsreq *req)
{
	struct request q = {.op = op,
			    .slot = req->slot,
			    .flags = req->flags,
			    .offset = req->offset,
			    .len = req->len,
			    .key = req->key};
	bool paths = op == FS_OPEN || op == FS_STAT || op == FS_UNLINK || op == FS_MKDIR ||
		     op == FS_RMDIR || op == FS_RENAME;
	if (paths && (copy_path(q.path[0], req->u.path[0]) < 0 ||
		      (op == FS_RENAME && copy_path(q.path[1], req->u.path[1]) < 0)))
		return -ENAMETOOLONG;
	switch (op) {
	case FS_OPEN:
		return do_open(&q, req);
	case FS_READ:
		return do_read(&q, req);
	case FS_WRITE:
		return do_write(&q, req);
	case FS_STAT:
	case FS_FSTAT:
		return do_stat(&q, req);
	case FS_TRUNC:
		return do_trunc(&q);
	case FS_UNLINK:
		return do_remove(&q, false);
	case FS_MKDIR:
		return do_mkdir(&q);
	case FS_RMDIR:
		return do_remove(&q, true);
	case FS_RENAME:
		return do_rename(&q);
	case FS_READDIR:
		return do_readdir(&q, req);
	default:
		return -ENOSYS;
	}
}

static void serve(void)
{
	for (;;) {
		envid_t from;
		uint64_t perm;
		uint64_t op = ipc_recv(&from, (void *)UREQ, &perm);
		if (!perm)
			continue; /* no page: nowhere to answer */
		if ((perm & (PTE_R | PTE_W)) != (PTE_R | PTE_W)) {
			sys_page_unmap(0, UREQ);
			continue;
		}
		stir_in((uint64_t)from);
		reclaim();
		struct fsreq *req =
			(struct fsreq *)(UREQ + (op == FS_OPEN ? FS_OPEN_REQ_OFFSET : 0));
		int ret = op > 0 && op < FS_NOPS ? handle((uint32_t)op, req) : -ENOSYS;
		req->ret = ret;
		__atomic_store_n(&req->done, 1, __ATOMIC_RELEASE);
		sys_page_unmap(0, UREQ); /* an opened file's page stays in its slot */
		sys_env_wake(from);
	}
}

/* Becomes the server unless a live one exists. */
static bool publish(void)
{
	envid_t me = getpid();
	for (;;) {
		envid_t v = SYSPAGE->fsd;
		if (v > 0 && v != me && env_is_alive(v))
			return false;
		if (__atomic_compare_exchange_n(&SYSPAGE->fsd, &v, me, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return true;
	}
}

/* "fsd -launch": starts the server, waits until it is up, exits 0. */
static int launch(void)
{
	char *argv[] = {"fsd", NULL};
	pid_t srv = spawn("/bin/fsd", argv);
	if (srv < 0)
		return 1;
	while (SYSPAGE->fsd != srv) {
		if (!env_is_alive(srv))
			return 1;
		sys_yield();
	}
	return 0;
}

int main(int argc, char **argv)
{
	fd_close_all(); /* a client's pipes must not stay open here */
	if (!(va_pte(USYSPAGE) & PTE_V))
		return 1;
	if (argc > 1 && strcmp(argv[1], "-launch") == 0)
		return launch();
	if (console_open(0) == 0) { /* for panics */
		dup2(0, 1);
		dup2(0, 2);
	}
	sys_env_set_daemon(0, 1);
	stir_in((uint64_t)getpid());
	root = node_new(S_IFDIR | 0755, NULL);
	if (!root || !publish())
		return 1;
	root->parent = root;
	serve();
	return 0;
}
