/* picolibc's <sched.h>, plus sched_yield, which it declares only under
 * _POSIX_THREADS (libos/thread.c implements it). */
#ifndef LIBOS_SCHED_H
#define LIBOS_SCHED_H

#include_next <sched.h>

int sched_yield(void);

#endif
