/* Preemption: one thread spins forever and never yields; another prints
 * ten lines; main waits for the printer and exits. Without the timer
 * upcall switching threads, the spinner would keep the CPU for good. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static volatile unsigned long spins;

static void *spinner(void *arg)
{
	for (;;)
		spins++;
	return arg;
}

static void *printer(void *arg)
{
	for (int i = 0; i < 10; i++) {
		unsigned long before = spins;
		printf("preempt: line %d\n", i);
		while (spins == before) /* let the spinner run in between */
			;
	}
	return arg;
}

int main(void)
{
	pthread_t s, p;
	pthread_create(&s, NULL, spinner, NULL);
	pthread_create(&p, NULL, printer, NULL);
	pthread_join(p, NULL);
	printf("preempt: printer done, spinner spun: %s\n", spins ? "yes" : "no");
	exit(0); /* ends the spinner too */
}
