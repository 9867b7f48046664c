/* kernel_main: the boot order, one step a line. */
#include "kernel.h"
#include "riscv.h"

void boot_drop_identity_map(void);

#define DEFAULT_SLICE_MS 10

struct bootinfo boot;

/* Nothing can run without the board's description: a malformed device
 * tree stops the boot here, with fdt_read's reason. */
static void fdt_parse(uint64_t fdt_pa)
{
	const char *err = fdt_read(kva(fdt_pa), FDT_MAX_SIZE, &boot);
	if (err)
		panic("device tree at %lx (a1 from the firmware): %s", fdt_pa, err);
	boot.fdt_pa = fdt_pa;
}

static uint64_t parse_decimal(const char *s, size_t len)
{
	uint64_t v = 0;
	for (size_t i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return v;
}

/* slice=MS in bootargs sets the time slice (default 10 ms). */
static void sched_params_init(void)
{
	size_t len;
	const char *v = bootarg("slice", &len);
	uint64_t ms = v ? parse_decimal(v, len) : 0;
	if (ms == 0)
		ms = DEFAULT_SLICE_MS;
	time_slice = boot.timebase_hz * ms / 1000;
}

noreturn void kernel_main(uint64_t hartid, uint64_t fdt_pa)
{
	boot_drop_identity_map();
	sbi_probe();
	fdt_parse(fdt_pa);
	page_init();
	env_init();
	vm_init();
	trap_init();
	sched_params_init();
	sysinfo->boot_hart = (uint32_t)hartid;
	sysinfo->timebase_hz = boot.timebase_hz;
	kprintf("exov: hart %lu of %d, %lu MiB RAM, timebase %lu Hz, bootargs \"%s\"\n", hartid,
		boot.nharts, (sysinfo->total_pages * PGSIZE) >> 20, boot.timebase_hz,
		boot.bootargs);
	kprintf("[kernel] %lu free pages at boot\n", sysinfo->free_pages);
	selftest_run();
	load_init();
	schedule();
}
