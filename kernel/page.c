/* The physical page allocator: one struct page per RAM page, with a
 * reference count, and a free list. */
#include "kernel.h"

struct page *pages; /* one per page in [ram_base, ram_end) */
uint64_t ram_base, ram_end;
static struct page *free_list;
struct sysinfo *sysinfo; /* the UINFO page: free_pages is kept current */

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Ranges that hold something already: firmware, the kernel image, the
 * device tree, the initrd, and (once placed) the page array. */
static struct region busy[MAX_REGIONS + 4];
static int nbusy;

static bool is_busy(uint64_t pa, uint64_t len)
{
	for (int i = 0; i < nbusy; i++)
		if (overlaps(pa, len, busy[i].base, busy[i].size))
			return true;
	return false;
}

/* Finds len bytes of RAM, page-aligned, that nothing uses yet. */
static uint64_t find_free_range(uint64_t len)
{
	for (int r = 0; r < boot.nram; r++) {
		uint64_t lo = ROUNDUP(boot.ram[r].base, PGSIZE);
		uint64_t hi = boot.ram[r].base + boot.ram[r].size;
		for (uint64_t pa = lo; pa + len <= hi;) {
			if (!is_busy(pa, len))
				return pa;
			/* Skip past the first busy range that overlaps. */
			uint64_t next = pa + PGSIZE;
			for (int i = 0; i < nbusy; i++)
				if (overlaps(pa, len, busy[i].base, busy[i].size))
					next = ROUNDUP(busy[i].base + busy[i].size, PGSIZE);
			pa = next > pa ? next : pa + PGSIZE;
		}
	}
	panic("no room for %lu bytes of page array", len);
}

static void collect_busy_ranges(void)
{
	for (int i = 0; i < boot.nreserved; i++)
		busy[nbusy++] = boot.reserved[i];
	busy[nbusy++] = (struct region){kernel_load_pa, (uint64_t)(_end - _start)};
	busy[nbusy++] = (struct region){boot.fdt_pa, boot.fdt_size};
	if (boot.initrd_end > boot.initrd_start)
		busy[nbusy++] =
			(struct region){boot.initrd_start, boot.initrd_end - boot.initrd_start};
}

static bool in_ram(uint64_t pa)
{
	for (int r = 0; r < boot.nram; r++)
		if (pa >= boot.ram[r].base && pa + PGSIZE <= boot.ram[r].base + boot.ram[r].size)
			return true;
	return false;
}

/* A free page's first word links the free list. */
static void push_free(struct page *pg)
{
	*(struct page **)kva(page_to_pa(pg)) = free_list;
	free_list = pg;
	sysinfo->free_pages++;
}

/*
 * Invariant: a page is on the free list iff ref == 0 and !reserved.
 * Reserved pages (firmware, kernel, device tree, initrd, the page array,
 * holes between RAM regions) keep ref >= 1 forever, so user mappings of
 * initrd pages can count references without ever freeing them.
 */
void page_init(void)
{
	ram_base = ROUNDDOWN(boot.ram[0].base, PGSIZE);
	ram_end = 0;
	for (int r = 0; r < boot.nram; r++) {
		if (boot.ram[r].base < ram_base)
			ram_base = ROUNDDOWN(boot.ram[r].base, PGSIZE);
		if (boot.ram[r].base + boot.ram[r].size > ram_end)
			ram_end = ROUNDDOWN(boot.ram[r].base + boot.ram[r].size, PGSIZE);
	}
	if (ram_end > DIRECT_MAP_SIZE)
		ram_end = DIRECT_MAP_SIZE; /* RAM beyond the direct map is not used */
	collect_busy_ranges();
	uint64_t npages = (ram_end - ram_base) >> PGSHIFT;
	uint64_t array_bytes = ROUNDUP(npages * sizeof(struct page), PGSIZE);
	uint64_t array_pa = find_free_range(array_bytes);
	busy[nbusy++] = (struct region){array_pa, array_bytes};
	pages = kva(array_pa);

	static struct sysinfo info_page __attribute__((aligned(PGSIZE)));
	sysinfo = &info_page;
	/* Build the free list from the top down so low pages come out first. */
	for (uint64_t i = npages; i-- > 0;) {
		uint64_t pa = ram_base + (i << PGSHIFT);
		struct page *pg = &pages[i];
		if (!in_ram(pa) || is_busy(pa, PGSIZE)) {
			*pg = (struct page){.ref = 1, .reserved = 1};
			continue;
		}
		*pg = (struct page){0};
		push_free(pg);
	}
	sysinfo->total_pages = sysinfo->free_pages;
	sysinfo->ram_base = ram_base;
	sysinfo->npages = npages;
}

/* 32 stores a round: zeroing is most of what a fresh page costs (fork
 * makes a dozen, page tables included). */
static void zero_page(uint64_t *w)
{
	for (uint64_t *end = w + PGSIZE / 8; w < end; w += 32) {
#pragma GCC unroll 32
		for (int i = 0; i < 32; i++)
			w[i] = 0;
	}
}

struct page *page_take(void)
{
	struct page *pg = free_list;
	if (!pg)
		return NULL;
	free_list = *(struct page **)kva(page_to_pa(pg));
	sysinfo->free_pages--;
	return pg;
}

struct page *page_alloc(void)
{
	struct page *pg = page_take();
	if (pg)
		zero_page(page_kva(pg));
	return pg;
}

void page_free_last_ref(struct page *pg)
{
	assert(!pg->reserved);
	push_free(pg);
}
