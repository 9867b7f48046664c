/* The rest of the pthread subset, one check per line: once, keys and
 * their destructors, detach (slots come back), join and mutex errors,
 * recursive mutexes, cooperative yield order, preemption turned off for
 * one thread, and the process ending when its last thread exits. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void check(const char *what, bool ok)
{
	printf("api: %s: %s\n", what, ok ? "ok" : "FAILED");
}

static int once_runs;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void once_init(void)
{
	once_runs++;
	sched_yield(); /* the others must wait, not run it again */
}

static void *call_once(void *arg __attribute__((unused)))
{
	pthread_once(&once, once_init);
	return (void *)(long)once_runs;
}

static void test_once(void)
{
	pthread_t t[4];
	bool all_saw_it = true;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, call_once, NULL);
	for (int i = 0; i < 4; i++) {
		void *seen;
		pthread_join(t[i], &seen);
		all_saw_it &= (long)seen == 1;
	}
	check("pthread_once ran init once, every caller after it", once_runs == 1 && all_saw_it);
}

static pthread_key_t key;
static long destroyed;

static void destructor(void *value)
{
	destroyed += (long)value;
}

static void *use_key(void *arg)
{
	bool fresh = pthread_getspecific(key) == NULL;
	pthread_setspecific(key, arg);
	sched_yield();
	return (void *)(long)(fresh && pthread_getspecific(key) == arg);
}

static void test_keys(void)
{
	pthread_key_create(&key, destructor);
	pthread_setspecific(key, (void *)1000L);
	pthread_t t[3];
	long ok = 0;
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, use_key, (void *)(i + 1));
	for (int i = 0; i < 3; i++) {
		void *r;
		pthread_join(t[i], &r);
		ok += (long)r;
	}
	check("each thread has its own key value",
	      ok == 3 && pthread_getspecific(key) == (void *)1000L);
	check("destructors ran at thread exit with each value", destroyed == 1 + 2 + 3);
	pthread_key_delete(key);
}

static void *nothing(void *arg)
{
	return arg;
}

static volatile bool finished;

static void *finish(void *arg)
{
	finished = true;
	return arg;
}

/*
 * Detach, then join: what join says depends on whether the thread has
 * exited by the detach, so each case is forced. Not run yet (preemption
 * off, so no tick runs it in between): the detach marks it and the join
 * is EINVAL. Exited unjoined: the detach frees it (POSIX) and the join
 * finds no such thread, ESRCH (ids are never reused).
 */
static void check_detach_then_join(void)
{
	pthread_t t;
	pthread_setpreempt_np(0);
	pthread_create(&t, NULL, nothing, NULL);
	bool ok = pthread_detach(t) == 0 && pthread_join(t, NULL) == EINVAL;
	pthread_setpreempt_np(1);
	check("pthread_detach then join is EINVAL", ok);
	pthread_create(&t, NULL, finish, NULL);
	while (!finished)
		sched_yield();
	check("pthread_detach of an exited thread frees it, then join is ESRCH",
	      pthread_detach(t) == 0 && pthread_join(t, NULL) == ESRCH);
}

static void test_detach(void)
{
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	int made = 0, err = 0;
	for (int i = 0; i < 3 * PTHREAD_THREADS_MAX; i++) {
		pthread_t t;
		int r = pthread_create(&t, &attr, nothing, NULL);
		made += r == 0;
		err = r ? r : err;
		if (i % 16 == 0)
			sched_yield(); /* let them finish */
	}
	if (err)
		printf("api: %d of %d detached threads made; error %d\n", made,
		       3 * PTHREAD_THREADS_MAX, err);
	check("detached threads give their slots back", made == 3 * PTHREAD_THREADS_MAX);
	check_detach_then_join();
	check("join of no such thread is ESRCH", pthread_join(123456, NULL) == ESRCH);
	check("join of oneself is EDEADLK", pthread_join(pthread_self(), NULL) == EDEADLK);
}

static pthread_mutex_t checked;

static void *unlock_other(void *arg __attribute__((unused)))
{
	return (void *)(long)pthread_mutex_unlock(&checked);
}

static void test_mutex_kinds(void)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&checked, &a);
	pthread_mutex_lock(&checked);
	check("relock of an error-checking mutex is EDEADLK",
	      pthread_mutex_lock(&checked) == EDEADLK);
	pthread_t t;
	void *r;
	pthread_create(&t, NULL, unlock_other, NULL);
	pthread_join(t, &r);
	check("unlock by another thread is EPERM", (long)r == EPERM);
	check("trylock of a held mutex is EBUSY", pthread_mutex_trylock(&checked) == EBUSY);
	pthread_mutex_unlock(&checked);
	pthread_mutex_t rec = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
	bool ok = pthread_mutex_lock(&rec) == 0 && pthread_mutex_lock(&rec) == 0;
	ok &= pthread_mutex_unlock(&rec) == 0 && rec.owner == pthread_self();
	ok &= pthread_mutex_unlock(&rec) == 0 && rec.owner == 0;
	check("a recursive mutex counts its holds", ok);
}

static char order[16];
static int norder;

static void *take_turns(void *arg)
{
	for (int i = 0; i < 4; i++) {
		order[norder++] = (char)(long)arg;
		sched_yield();
	}
	return NULL;
}

/* Without the timer the threads run until they yield: strict turns. */
static void test_cooperative(void)
{
	pthread_settick_np(0);
	pthread_t a, b;
	pthread_create(&a, NULL, take_turns, (void *)'a');
	pthread_create(&b, NULL, take_turns, (void *)'b');
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("api: cooperative turns %s\n", order);
	pthread_settick_np(PTHREAD_TICK_SLICE);
}

static volatile unsigned long others;
static volatile bool quit;

static void *count_up(void *arg)
{
	while (!quit)
		others++;
	return arg;
}

/* A thread with preemption off spins through many ticks alone. */
static void *alone(void *arg __attribute__((unused)))
{
	pthread_setpreempt_np(0);
	unsigned long before = others;
	for (volatile unsigned long i = 0; i < 20000000; i++)
		;
	bool ran_alone = others == before;
	pthread_setpreempt_np(1);
	return (void *)(long)ran_alone;
}

static void test_no_preempt(void)
{
	pthread_settick_np(200);
	pthread_t c, s;
	void *r;
	pthread_create(&c, NULL, count_up, NULL);
	pthread_create(&s, NULL, alone, NULL);
	pthread_join(s, &r);
	quit = true;
	pthread_join(c, NULL);
	check("a thread with preemption off is not preempted", (long)r && others > 0);
	pthread_settick_np(PTHREAD_TICK_SLICE);
}

static void *last_one(void *arg)
{
	sched_yield();
	printf("api: the last thread returns\n");
	return arg;
}

/* main calls pthread_exit; the process ends (status 0) after the last thread. */
static void test_main_exits_first(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		pthread_create(&t, NULL, last_one, NULL);
		pthread_exit(NULL);
	}
	int status;
	waitpid(pid, &status, 0);
	check("after main's pthread_exit the process ends with the last thread, status 0",
	      WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
	check("main thread is thread 1", pthread_self() == 1);
	test_once();
	test_keys();
	test_detach();
	test_mutex_kinds();
	test_cooperative();
	test_no_preempt();
	test_main_exits_first();
	printf("api: done\n");
	return 0;
}
