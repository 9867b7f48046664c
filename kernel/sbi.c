/* The board corner: every call into the SBI firmware (RISC-V SBI spec v1.0). */
#include "kernel.h"

#define SBI_LEGACY_SET_TIMER 0x00
#define SBI_LEGACY_PUTCHAR 0x01
#define SBI_LEGACY_GETCHAR 0x02
#define SBI_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_SRST 0x53525354

struct sbiret {
	long error, value;
};

static struct sbiret sbi_call(long ext, long fn, long a0, long a1)
{
	register long r0 asm("a0") = a0;
	register long r1 asm("a1") = a1;
	register long r6 asm("a6") = fn;
	register long r7 asm("a7") = ext;
	asm volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){r0, r1};
}

static bool has_time_ext, has_srst_ext;

/* Some firmware lacks the TIME or SRST extensions: ask, then fall back to
 * the legacy calls. */
void sbi_probe(void)
{
	has_time_ext = sbi_call(SBI_EXT_BASE, 3, SBI_EXT_TIME, 0).value != 0;
	has_srst_ext = sbi_call(SBI_EXT_BASE, 3, SBI_EXT_SRST, 0).value != 0;
}

void sbi_console_putchar(int c)
{
	sbi_call(SBI_LEGACY_PUTCHAR, 0, c, 0);
}

/* Returns the next input byte, or -1 when none is waiting. */
int sbi_console_getchar(void)
{
	return (int)sbi_call(SBI_LEGACY_GETCHAR, 0, 0, 0).error;
}

void sbi_set_timer(uint64_t when)
{
	if (has_time_ext)
		sbi_call(SBI_EXT_TIME, 0, (long)when, 0);
	else
		sbi_call(SBI_LEGACY_SET_TIMER, 0, (long)when, 0);
}

/* Powers off. Some boards (QEMU sifive_u) cannot: then wait forever. */
noreturn void sbi_shutdown(void)
{
	if (has_srst_ext)
		sbi_call(SBI_EXT_SRST, 0, 0, 0);
	sbi_call(SBI_LEGACY_SHUTDOWN, 0, 0, 0);
	for (;;)
		asm volatile("wfi");
}
