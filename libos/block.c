/* Waiting without burning the CPU: the one place the library OS blocks.
 * A waiting thread lets the process's other threads run; the env sleeps
 * only when every thread waits (libos/thread.c). */
#include "libos.h"
#include "thread.h"

/* Returns once ready(arg) holds. Meanwhile the thread waits: the thread
 * library polls ready(arg) each time it picks a thread to run, and when
 * no thread can run it sleeps the env until an env_wake from another env,
 * an interrupt (signal) or a child's death, then polls again. A wake-up
 * that comes before the sleep is kept by the kernel, so none is lost. */
void wait_until(bool (*ready)(void *arg), void *arg)
{
	while (!ready(arg))
		thread_wait(ready, arg);
}

/* Waits until something may have changed (see wait_until): returns after
 * the env has been woken, or earlier. Callers look again and loop. */
void libos_sleep(void)
{
	thread_wait(NULL, NULL);
}
