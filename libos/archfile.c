/* The boot archive as the read-only tree at "/": open, read, seek, stat
 * and directory listing of its entries. "/tmp" (the file server) shows in
 * the root's listing. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "archive.h"
#include "fd.h"

#define ROOT_DONE INT64_MAX /* root listing: "tmp" was given too */

static const char *strip(const char *name)
{
	while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
		name += name[0] == '/' ? 1 : 2;
	return name;
}

/* An inode number: the entry's place in the archive. */
static uint32_t entry_ino(const struct archive_entry *e)
{
	return (uint32_t)(((uintptr_t)e->name - 110 - UINITRD) / 4 + 2);
}

/* Is there an entry under dir/ (a directory the archive does not list)? */
static bool has_children(const char *dir)
{
	size_t n = strlen(dir), pos = 0;
	struct archive_entry e;
	while (archive_next(&pos, &e)) {
		const char *name = strip(e.name);
		if (strncmp(name, dir, n) == 0 && name[n] == '/')
			return true;
	}
	return false;
}

/* Finds name ("" is the root): 0 (*e filled in), -ENOENT, or -ENOTDIR
 * when a leading component is a file. */
static int find(const char *name, struct archive_entry *e)
{
	if (!*name) {
		*e = (struct archive_entry){.name = "", .mode = S_IFDIR | 0755};
		return 0;
	}
	char prefix[FS_PATHMAX];
	for (const char *s = strchr(name, '/'); s; s = strchr(s + 1, '/')) {
		memcpy(prefix, name, (size_t)(s - name));
		prefix[s - name] = '\0';
		if (archive_lookup(prefix, e) == 0 && !S_ISDIR(e->mode))
			return -ENOTDIR;
	}
	if (archive_lookup(name, e) == 0)
		return 0;
	if (has_children(name)) {
		*e = (struct archive_entry){.name = "", .mode = S_IFDIR | 0755};
		return 0;
	}
	return -ENOENT;
}

static void fill_stat(const struct archive_entry *e, struct stat *st)
{
	st->st_mode = (mode_t)e->mode;
	st->st_size = S_ISDIR(e->mode) ? 0 : (off_t)e->size;
	st->st_nlink = S_ISDIR(e->mode) ? 2 : 1;
	st->st_ino = *e->name ? entry_ino(e) : 1;
	st->st_blksize = PGSIZE;
	st->st_blocks = (st->st_size + 511) / 512;
}

int archive_stat(const char *abs, struct stat *st)
{
	struct archive_entry e;
	int r = find(strip(abs), &e);
	if (r == 0)
		fill_stat(&e, st);
	return r;
}

int archive_open(const char *abs, int flags, bool want_dir, struct fdesc *d)
{
	struct archive_entry e;
	const char *name = strip(abs);
	int r = find(name, &e);
	bool dir = r == 0 && S_ISDIR(e.mode);
	if (r == -ENOENT && (flags & O_CREAT))
		return -EROFS;
	if (r < 0)
		return r;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if (want_dir && !dir)
		return -ENOTDIR;
	if (dir && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return -EROFS;
	d->u.arch.data = e.data;
	d->u.arch.size = dir ? 0 : e.size;
	d->u.arch.mode = e.mode;
	d->u.arch.ino = *name ? entry_ino(&e) : 1;
	strcpy(d->u.arch.path, name);
	return 0;
}

static ssize_t arch_read(int fd, struct fdesc *d, void *buf, size_t n)
{
	(void)fd;
	if (S_ISDIR(d->u.arch.mode))
		return -EISDIR;
	uint64_t off = (uint64_t)d->offset;
	if (off >= d->u.arch.size)
		return 0;
	if (n > d->u.arch.size - off)
		n = d->u.arch.size - off;
	memcpy(buf, d->u.arch.data + off, n);
	d->offset += (int64_t)n;
	return (ssize_t)n;
}

static off_t arch_seek(struct fdesc *d, off_t off, int whence)
{
	return seek_offset(d, off, whence, (off_t)d->u.arch.size);
}

static int arch_stat(int fd, struct fdesc *d, struct stat *st)
{
	(void)fd;
	st->st_mode = (mode_t)d->u.arch.mode;
	st->st_size = (off_t)d->u.arch.size;
	st->st_nlink = S_ISDIR(d->u.arch.mode) ? 2 : 1;
	st->st_ino = d->u.arch.ino;
	st->st_blksize = PGSIZE;
	st->st_blocks = (st->st_size + 511) / 512;
	return 0;
}

/* The offset is the archive position of the next entry to look at. */
static int arch_readdir(struct fdesc *d, struct dirent *ent)
{
	if (!S_ISDIR(d->u.arch.mode))
		return -ENOTDIR;
	const char *dir = d->u.arch.path;
	size_t n = strlen(dir), pos = (size_t)d->offset;
	struct archive_entry e;
	if (d->offset == ROOT_DONE)
		return 0;
	while (archive_next(&pos, &e)) {
		d->offset = (int64_t)pos;
		const char *name = strip(e.name), *child = name + n + (n ? 1 : 0);
		if (n && (strncmp(name, dir, n) != 0 || name[n] != '/'))
			continue;
		if (!*child || strchr(child, '/') || strlen(child) > FS_NAMEMAX)
			continue;
		ent->d_ino = entry_ino(&e);
		ent->d_type = S_ISDIR(e.mode) ? DT_DIR : DT_REG;
		strcpy(ent->d_name, child);
		return 1;
	}
	d->offset = ROOT_DONE;
	if (n == 0 && archive_lookup("tmp", &e) < 0) {
		*ent = (struct dirent){.d_ino = 1, .d_type = DT_DIR, .d_name = "tmp"};
		return 1;
	}
	return 0;
}

const struct dev dev_archive = {
	.id = DEV_ARCHIVE,
	.read = arch_read,
	.seek = arch_seek,
	.stat = arch_stat,
	.readdir = arch_readdir,
};
