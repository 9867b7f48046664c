/* exov ABI: error codes. System calls return 0 or a positive value on
 * success and the negative of one of these on failure. */
#ifndef EXOV_ERROR_H
#define EXOV_ERROR_H

enum {
	E_UNSPECIFIED = 1, /* no better code fits */
	E_BAD_ENV,	   /* no such env, a stale id, or not yours to act on */
	E_INVAL,	   /* an argument is out of range, misaligned or forbidden */
	E_NO_MEM,	   /* out of physical pages */
	E_NO_FREE_ENV,	   /* the env table is full */
	E_FAULT,	   /* a user pointer does not name readable/writable user memory */
	E_IPC_NOT_RECV,	   /* the target is not waiting in ipc_recv */
	E_NOSYS,	   /* no such system call */
	E_NOT_MAPPED,	   /* the source page of a mapping is not mapped */
	E_INTR,		   /* ipc_recv was cut short by env_interrupt */
	E_MAX_ERROR
};

#endif
