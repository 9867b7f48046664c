/* Messages for the kernel's error codes, and names of errno values. */
#include "libos.h"

static const char *const messages[E_MAX_ERROR] = {
	[0] = "success",
	[E_UNSPECIFIED] = "unspecified error",
	[E_BAD_ENV] = "bad environment",
	[E_INVAL] = "invalid parameter",
	[E_NO_MEM] = "out of memory",
	[E_NO_FREE_ENV] = "out of environments",
	[E_FAULT] = "bad address",
	[E_IPC_NOT_RECV] = "env is not receiving",
	[E_NOSYS] = "no such system call",
	[E_NOT_MAPPED] = "page not mapped",
	[E_INTR] = "interrupted",
};

const char *exov_strerror(int err)
{
	if (err < 0)
		err = -err;
	return err < E_MAX_ERROR && messages[err] ? messages[err] : "unknown error";
}

#include <errno.h>

#define NAME(e) [e] = #e
static const char *const errno_names[] = {
	NAME(EPERM),  NAME(ENOENT), NAME(ESRCH),     NAME(EINTR),	 NAME(EIO),
	NAME(ENXIO),  NAME(E2BIG),  NAME(ENOEXEC),   NAME(EBADF),	 NAME(ECHILD),
	NAME(EAGAIN), NAME(ENOMEM), NAME(EACCES),    NAME(EFAULT),	 NAME(EBUSY),
	NAME(EEXIST), NAME(EXDEV),  NAME(ENODEV),    NAME(ENOTDIR),	 NAME(EISDIR),
	NAME(EINVAL), NAME(ENFILE), NAME(EMFILE),    NAME(ENOTTY),	 NAME(EFBIG),
	NAME(ENOSPC), NAME(ESPIPE), NAME(EROFS),     NAME(EMLINK),	 NAME(EPIPE),
	NAME(ERANGE), NAME(ENOSYS), NAME(ENOTEMPTY), NAME(ENAMETOOLONG),
};

const char *errno_name(int err)
{
	if (err == 0)
		return "0";
	if (err > 0 && (size_t)err < sizeof errno_names / sizeof *errno_names && errno_names[err])
		return errno_names[err];
	return "E?";
}
