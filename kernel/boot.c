/* Early boot: builds the kernel page table while still at the physical
 * load address, so that entry.S can turn paging on. */
#include "kernel.h"
#include "riscv.h"

/*
 * Runs with paging off: only pc-relative references (medany) and plain
 * loops, no tables of absolute addresses (no switch statements, no
 * pointers in initialized data). Every table is static: no allocator yet.
 */

#define IMAGE_L0 2 /* level-0 tables for the image: 4 MiB (the linker script checks) */
#define ALIGNED __attribute__((aligned(PGSIZE)))

pte_t kernel_root[PT_ENTRIES] ALIGNED;
static pte_t image_l1[PT_ENTRIES] ALIGNED;	     /* the GiB at KERNEL_VMA */
static pte_t image_l0[IMAGE_L0][PT_ENTRIES] ALIGNED; /* the image, 4 KiB pages */
static pte_t direct_l1[PT_ENTRIES] ALIGNED;	     /* the direct map's GiB holding the image */
static pte_t direct_l0[PT_ENTRIES] ALIGNED;	     /* its 2 MiB holding text and rodata */
static pte_t identity_l1[PT_ENTRIES] ALIGNED;	     /* while paging turns on */
uint64_t kernel_load_pa;

#define KERNEL_LEAF (PTE_V | PTE_G | PTE_A | PTE_D)

static noreturn void boot_fail(const char *msg)
{
	while (*msg)
		sbi_console_putchar(*msg++);
	for (;;)
		wait_for_interrupt();
}

/* W^X at KERNEL_VMA, for the image page at offset off. */
static uint64_t image_perm(uint64_t off)
{
	if (off < (uint64_t)(_etext - _start))
		return PTE_R | PTE_X;
	if (off < (uint64_t)(_erodata - _start))
		return PTE_R;
	if (off == (uint64_t)(boot_stack_guard - _start))
		return 0; /* unmapped: a kernel stack overflow traps */
	return PTE_R | PTE_W;
}

/* The direct map: never X; the image's text and rodata read-only. */
static uint64_t direct_perm(uint64_t off)
{
	return off < (uint64_t)(_erodata - _start) ? PTE_R : PTE_R | PTE_W;
}

/* The image at KERNEL_VMA, 4 KiB pages; and, until boot_drop_identity_map,
 * its first 2 MiB (text and rodata) at load_pa too, through the same
 * level-0 table, so the pc stays valid at the moment paging turns on. */
static void map_image(uint64_t load_pa)
{
	uint64_t size = (uint64_t)(_end - _start);
	for (uint64_t off = 0; off < size; off += PGSIZE) {
		uint64_t perm = image_perm(off);
		if (perm)
			image_l0[off / MEGASIZE][PT_INDEX(off, 0)] =
				PA_TO_PTE(load_pa + off) | KERNEL_LEAF | perm;
	}
	for (uint64_t i = 0; i < IMAGE_L0; i++)
		image_l1[PT_INDEX(KERNEL_VMA, 1) + i] = PA_TO_PTE((uint64_t)image_l0[i]) | PTE_V;
	kernel_root[PT_INDEX(KERNEL_VMA, 2)] = PA_TO_PTE((uint64_t)image_l1) | PTE_V;
	identity_l1[PT_INDEX(load_pa, 1)] = PA_TO_PTE((uint64_t)image_l0[0]) | PTE_V;
	kernel_root[PT_INDEX(load_pa, 2)] = PA_TO_PTE((uint64_t)identity_l1) | PTE_V;
}

/* Every physical GiB below DIRECT_MAP_SIZE as a gigapage, except the one
 * holding the image: 2 MiB pages, and 4 KiB ones for the 2 MiB holding
 * text and rodata (load_pa is 2 MiB-aligned; they fit in 2 MiB). */
static void map_direct(uint64_t load_pa)
{
	for (uint64_t i = 0; i < DIRECT_MAP_SIZE / GIGASIZE; i++)
		kernel_root[PT_INDEX(DIRECT_MAP, 2) + i] =
			PA_TO_PTE(i * GIGASIZE) | KERNEL_LEAF | PTE_R | PTE_W;
	uint64_t giga = ROUNDDOWN(load_pa, GIGASIZE);
	for (uint64_t i = 0; i < PT_ENTRIES; i++)
		direct_l1[i] = PA_TO_PTE(giga + i * MEGASIZE) | KERNEL_LEAF | PTE_R | PTE_W;
	for (uint64_t i = 0; i < PT_ENTRIES; i++)
		direct_l0[i] =
			PA_TO_PTE(load_pa + i * PGSIZE) | KERNEL_LEAF | direct_perm(i * PGSIZE);
	direct_l1[PT_INDEX(load_pa, 1)] = PA_TO_PTE((uint64_t)direct_l0) | PTE_V;
	kernel_root[PT_INDEX(DIRECT_MAP + giga, 2)] = PA_TO_PTE((uint64_t)direct_l1) | PTE_V;
}

/* Builds the kernel page table; returns the satp value that enables it. */
uint64_t boot_paging(uint64_t load_pa)
{
	if (load_pa % MEGASIZE)
		boot_fail("exov: the kernel must be loaded 2 MiB-aligned\n");
	if (load_pa >= DIRECT_MAP_SIZE)
		boot_fail("exov: the kernel must be loaded below 254 GiB\n");
	kernel_load_pa = load_pa;
	map_direct(load_pa);
	map_image(load_pa);
	return SATP_SV39 | ((uint64_t)kernel_root >> PGSHIFT);
}

/* Called once running at KERNEL_VMA: the lower half becomes user space. */
void boot_drop_identity_map(void)
{
	kernel_root[PT_INDEX(kernel_load_pa, 2)] = 0;
	sfence_vma_all();
}
