/* Directory streams (<dirent.h>) on directory descriptors: each readdir
 * asks the descriptor's kind for its next entry. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "fd.h"

struct __dirstream {
	int fd;
	struct dirent ent;
};

DIR *fdopendir(int fd)
{
	struct fdesc *d = fd_lookup(fd);
	const struct dev *dev = d ? fd_dev(d) : NULL;
	if (!dev) {
		errno = EBADF;
		return NULL;
	}
	struct stat st;
	if (!dev->readdir || fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	DIR *dir = malloc(sizeof *dir);
	if (!dir) {
		errno = ENOMEM;
		return NULL;
	}
	dir->fd = fd;
	return dir;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return dir;
}

struct dirent *readdir(DIR *dir)
{
	struct fdesc *d = fd_lookup(dir->fd);
	const struct dev *dev = d ? fd_dev(d) : NULL;
	if (!dev || !dev->readdir) {
		errno = EBADF;
		return NULL;
	}
	int r = dev->readdir(d, &dir->ent);
	if (r < 0)
		errno = -r;
	return r > 0 ? &dir->ent : NULL;
}

void rewinddir(DIR *dir)
{
	struct fdesc *d = fd_lookup(dir->fd);
	if (d)
		d->offset = 0;
}

int dirfd(DIR *dir)
{
	return dir->fd;
}

int closedir(DIR *dir)
{
	int r = close(dir->fd);
	free(dir);
	return r;
}
