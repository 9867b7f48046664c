/* Producers and consumers on a bounded buffer with two condition
 * variables; when the producers are done, a broadcast wakes every idle
 * consumer. Every item must be consumed exactly once. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#define NPROD 3
#define NCONS 4
#define PER_PRODUCER 500
#define NITEMS (NPROD * PER_PRODUCER)
#define SLOTS 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static int ring[SLOTS], count, in, out;
static bool done;
static unsigned char seen[NITEMS];
static int max_count;
static int full_waits, empty_waits; /* how often a side had to wait */

static void put(int item)
{
	pthread_mutex_lock(&lock);
	while (count == SLOTS) {
		full_waits++;
		pthread_cond_wait(&not_full, &lock);
	}
	ring[in] = item;
	in = (in + 1) % SLOTS;
	if (++count > max_count)
		max_count = count;
	pthread_cond_signal(&not_empty);
	pthread_mutex_unlock(&lock);
}

/* The next item, or -1 once the producers are done and the ring is empty. */
static int take(void)
{
	pthread_mutex_lock(&lock);
	while (count == 0 && !done) {
		empty_waits++;
		pthread_cond_wait(&not_empty, &lock);
	}
	int item = -1;
	if (count > 0) {
		item = ring[out];
		out = (out + 1) % SLOTS;
		count--;
		pthread_cond_signal(&not_full);
	}
	pthread_mutex_unlock(&lock);
	return item;
}

static void *producer(void *arg)
{
	long p = (long)arg;
	for (int i = 0; i < PER_PRODUCER; i++)
		put((int)p * PER_PRODUCER + i);
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	long n = 0;
	for (int item; (item = take()) >= 0; n++) {
		seen[item]++;
		for (volatile int work = 0; work < 5000 * (item % 3); work++)
			;
	}
	return (void *)n;
}

int main(void)
{
	pthread_t prod[NPROD], cons[NCONS];
	pthread_settick_np(500);
	for (long i = 0; i < NCONS; i++)
		pthread_create(&cons[i], NULL, consumer, NULL);
	for (long i = 0; i < NPROD; i++)
		pthread_create(&prod[i], NULL, producer, (void *)i);
	for (int i = 0; i < NPROD; i++)
		pthread_join(prod[i], NULL);
	pthread_mutex_lock(&lock);
	done = true;
	pthread_cond_broadcast(&not_empty);
	pthread_mutex_unlock(&lock);
	long total = 0;
	for (int i = 0; i < NCONS; i++) {
		void *n;
		pthread_join(cons[i], &n);
		printf("prodcons: consumer %d took %ld items\n", i, (long)n);
		total += (long)n;
	}
	int once = 0, twice = 0, never = 0;
	for (int i = 0; i < NITEMS; i++) {
		once += seen[i] == 1;
		twice += seen[i] > 1;
		never += seen[i] == 0;
	}
	printf("prodcons: %ld consumed of %d produced; buffer held at most %d of %d\n", total,
	       NITEMS, max_count, SLOTS);
	printf("prodcons: producers waited for room %d times, consumers for items %d times\n",
	       full_waits, empty_waits);
	printf("prodcons: once %d, more than once %d, never %d\n", once, twice, never);
	return 0;
}
