/* The POSIX calls on path names: open, stat, unlink, rename, mkdir,
 * rmdir, access, truncate. /tmp goes to the file server, /dev/null is
 * here, the rest of the tree is the read-only boot archive. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#include "fd.h"

#define DEV_NULL_PATH "/dev/null"

/* Reads nothing, swallows everything. */
static ssize_t null_read(int fd, struct fdesc *d, void *buf, size_t n)
{
	(void)fd, (void)d, (void)buf, (void)n;
	return 0;
}

static ssize_t null_write(int fd, struct fdesc *d, const void *buf, size_t n)
{
	(void)fd, (void)d, (void)buf;
	return (ssize_t)n;
}

static int null_stat(int fd, struct fdesc *d, struct stat *st)
{
	(void)fd, (void)d;
	st->st_mode = S_IFCHR | 0666;
	st->st_nlink = 1;
	return 0;
}

const struct dev dev_null = {
	.id = DEV_NULL,
	.read = null_read,
	.write = null_write,
	.stat = null_stat,
};

/* path as an absolute one; rest is set if it lies in /tmp. */
static int resolve(const char *path, char *abs, const char **rest, bool *dir_hint)
{
	bool hint;
	int r = path_resolve(path, abs, dir_hint ? dir_hint : &hint);
	if (r == 0 && !path_in_tmp(abs, rest))
		*rest = NULL;
	return r;
}

int open(const char *path, int flags, ...)
{
	char abs[FS_PATHMAX];
	const char *rest;
	bool dir_hint;
	int r = resolve(path, abs, &rest, &dir_hint);
	if (r < 0)
		return set_errno(r);
	bool want_dir = dir_hint || (flags & O_DIRECTORY);
	if (dir_hint && (flags & O_CREAT))
		return set_errno(-EISDIR);
	int fd = fd_alloc(0);
	if (fd < 0)
		return set_errno(fd);
	if (rest)
		return set_errno(fsc_open(fd, rest, flags, want_dir));
	if (strcmp(abs, DEV_NULL_PATH) == 0)
		return set_errno(fd_new(fd, DEV_NULL, (uint32_t)flags & (O_ACCMODE | O_CLOEXEC)));
	r = fd_new(fd, DEV_ARCHIVE, (uint32_t)flags & (O_ACCMODE | O_CLOEXEC));
	if (r >= 0)
		r = archive_open(abs, flags, want_dir, fd2desc(fd));
	if (r < 0) {
		close(fd);
		return set_errno(r);
	}
	return fd;
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int stat(const char *path, struct stat *st)
{
	char abs[FS_PATHMAX];
	const char *rest;
	bool dir_hint;
	int r = resolve(path, abs, &rest, &dir_hint);
	if (r < 0)
		return set_errno(r);
	memset(st, 0, sizeof *st);
	if (strcmp(abs, DEV_NULL_PATH) == 0)
		r = dev_null.stat(-1, NULL, st);
	else
		r = rest ? fsc_stat(rest, st) : archive_stat(abs, st);
	if (r == 0 && dir_hint && !S_ISDIR(st->st_mode))
		r = -ENOTDIR;
	return set_errno(r);
}

int lstat(const char *path, struct stat *st)
{
	return stat(path, st); /* no symbolic links */
}

/* What a change to the read-only archive gets: the lookup's error, or
 * EROFS if the path exists. */
static int read_only(const char *abs)
{
	struct stat st;
	int r = archive_stat(abs, &st);
	return r < 0 ? r : -EROFS;
}

int unlink(const char *path)
{
	char abs[FS_PATHMAX];
	const char *rest;
	struct stat st;
	int r = resolve(path, abs, &rest, NULL);
	if (r == 0 && rest)
		r = fsc_path_op(FS_UNLINK, rest, NULL);
	else if (r == 0)
		r = archive_stat(abs, &st) == 0 && S_ISDIR(st.st_mode) ? -EISDIR : read_only(abs);
	return set_errno(r);
}

int mkdir(const char *path, mode_t mode)
{
	(void)mode;
	char abs[FS_PATHMAX];
	const char *rest;
	struct stat st;
	int r = resolve(path, abs, &rest, NULL);
	if (r == 0 && rest)
		r = fsc_path_op(FS_MKDIR, rest, NULL);
	else if (r == 0)
		r = archive_stat(abs, &st) == 0 ? -EEXIST : -EROFS;
	return set_errno(r);
}

int rmdir(const char *path)
{
	char abs[FS_PATHMAX];
	const char *rest;
	struct stat st;
	int r = resolve(path, abs, &rest, NULL);
	if (r == 0 && rest)
		r = fsc_path_op(FS_RMDIR, rest, NULL);
	else if (r == 0)
		r = archive_stat(abs, &st) == 0 && !S_ISDIR(st.st_mode) ? -ENOTDIR : read_only(abs);
	return set_errno(r);
}

int rename(const char *from, const char *to)
{
	char abs[FS_PATHMAX], abs2[FS_PATHMAX];
	const char *rest, *rest2;
	int r = resolve(from, abs, &rest, NULL);
	if (r == 0)
		r = resolve(to, abs2, &rest2, NULL);
	if (r == 0 && rest && rest2)
		r = fsc_path_op(FS_RENAME, rest, rest2);
	else if (r == 0 && (rest || rest2))
		r = rest ? -EXDEV : read_only(abs) == -ENOENT ? -ENOENT : -EXDEV;
	else if (r == 0)
		r = read_only(abs);
	return set_errno(r);
}

int access(const char *path, int mode)
{
	char abs[FS_PATHMAX];
	const char *rest;
	struct stat st;
	int r = resolve(path, abs, &rest, NULL);
	if (r < 0)
		return set_errno(r);
	if (stat(abs, &st) < 0)
		return -1;
	if ((mode & W_OK) && !rest)
		return set_errno(-EROFS);
	if ((mode & X_OK) && !(st.st_mode & 0111))
		return set_errno(-EACCES);
	return 0;
}

int truncate(const char *path, off_t len)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	int r = ftruncate(fd, len);
	int saved = errno;
	close(fd);
	errno = saved;
	return r;
}
