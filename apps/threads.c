/* Threads: NTHR threads each add ROUNDS to a shared counter under a
 * mutex, preempted every millisecond, often inside the critical section
 * (the read and the write-back are far apart); the total must be exact. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#define NTHR 8
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long counter;
static unsigned long contended; /* lock found taken (under the lock) */

static void add_one(void)
{
	bool busy = pthread_mutex_trylock(&lock) == EBUSY;
	if (busy)
		pthread_mutex_lock(&lock);
	contended += busy;
	unsigned long v = counter;
	for (volatile int d = 0; d < 100; d++)
		;
	counter = v + 1;
	pthread_mutex_unlock(&lock);
}

static void *worker(void *arg)
{
	for (int i = 0; i < ROUNDS; i++)
		add_one();
	return arg;
}

int main(void)
{
	pthread_t t[NTHR];
	pthread_settick_np(1000);
	for (long i = 0; i < NTHR; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
			printf("threads: create %ld failed\n", i);
	long joined = 0;
	for (int i = 0; i < NTHR; i++) {
		void *ret;
		pthread_join(t[i], &ret);
		joined += (long)ret == i;
	}
	printf("threads: %ld threads joined with their own return value\n", joined);
	printf("threads: contended %lu times\n", contended);
	printf("threads: total %lu, expected %d\n", counter, NTHR * ROUNDS);
	return 0;
}
