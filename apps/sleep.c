/* sleep: waits for the given seconds (fractions and s/m/h/d suffixes allowed), summed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libos.h"

static uint64_t rdtime(void)
{
	uint64_t t;
	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

/* Seconds in one argument, or -1 if it is not a duration. */
static double seconds(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v < 0)
		return -1;
	static const char units[] = "smhd";
	static const double scale[] = {1, 60, 3600, 86400};
	if (*end == '\0')
		return v;
	const char *u = strchr(units, *end);
	return u && end[1] == '\0' ? v * scale[u - units] : -1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "sleep: missing operand\n");
		return 1;
	}
	double total = 0;
	for (int i = 1; i < argc; i++) {
		double s = seconds(argv[i]);
		if (s < 0) {
			fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]);
			return 1;
		}
		total += s;
	}
	/* The kernel has no timed sleep: yield at the lowest priority, so any
	 * other env that wants the CPU gets it first. */
	sys_env_set_priority(0, PRIO_MIN);
	uint64_t end = rdtime() + (uint64_t)(total * (double)sysinfo->timebase_hz);
	while (rdtime() < end)
		sys_yield();
	return 0;
}
