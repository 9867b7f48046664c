/* Reads the flattened device tree (Devicetree Specification v0.4, ch. 5):
 * RAM, reserved ranges, timebase, harts, initrd and bootargs. */
#include "kernel.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
#define MAX_DEPTH 8

struct bootinfo boot;

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap;
	uint32_t version, last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Reads a number of `cells` 32-bit cells (1 or 2). */
static uint64_t read_cells(const uint8_t **p, uint32_t cells)
{
	uint64_t v = 0;
	while (cells--) {
		v = v << 32 | be32(*p);
		*p += 4;
	}
	return v;
}

static bool name_is(const char *name, const char *want)
{
	size_t n = strlen(want);
	return strncmp(name, want, n) == 0 && (name[n] == 0 || name[n] == '@');
}

static void add_region(struct region *list, int *n, uint64_t base, uint64_t size)
{
	if (size == 0)
		return;
	if (*n == MAX_REGIONS)
		panic("device tree: more than %d memory regions", MAX_REGIONS);
	list[(*n)++] = (struct region){base, size};
}

/* The state of the walk: the path of node names and each level's cells. */
struct walk {
	const char *path[MAX_DEPTH];
	uint32_t addr_cells[MAX_DEPTH], size_cells[MAX_DEPTH];
	int depth;
};

static void read_reg(struct walk *w, const uint8_t *val, uint32_t len, struct region *list, int *n)
{
	/* reg is interpreted with the parent's cell counts. */
	uint32_t ac = w->addr_cells[w->depth - 1], sc = w->size_cells[w->depth - 1];
	const uint8_t *end = val + len;
	while (val + 4 * (ac + sc) <= end) {
		uint64_t base = read_cells(&val, ac);
		uint64_t size = read_cells(&val, sc);
		add_region(list, n, base, size);
	}
}

static void on_property(struct walk *w, const char *name, const uint8_t *val, uint32_t len)
{
	int d = w->depth;
	const char *node = w->path[d];
	if (!strncmp(name, "#address-cells", 15))
		w->addr_cells[d] = be32(val);
	else if (!strncmp(name, "#size-cells", 12))
		w->size_cells[d] = be32(val);
	else if (d == 1 && name_is(node, "memory") && !strncmp(name, "reg", 4))
		read_reg(w, val, len, boot.ram, &boot.nram);
	else if (d == 2 && name_is(w->path[1], "reserved-memory") && !strncmp(name, "reg", 4))
		read_reg(w, val, len, boot.reserved, &boot.nreserved);
	else if (d >= 1 && name_is(w->path[1], "cpus") && !strncmp(name, "timebase-frequency", 19))
		boot.timebase_hz = len == 8 ? (uint64_t)be32(val) << 32 | be32(val + 4) : be32(val);
	else if (d == 1 && name_is(node, "chosen")) {
		const uint8_t *p = val;
		if (!strncmp(name, "bootargs", 9))
			boot.bootargs = (const char *)val;
		else if (!strncmp(name, "linux,initrd-start", 19))
			boot.initrd_start = read_cells(&p, len / 4);
		else if (!strncmp(name, "linux,initrd-end", 17))
			boot.initrd_end = read_cells(&p, len / 4);
	}
}

static void on_begin_node(struct walk *w, const char *name)
{
	if (++w->depth >= MAX_DEPTH)
		panic("device tree nested deeper than %d", MAX_DEPTH);
	w->path[w->depth] = name;
	/* Defaults from the spec: 2 address cells, 1 size cell. */
	w->addr_cells[w->depth] = 2;
	w->size_cells[w->depth] = 1;
	if (w->depth == 2 && name_is(w->path[1], "cpus") && name_is(name, "cpu"))
		boot.nharts++;
}

void fdt_parse(uint64_t fdt_pa)
{
	const uint8_t *fdt = kva(fdt_pa);
	const struct fdt_header *h = (const void *)fdt;
	if (be32(&h->magic) != FDT_MAGIC)
		panic("no device tree at %lx (a1 from the firmware)", fdt_pa);
	boot.fdt_pa = fdt_pa;
	boot.fdt_size = be32(&h->totalsize);
	boot.bootargs = "";

	/* The memory reservation block: (address, size) pairs ending in 0, 0. */
	for (const uint8_t *p = fdt + be32(&h->off_mem_rsvmap);;) {
		uint64_t base = read_cells(&p, 2), size = read_cells(&p, 2);
		if (base == 0 && size == 0)
			break;
		add_region(boot.reserved, &boot.nreserved, base, size);
	}

	const uint8_t *p = fdt + be32(&h->off_dt_struct);
	const char *strings = (const char *)fdt + be32(&h->off_dt_strings);
	struct walk w = {.depth = -1};
	for (;;) {
		uint32_t token = be32(p);
		p += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			on_begin_node(&w, name);
			p += ROUNDUP(strlen(name) + 1, 4);
		} else if (token == FDT_END_NODE) {
			w.depth--;
		} else if (token == FDT_PROP) {
			uint32_t len = be32(p), nameoff = be32(p + 4);
			on_property(&w, strings + nameoff, p + 8, len);
			p += 8 + ROUNDUP(len, 4);
		} else if (token == FDT_END) {
			break;
		} else if (token != FDT_NOP) {
			panic("device tree: bad token %x", token);
		}
	}
	if (boot.nram == 0)
		panic("device tree names no memory");
	if (boot.timebase_hz == 0)
		panic("device tree names no timebase-frequency");
}
