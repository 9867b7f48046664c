/* Path names: the working directory (chdir, getcwd) and turning a path
 * into an absolute, normalised one ("." and ".." resolved by name: there
 * are no symbolic links). */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd.h"

/* Appends component [s, s + n) to out (length *len), or handles . and .. */
static int push_component(char *out, size_t *len, const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '.'))
		return 0;
	if (n == 2 && s[0] == '.' && s[1] == '.') {
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 0)
			(*len)--; /* the "/" before it; the root stays "" */
		out[*len] = '\0';
		return 0;
	}
	if (n > FS_NAMEMAX || *len + 1 + n >= FS_PATHMAX)
		return -ENAMETOOLONG;
	out[(*len)++] = '/';
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
	return 0;
}

static int push_path(char *out, size_t *len, const char *path)
{
	while (*path) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);
		int r = push_component(out, len, path, n);
		if (r < 0)
			return r;
		path += n + (slash ? 1 : 0);
	}
	return 0;
}

int path_resolve(const char *path, char *out, bool *is_dir_hint)
{
	size_t len = 0;
	out[0] = '\0';
	if (!path || !*path)
		return -ENOENT;
	if (strlen(path) >= FS_PATHMAX)
		return -ENAMETOOLONG;
	int r = 0;
	if (path[0] != '/')
		r = push_path(out, &len, FDPROC->cwd);
	if (r == 0)
		r = push_path(out, &len, path);
	if (r < 0)
		return r;
	if (len == 0)
		strcpy(out, "/");
	size_t plen = strlen(path);
	*is_dir_hint = path[plen - 1] == '/' || (plen >= 2 && strcmp(path + plen - 2, "/.") == 0) ||
		       strcmp(path, ".") == 0 || strcmp(path, "..") == 0 ||
		       (plen >= 3 && strcmp(path + plen - 3, "/..") == 0);
	return 0;
}

bool path_in_tmp(const char *abs, const char **rest)
{
	if (strncmp(abs, "/tmp", 4) != 0 || (abs[4] != '\0' && abs[4] != '/'))
		return false;
	*rest = abs[4] ? abs + 5 : abs + 4;
	return true;
}

int chdir(const char *path)
{
	char abs[FS_PATHMAX];
	bool dir_hint;
	struct stat st;
	int r = path_resolve(path, abs, &dir_hint);
	if (r < 0)
		return set_errno(r);
	if (stat(abs, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return set_errno(-ENOTDIR);
	strcpy(FDPROC->cwd, abs);
	return 0;
}

char *getcwd(char *buf, size_t size)
{
	size_t need = strlen(FDPROC->cwd) + 1;
	if (!buf) {
		size = size ? size : need;
		buf = size >= need ? malloc(size) : NULL;
		if (!buf) {
			errno = size >= need ? ENOMEM : ERANGE;
			return NULL;
		}
	} else if (size == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (size < need) {
		errno = ERANGE;
		return NULL;
	}
	memcpy(buf, FDPROC->cwd, need);
	return buf;
}
