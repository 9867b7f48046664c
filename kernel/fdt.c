/* Reads the flattened device tree (Devicetree Specification v0.4, ch. 5):
 * RAM, reserved ranges, timebase, harts, initrd and bootargs. Nothing in
 * the blob is trusted: the header's blocks are checked against totalsize
 * and totalsize against the caller's limit; then every token, name,
 * string offset and value is checked against its block. */
#include "parse.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
#define MAX_DEPTH 8
#define HEADER_SIZE 40 /* ten 32-bit fields (version 17) */

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Is [off, off + len) inside [0, size)? Written so that nothing wraps. */
static bool fits(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* The length of the string at s if it ends within max bytes, else max. */
static uint64_t bounded_len(const uint8_t *s, uint64_t max)
{
	uint64_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

/* A number of `cells` 32-bit cells (1 or 2). */
static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < cells; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

static bool name_is(const char *name, const char *want)
{
	size_t n = strlen(want);
	return strncmp(name, want, n) == 0 && (name[n] == 0 || name[n] == '@');
}

static const char *add_region(struct region *list, int *n, uint64_t base, uint64_t size)
{
	if (size == 0)
		return NULL;
	if (size > UINT64_MAX - base)
		return "a memory region wraps around the address space";
	if (*n == MAX_REGIONS)
		return "more than 16 memory or reserved regions";
	list[(*n)++] = (struct region){base, size};
	return NULL;
}

/* The state of the walk: the path of node names and each level's cells
 * (path[0] is the root; depth is -1 outside it). */
struct walk {
	struct bootinfo *bi;
	const uint8_t *strings;
	uint64_t strings_size;
	const char *path[MAX_DEPTH];
	uint32_t addr_cells[MAX_DEPTH], size_cells[MAX_DEPTH];
	int depth;
};

/* reg: (address, size) pairs in the parent's cell counts (depth >= 1). */
static const char *read_reg(struct walk *w, const uint8_t *val, uint32_t len, struct region *list,
			    int *n)
{
	uint32_t ac = w->addr_cells[w->depth - 1], sc = w->size_cells[w->depth - 1];
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return "reg under #address-cells or #size-cells other than 1 or 2";
	uint32_t pair = 4 * (ac + sc);
	if (len % pair)
		return "reg is not a list of whole (address, size) pairs";
	for (uint32_t off = 0; off < len; off += pair) {
		const char *err = add_region(list, n, read_cells(val + off, ac),
					     read_cells(val + off + 4 * ac, sc));
		if (err)
			return err;
	}
	return NULL;
}

static const char *read_cell(const uint8_t *val, uint32_t len, uint32_t *out)
{
	if (len != 4)
		return "#address-cells or #size-cells is not one cell";
	*out = be32(val);
	return NULL;
}

/* A property of one or two cells (a 32- or 64-bit number). */
static const char *read_number(const uint8_t *val, uint32_t len, uint64_t *out, const char *err)
{
	if (len != 4 && len != 8)
		return err;
	*out = read_cells(val, len / 4);
	return NULL;
}

static const char *on_property(struct walk *w, const char *name, const uint8_t *val, uint32_t len)
{
	struct bootinfo *bi = w->bi;
	int d = w->depth;
	const char *node = w->path[d];
	if (!strncmp(name, "#address-cells", 15)) {
		return read_cell(val, len, &w->addr_cells[d]);
	} else if (!strncmp(name, "#size-cells", 12)) {
		return read_cell(val, len, &w->size_cells[d]);
	} else if (d == 1 && name_is(node, "memory") && !strncmp(name, "reg", 4)) {
		return read_reg(w, val, len, bi->ram, &bi->nram);
	} else if (d == 2 && name_is(w->path[1], "reserved-memory") && !strncmp(name, "reg", 4)) {
		return read_reg(w, val, len, bi->reserved, &bi->nreserved);
	} else if (d >= 1 && name_is(w->path[1], "cpus") &&
		   !strncmp(name, "timebase-frequency", 19)) {
		return read_number(val, len, &bi->timebase_hz,
				   "timebase-frequency is not one or two cells");
	} else if (d == 1 && name_is(node, "chosen")) {
		if (!strncmp(name, "bootargs", 9)) {
			if (len == 0 || val[len - 1] != 0)
				return "bootargs is not a NUL-terminated string";
			bi->bootargs = (const char *)val;
		} else if (!strncmp(name, "linux,initrd-start", 19)) {
			return read_number(val, len, &bi->initrd_start,
					   "linux,initrd-start is not one or two cells");
		} else if (!strncmp(name, "linux,initrd-end", 17)) {
			return read_number(val, len, &bi->initrd_end,
					   "linux,initrd-end is not one or two cells");
		}
	}
	return NULL;
}

static const char *on_begin_node(struct walk *w, const char *name)
{
	if (w->depth + 1 == MAX_DEPTH)
		return "nodes nested deeper than 8";
	w->path[++w->depth] = name;
	/* Defaults from the spec: 2 address cells, 1 size cell. */
	w->addr_cells[w->depth] = 2;
	w->size_cells[w->depth] = 1;
	if (w->depth == 2 && name_is(w->path[1], "cpus") && name_is(name, "cpu"))
		w->bi->nharts++;
	return NULL;
}

/* One token at *off of the structure block s[0, size), which it passes
 * (with its padding to 4 bytes); *done at FDT_END. */
static const char *step(struct walk *w, const uint8_t *s, uint64_t size, uint64_t *off, bool *done)
{
	if (!fits(*off, 4, size))
		return "the structure block ends without FDT_END";
	uint32_t token = be32(s + *off);
	uint64_t at = *off + 4, len;
	const char *err = NULL;
	if (token == FDT_BEGIN_NODE) {
		len = bounded_len(s + at, size - at);
		if (len == size - at)
			return "a node name is not NUL-terminated inside the structure block";
		err = on_begin_node(w, (const char *)s + at);
		len++;
	} else if (token == FDT_END_NODE) {
		if (w->depth < 0)
			return "FDT_END_NODE outside any node";
		w->depth--;
		len = 0;
	} else if (token == FDT_PROP) {
		if (w->depth < 0)
			return "a property outside any node";
		if (!fits(at, 8, size))
			return "a property header past the structure block";
		uint32_t nameoff = be32(s + at + 4);
		len = be32(s + at);
		at += 8;
		if (!fits(at, len, size))
			return "a property value past the structure block";
		if (nameoff >= w->strings_size)
			return "a property name offset past the strings block";
		const uint8_t *name = w->strings + nameoff;
		if (bounded_len(name, w->strings_size - nameoff) == w->strings_size - nameoff)
			return "a property name is not NUL-terminated inside the strings block";
		err = on_property(w, (const char *)name, s + at, (uint32_t)len);
	} else if (token == FDT_END) {
		if (w->depth >= 0)
			return "FDT_END inside an open node";
		*done = true;
		len = 0;
	} else if (token == FDT_NOP) {
		len = 0;
	} else {
		return "an unknown token in the structure block";
	}
	/* at + len <= size here, so the padding cannot wrap. */
	uint64_t next = at + len + (-(at + len) & 3);
	if (next > size && !*done)
		return "the structure block ends inside a token's padding";
	*off = next;
	return err;
}

/* The memory reservation block: (address, size) pairs ending in 0, 0. */
static const char *read_rsvmap(const uint8_t *fdt, uint64_t off, uint64_t total,
			       struct bootinfo *bi)
{
	for (;; off += 16) {
		if (!fits(off, 16, total))
			return "the memory reservation block runs past totalsize";
		uint64_t base = read_cells(fdt + off, 2), size = read_cells(fdt + off + 8, 2);
		if (base == 0 && size == 0)
			return NULL;
		const char *err = add_region(bi->reserved, &bi->nreserved, base, size);
		if (err)
			return err;
	}
}

const char *fdt_read(const void *blob, uint64_t limit, struct bootinfo *bi)
{
	const uint8_t *fdt = blob;
	*bi = (struct bootinfo){.bootargs = ""};
	if (limit < HEADER_SIZE)
		return "shorter than a device tree header";
	if (be32(fdt) != FDT_MAGIC)
		return "bad magic (not a flattened device tree)";
	uint64_t total = be32(fdt + 4);
	uint64_t off_struct = be32(fdt + 8), off_strings = be32(fdt + 12);
	uint64_t off_rsvmap = be32(fdt + 16), version = be32(fdt + 20);
	uint64_t size_strings = be32(fdt + 32), size_struct = be32(fdt + 36);
	if (total < HEADER_SIZE || total > limit)
		return "totalsize smaller than the header or larger than the limit";
	if (version < 17)
		return "version older than 17";
	if (!fits(off_struct, size_struct, total) || off_struct % 4)
		return "the structure block is outside totalsize or misaligned";
	if (!fits(off_strings, size_strings, total))
		return "the strings block is outside totalsize";
	bi->fdt_size = total;
	const char *err = read_rsvmap(fdt, off_rsvmap, total, bi);

	struct walk w = {
		.bi = bi, .strings = fdt + off_strings, .strings_size = size_strings, .depth = -1};
	bool done = false;
	for (uint64_t off = 0; !err && !done;)
		err = step(&w, fdt + off_struct, size_struct, &off, &done);
	if (err)
		return err;
	if (bi->nram == 0)
		return "no memory node with a reg";
	if (bi->timebase_hz == 0)
		return "no timebase-frequency";
	if (bi->initrd_end < bi->initrd_start)
		return "linux,initrd-end is before linux,initrd-start";
	return NULL;
}
