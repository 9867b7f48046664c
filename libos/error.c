/* Messages for the kernel's error codes. */
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
