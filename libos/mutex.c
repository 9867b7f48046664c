/* Mutexes, condition variables and pthread_once on the thread library's
 * queues: a blocked thread waits in the object's FIFO queue, and an
 * unlock hands the mutex straight to the first waiter (no barging). */
#include <errno.h>

#include "libos.h"
#include "thread.h"

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	attr->type = PTHREAD_MUTEX_DEFAULT;
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (type < PTHREAD_MUTEX_DEFAULT || type > PTHREAD_MUTEX_RECURSIVE)
		return EINVAL;
	attr->type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
	*type = attr->type;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	*m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	if (attr)
		m->type = attr->type;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return m->owner ? EBUSY : 0;
}

/* Takes m if it is free or the caller's (recursive); in a critical section. */
static int mutex_try(pthread_mutex_t *m, pthread_t self)
{
	if (!m->owner) {
		m->owner = self;
		m->count = 1;
		return 0;
	}
	if (m->owner != self)
		return EBUSY;
	if (m->type != PTHREAD_MUTEX_RECURSIVE)
		return EDEADLK;
	m->count++;
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	thread_lib_enter();
	int r = mutex_try(m, pthread_self());
	if (r == EBUSY) {
		waitq_push(&m->waiters, thread_cur);
		thread_block(); /* the unlocker made us the owner */
		r = 0;
	}
	thread_lib_leave();
	return r;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	thread_lib_enter();
	int r = mutex_try(m, pthread_self());
	thread_lib_leave();
	return r == EDEADLK ? EBUSY : r;
}

/* Releases m (held by the caller) to its first waiter; in a critical section. */
static void mutex_release(pthread_mutex_t *m)
{
	struct thread *t = waitq_pop(&m->waiters);
	m->owner = t ? t->id : 0;
	m->count = t ? 1 : 0;
	if (t)
		thread_make_runnable(t);
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	thread_lib_enter();
	int r = m->owner == pthread_self() ? 0 : EPERM;
	if (r == 0 && --m->count == 0)
		mutex_release(m);
	thread_lib_leave();
	return r;
}

int pthread_condattr_init(pthread_condattr_t *attr)
{
	attr->unused = 0;
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
	(void)attr;
	*c = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	(void)c;
	return 0;
}

/* Releases m and joins c's queue at once (no wake-up can come between),
 * then takes m again. A recursive mutex is released and retaken whole. */
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	thread_lib_enter();
	if (m->owner != pthread_self()) {
		thread_lib_leave();
		return EPERM;
	}
	unsigned count = m->count;
	waitq_push(&c->waiters, thread_cur);
	mutex_release(m);
	thread_block();
	thread_lib_leave();
	pthread_mutex_lock(m);
	m->count = count;
	return 0;
}

int pthread_cond_signal(pthread_cond_t *c)
{
	thread_lib_enter();
	struct thread *t = waitq_pop(&c->waiters);
	if (t)
		thread_make_runnable(t);
	thread_lib_leave();
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	thread_lib_enter();
	struct thread *t;
	while ((t = waitq_pop(&c->waiters)))
		thread_make_runnable(t);
	thread_lib_leave();
	return 0;
}

enum { ONCE_NEW, ONCE_RUNNING, ONCE_DONE };

static bool once_done(void *arg)
{
	return ((pthread_once_t *)arg)->state == ONCE_DONE;
}

/* The first caller runs init; the others wait until it has returned. */
int pthread_once(pthread_once_t *once, void (*init)(void))
{
	thread_lib_enter();
	bool first = once->state == ONCE_NEW;
	if (first)
		once->state = ONCE_RUNNING;
	thread_lib_leave();
	if (first) {
		init();
		once->state = ONCE_DONE;
	}
	wait_until(once_done, once);
	return 0;
}
