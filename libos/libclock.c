/* picolibc's locks (malloc, atexit, the environment, buffered files) as
 * thread library mutexes: picolibc is built with retargetable locking,
 * and defining every one of these replaces its single-threaded stubs.
 * All are recursive (a stdio call holds its stream's lock around the
 * per-character locking inside, see stdlock.c). In an upcall (a signal
 * handler, say, on the exception stack) they are skipped: blocking there
 * would switch threads away from the exception stack. */
#include <stdlib.h>
#include <sys/lock.h>

#include "libos.h"
#include "thread.h"

struct __lock {
	pthread_mutex_t m;
};

struct __lock __lock___libc_recursive_mutex = {PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP};

static bool usable(_LOCK_T lock)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	return lock && thread_multi && !(sp > UXSTACK_LO && sp <= UXSTACKTOP);
}

void __retarget_lock_init(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof **lock);
	if (*lock)
		(*lock)->m.type = PTHREAD_MUTEX_RECURSIVE;
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	__retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	if (usable(lock))
		pthread_mutex_lock(&lock->m);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	__retarget_lock_acquire(lock);
}

/* Nonzero when taken, as newlib's stubs say. */
int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return !usable(lock) || pthread_mutex_trylock(&lock->m) == 0;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	return __retarget_lock_try_acquire(lock);
}

void __retarget_lock_release(_LOCK_T lock)
{
	if (usable(lock))
		pthread_mutex_unlock(&lock->m);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	__retarget_lock_release(lock);
}
