/* ps: lists the envs of the env table: pid, parent, status, times run. */
#include <stdio.h>

#include "libos.h"

static const char *status_name(uint32_t status, envid_t id)
{
	static const char *const names[] = {
		[ENV_FREE] = "free",	      [ENV_RUNNABLE] = "ready", [ENV_RUNNING] = "run",
		[ENV_NOT_RUNNABLE] = "sleep", [ENV_ZOMBIE] = "zombie",
	};
	if (id == thisenv->env_id)
		return "run";
	return status < sizeof names / sizeof names[0] ? names[status] : "?";
}

int main(void)
{
	printf("%8s %8s %-7s %8s\n", "PID", "PPID", "STAT", "RUNS");
	for (int i = 0; i < NENV; i++) {
		const volatile struct env_info *e = &envs[i];
		envid_t id = e->env_id;
		uint32_t status = e->env_status;
		if (id == 0 || status == ENV_FREE)
			continue;
		printf("%8d %8d %-7s %8lu%s\n", id, e->env_parent_id, status_name(status, id),
		       (unsigned long)e->env_runs, e->env_daemon ? " daemon" : "");
	}
	return 0;
}
