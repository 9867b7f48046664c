/* leaktest: creates and destroys 500 envs and maps and unmaps 10,000
 * pages; afterwards exactly as many pages are free as before. */
#include <stdio.h>

#include "libos.h"

#define NENVS 500
#define NPAGES 10000

#define REGION_A 0x10000000UL
#define REGION_B 0x11000000UL

/* Maps page i of region A fresh, and again read-only in region B; every
 * 1000 pages unmaps them all. */
static void map_round(int i)
{
	uintptr_t va = REGION_A + (uintptr_t)(i % 1000) * PGSIZE;
	int r = sys_page_alloc(0, va, PTE_R | PTE_W);
	if (r == 0)
		r = sys_page_map(0, va, 0, va - REGION_A + REGION_B, PTE_R);
	if (r < 0)
		panic("page %d: %s", i, exov_strerror(r));
	if (i % 1000 == 999)
		for (uintptr_t off = 0; off < 1000 * PGSIZE; off += PGSIZE) {
			sys_page_unmap(0, REGION_A + off);
			sys_page_unmap(0, REGION_B + off);
		}
}

int main(void)
{
	/* A warm-up round makes the page tables both regions (and dumbfork's
	 * UTEMP) need; they stay until exit, so they are counted before
	 * "before". */
	for (int i = 0; i < 1000; i++)
		map_round(i);
	envid_t warm = dumbfork();
	if (warm == 0)
		return 0;
	wait_env(warm, NULL);
	uint64_t before = sysinfo->free_pages;
	for (int i = 0; i < NENVS; i++) {
		envid_t child = i % 50 == 0 ? dumbfork() : sys_exofork();
		if (child == 0)
			return 0; /* a dumbforked child exits at once */
		if (child < 0)
			panic("fork %d: %s", i, exov_strerror(child));
		if (i % 50 == 0) {
			wait_env(child, NULL);
			continue;
		}
		/* Give the never-run child some memory, then destroy and reap it. */
		sys_page_alloc(child, UTEXT, PTE_R | PTE_W);
		sys_page_map(child, UTEXT, child, 0x40000000, PTE_R);
		sys_page_map(0, UINITRD, child, 0x80000000, PTE_R);
		sys_env_destroy(child, 0);
		sys_env_destroy(child, 0);
	}
	for (int i = 0; i < NPAGES; i++)
		map_round(i);
	uint64_t after = sysinfo->free_pages;
	printf("leaktest: %d envs, %d pages; free pages before %lu, after %lu\n", NENVS, NPAGES,
	       (unsigned long)before, (unsigned long)after);
	return 0;
}
