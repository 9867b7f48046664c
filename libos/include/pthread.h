/* POSIX threads, a subset: user-level threads in one env, preempted by
 * the kernel's timer upcall (libos/thread.c; see docs/threads.md). */
#ifndef LIBOS_PTHREAD_H
#define LIBOS_PTHREAD_H

#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * picolibc has no <pthread.h> and defines none of these types (it has no
 * sys/_pthreadtypes.h), so they are all ours. A pthread_t is the thread's
 * number: the main thread is 1, each new thread takes the next number,
 * and numbers are never reused.
 */
typedef unsigned long pthread_t;
typedef unsigned pthread_key_t;

/* Wait queues inside mutexes and condition variables (opaque). */
struct __pthread_waitq {
	void *head, *tail;
	unsigned long fork_gen; /* queues from before a fork are empty in the child */
};

typedef struct {
	int detachstate;
	size_t stacksize;
} pthread_attr_t;

typedef struct {
	int type;
} pthread_mutexattr_t;

typedef struct {
	int type;
	unsigned count; /* recursive holds */
	pthread_t owner;
	struct __pthread_waitq waiters;
} pthread_mutex_t;

typedef struct {
	int unused;
} pthread_condattr_t;

typedef struct {
	struct __pthread_waitq waiters;
} pthread_cond_t;

typedef struct {
	volatile int state;
} pthread_once_t;

#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1

/* PTHREAD_MUTEX_DEFAULT and _NORMAL report relocking by the owner as
 * EDEADLK, like _ERRORCHECK; _RECURSIVE counts. */
#define PTHREAD_MUTEX_DEFAULT 0
#define PTHREAD_MUTEX_NORMAL 1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_RECURSIVE 3

#define PTHREAD_MUTEX_INITIALIZER            \
	{                                    \
		PTHREAD_MUTEX_DEFAULT, 0, 0, \
		{                            \
			0, 0, 0              \
		}                            \
	}
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP \
	{                                      \
		PTHREAD_MUTEX_RECURSIVE, 0, 0, \
		{                              \
			0, 0, 0                \
		}                              \
	}
#define PTHREAD_COND_INITIALIZER \
	{                        \
		{                \
			0, 0, 0  \
		}                \
	}
#define PTHREAD_ONCE_INIT \
	{                 \
		0         \
	}

#define PTHREAD_KEYS_MAX 32
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#define PTHREAD_STACK_MIN 16384
#define PTHREAD_THREADS_MAX 256

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
		   void *arg);
int pthread_join(pthread_t thread, void **retval);
void pthread_exit(void *retval) __attribute__((noreturn));
pthread_t pthread_self(void);
int pthread_detach(pthread_t thread);
static inline int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);
/* At most THREAD_SLOT (1 MiB) less two pages; 0 means the most. */
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size);

int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type);

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);

int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);

int pthread_once(pthread_once_t *once, void (*init)(void));

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

/* Gives the CPU to another runnable thread of this process, or, if there
 * is none, to another env. */
int sched_yield(void);

/*
 * exov extensions (_np: not portable).
 *
 * pthread_setpreempt_np(on): whether the timer may switch away from the
 * calling thread (new threads start with it on). With it off the thread
 * runs until it blocks, yields or exits. Returns the previous setting.
 *
 * pthread_settick_np(usec): how often the process's threads are
 * preempted: every usec microseconds of its running time (at least 100),
 * PTHREAD_TICK_SLICE (the default) at the end of each of the env's kernel
 * time slices, or 0 for never (cooperative threads). Returns 0 or EINVAL.
 */
#define PTHREAD_TICK_SLICE (~0UL)
int pthread_setpreempt_np(int on);
int pthread_settick_np(unsigned long usec);

#endif
