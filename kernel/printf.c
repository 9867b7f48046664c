/* Kernel console output: a small printf, panic and backtrace, and the
 * panic of a kernel stack overflow. */
#include <stdarg.h>

#include "kernel.h"
#include "riscv.h"

void kputs(const char *s)
{
	while (*s)
		sbi_console_putchar(*s++);
}

static void print_number(uint64_t n, unsigned base, int width, char pad, bool negative)
{
	char buf[24];
	int i = 0;
	do {
		buf[i++] = "0123456789abcdef"[n % base];
		n /= base;
	} while (n);
	if (negative)
		buf[i++] = '-';
	while (i < width)
		buf[i++] = pad;
	while (i)
		sbi_console_putchar(buf[--i]);
}

/* Supports %s %c %d %u %x %p with optional 0-padding, width and l/ll. */
static void kvprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			sbi_console_putchar(*fmt);
			continue;
		}
		char pad = ' ';
		int width = 0, longs = 0;
		if (*++fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			longs++, fmt++;
		uint64_t u;
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			kputs(s ? s : "(null)");
			break;
		}
		case 'c':
			sbi_console_putchar(va_arg(ap, int));
			break;
		case 'd': {
			int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			print_number(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, pad, v < 0);
			break;
		}
		case 'u':
		case 'x':
			u = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			print_number(u, *fmt == 'u' ? 10 : 16, width, pad, false);
			break;
		case 'p':
			print_number((uint64_t)va_arg(ap, void *), 16, 16, '0', false);
			break;
		case '%':
			sbi_console_putchar('%');
			break;
		default:
			sbi_console_putchar('%');
			sbi_console_putchar(*fmt);
			break;
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

/* The kernel has no frame pointers (they cost every call a few
 * instructions): this lists the words on the kernel stack, from sp up,
 * that point into kernel text. Return addresses are among them, newest
 * first; a stale one may be too. addr2line -e build/kernel.elf names them. */
void backtrace(uint64_t sp)
{
	kputs("kernel text addresses on the stack:\n");
	int shown = 0;
	/* Off the kernel stack (on the emergency stack after an overflow),
	 * list it from its bottom, where the overflow's newest frames are. */
	if (sp < (uint64_t)boot_stack || sp > (uint64_t)boot_stack_top)
		sp = (uint64_t)boot_stack;
	for (uint64_t *p = (uint64_t *)ROUNDUP(sp, 8); p < (uint64_t *)boot_stack_top && shown < 16;
	     p++)
		if (*p >= (uint64_t)_start && *p < (uint64_t)_etext) {
			kprintf("  %p\n", (void *)*p);
			shown++;
		}
}

noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	kprintf("kernel panic at %s:%d: ", file, line);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kputs("\n");
	backtrace(read_stack_pointer());
	sbi_shutdown();
}

/* Entered from trap.S on the emergency stack when a trap in the kernel
 * found sp at the bottom of the kernel stack or below it: the guard page
 * under the stack has trapped (or the frame would not fit). */
noreturn void kstack_overflow(uint64_t sp)
{
	panic("kernel stack overflow (pc %p, fault address %lx, sp %lx, cause %lu)",
	      (void *)csr_read_sepc(), csr_read_stval(), sp, csr_read_scause());
}
