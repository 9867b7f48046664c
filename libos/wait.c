/* Waiting for a child env to die, by watching the env table. */
#include "libos.h"

/* Yields until child is a zombie or gone, then reaps it. Returns its
 * env_exit_kind (EXIT_* ) and stores its exit code, or -E_BAD_ENV if
 * child is not a live or zombie env. */
int wait_env(envid_t child, int *code)
{
	const volatile struct env_info *e = &envs[ENVX(child)];
	for (;;) {
		if (e->env_id != child || e->env_status == ENV_FREE)
			return -E_BAD_ENV;
		if (e->env_status == ENV_ZOMBIE)
			break;
		sys_yield();
	}
	int kind = (int)e->env_exit_kind;
	if (code)
		*code = e->env_exit_code;
	sys_env_destroy(child, 0);
	return kind;
}

void discard_child(envid_t child)
{
	sys_env_destroy(child, 0);
	sys_env_destroy(child, 0); /* reap the zombie */
}
