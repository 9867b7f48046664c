/* Stress: 64 threads, each creating and joining children round after
 * round, all adding to counters under four mutexes while the timer
 * preempts them every half millisecond. Nothing may hang and every
 * count must match. */
#include <pthread.h>
#include <stdio.h>

#define NTOP 64
#define ROUNDS 8
#define CHILDREN 2
#define OPS 40
#define NLOCKS 4

static pthread_mutex_t locks[NLOCKS] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
					PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
static unsigned long counts[NLOCKS];
static pthread_mutex_t stats = PTHREAD_MUTEX_INITIALIZER;
static unsigned long created, join_errors;

/* OPS additions, spread over the locks; returns how many it made. */
static void *child(void *arg)
{
	unsigned long seed = (unsigned long)arg;
	for (int i = 0; i < OPS; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		int k = (int)(seed >> 62);
		pthread_mutex_lock(&locks[k]);
		unsigned long v = counts[k];
		if (i % 8 == 0)
			sched_yield();
		counts[k] = v + 1;
		pthread_mutex_unlock(&locks[k]);
	}
	return (void *)(long)OPS;
}

static void *top(void *arg)
{
	long made = 0, sum = 0;
	for (int r = 0; r < ROUNDS; r++) {
		pthread_t t[CHILDREN];
		for (int c = 0; c < CHILDREN; c++)
			made += pthread_create(&t[c], NULL, child,
					       (void *)((long)arg * 1000 + r * 10 + c)) == 0;
		for (int c = 0; c < CHILDREN; c++) {
			void *n;
			if (pthread_join(t[c], &n) == 0)
				sum += (long)n;
			else
				join_errors++;
		}
		sum += (long)child(arg);
	}
	pthread_mutex_lock(&stats);
	created += made;
	pthread_mutex_unlock(&stats);
	return (void *)sum;
}

int main(void)
{
	pthread_t t[NTOP];
	pthread_settick_np(500);
	long made = 0, sum = 0;
	for (long i = 0; i < NTOP; i++)
		made += pthread_create(&t[i], NULL, top, (void *)i) == 0;
	for (int i = 0; i < NTOP; i++) {
		void *n;
		pthread_join(t[i], &n);
		sum += (long)n;
	}
	unsigned long total = 0;
	for (int k = 0; k < NLOCKS; k++)
		total += counts[k];
	printf("stress: %ld threads made %lu children; %lu join errors\n", made, created,
	       join_errors);
	printf("stress: threads report %ld additions; counters hold %lu; expected %d\n", sum, total,
	       NTOP * ROUNDS * (CHILDREN + 1) * OPS);
	return 0;
}
