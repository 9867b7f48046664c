/* Waiting without burning the CPU: sleep until woken, look again. */
#include "libos.h"

/* Sleeps until something may have changed: an env_wake from another env,
 * an interrupt (signal), or a child's death. Returns at once if one of
 * those came since the last sleep, so a wake-up is never lost between
 * looking at a condition and sleeping. */
void libos_sleep(void)
{
	sys_env_set_status(0, ENV_NOT_RUNNABLE);
}

void wait_until(bool (*ready)(void *arg), void *arg)
{
	while (!ready(arg))
		libos_sleep();
}
