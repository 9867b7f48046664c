/* errno is per thread: each thread's own TLS block holds it. Two
 * threads set different errno values (one through a failing strtoul)
 * and keep checking them while the timer switches between them. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECKS 200000

static int *where[2];

static void *keep(void *arg)
{
	long me = (long)arg;
	if (me == 0)
		strtoul("99999999999999999999999", NULL, 10); /* ERANGE */
	else
		errno = EINVAL;
	int want = errno;
	where[me] = &errno;
	long bad = 0;
	for (int i = 0; i < CHECKS; i++) {
		bad += errno != want;
		if (i % 1000 == 0)
			sched_yield();
	}
	printf("errno: thread %ld kept %s: %s\n", me, want == ERANGE ? "ERANGE" : "EINVAL",
	       bad ? "no" : "yes");
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	pthread_settick_np(200);
	errno = 0;
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, keep, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("errno: main kept 0: %s\n", errno == 0 ? "yes" : "no");
	printf("errno: three different addresses: %s\n",
	       where[0] != where[1] && where[0] != &errno && where[1] != &errno ? "yes" : "no");
	return 0;
}
