/* Early boot: builds the kernel page table while still at the physical
 * load address, so that entry.S can turn paging on. */
#include "kernel.h"
#include "riscv.h"

/*
 * Runs with paging off: only pc-relative references (medany) and plain
 * loops, no tables of absolute addresses (no switch statements, no
 * pointers in initialized data).
 */

pte_t kernel_root[PT_ENTRIES] __attribute__((aligned(PGSIZE)));
static pte_t kernel_image_l1[PT_ENTRIES] __attribute__((aligned(PGSIZE)));
uint64_t kernel_load_pa;

#define KERNEL_LEAF (PTE_V | PTE_R | PTE_W | PTE_G | PTE_A | PTE_D)

static noreturn void boot_fail(const char *msg)
{
	while (*msg)
		sbi_console_putchar(*msg++);
	for (;;)
		wait_for_interrupt();
}

/*
 * Maps: the direct map (every physical GiB below DIRECT_MAP_SIZE, as
 * gigapages: no tables needed), the kernel image at KERNEL_VMA (2 MiB
 * pages), and a temporary identity gigapage around the image so the pc
 * stays valid at the moment paging turns on; kernel_main drops it.
 */
uint64_t boot_paging(uint64_t load_pa)
{
	uint64_t size = (uint64_t)(_end - _start);

	if (load_pa % MEGASIZE)
		boot_fail("exov: the kernel must be loaded 2 MiB-aligned\n");
	if (size > PT_ENTRIES * MEGASIZE)
		boot_fail("exov: kernel image too large\n");
	kernel_load_pa = load_pa;
	for (uint64_t i = 0; i < DIRECT_MAP_SIZE / GIGASIZE; i++)
		kernel_root[PT_INDEX(DIRECT_MAP, 2) + i] = PA_TO_PTE(i * GIGASIZE) | KERNEL_LEAF;
	for (uint64_t off = 0; off < size; off += MEGASIZE)
		kernel_image_l1[PT_INDEX(KERNEL_VMA + off, 1)] =
			PA_TO_PTE(load_pa + off) | KERNEL_LEAF | PTE_X;
	kernel_root[PT_INDEX(KERNEL_VMA, 2)] = PA_TO_PTE((uint64_t)kernel_image_l1) | PTE_V;
	kernel_root[PT_INDEX(load_pa, 2)] =
		PA_TO_PTE(ROUNDDOWN(load_pa, GIGASIZE)) | PTE_V | PTE_R | PTE_X | PTE_A;
	return SATP_SV39 | ((uint64_t)kernel_root >> PGSHIFT);
}

/* Called once running at KERNEL_VMA: the lower half becomes user space. */
void boot_drop_identity_map(void)
{
	kernel_root[PT_INDEX(kernel_load_pa, 2)] = 0;
	sfence_vma_all();
}
