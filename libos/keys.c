/* Thread-specific data: pthread_key_create, get/setspecific, and the
 * destructors that run when a thread exits. */
#include <errno.h>

#include "libos.h"
#include "thread.h"

typedef void (*destructor_t)(void *);

static struct {
	bool used;
	destructor_t destructor;
} keys[PTHREAD_KEYS_MAX];

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	thread_lib_enter();
	int r = EAGAIN;
	for (pthread_key_t k = 0; k < PTHREAD_KEYS_MAX; k++) {
		if (keys[k].used)
			continue;
		keys[k].used = true;
		keys[k].destructor = destructor;
		thread_key_clear(k); /* a new key is NULL in every thread */
		*key = k;
		r = 0;
		break;
	}
	thread_lib_leave();
	return r;
}

int pthread_key_delete(pthread_key_t key)
{
	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	keys[key].used = false;
	return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
	return key < PTHREAD_KEYS_MAX && keys[key].used ? thread_cur->specific[key] : NULL;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	thread_cur->specific[key] = (void *)value;
	return 0;
}

/* POSIX: destructors run for non-NULL values (set to NULL first), again
 * while some are set anew, at most PTHREAD_DESTRUCTOR_ITERATIONS rounds. */
void thread_keys_exit(struct thread *t)
{
	for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		bool ran = false;
		for (pthread_key_t k = 0; k < PTHREAD_KEYS_MAX; k++) {
			void *v = t->specific[k];
			if (!v || !keys[k].used || !keys[k].destructor)
				continue;
			t->specific[k] = NULL;
			keys[k].destructor(v);
			ran = true;
		}
		if (!ran)
			return;
	}
}
