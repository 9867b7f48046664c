/* Reads init's program out of the boot archive: finds a file in the cpio
 * newc archive and checks that it is an ELF64 executable load_init can
 * load. Pure functions over (pointer, length) (see parse.h): no field of
 * the archive or the ELF file is trusted. */
#include "parse.h"

#define CPIO_HEADER 110 /* "070701" and 13 8-digit hex fields */
#define EM_RISCV 243
#define ET_EXEC 2

/* Is [off, off + len) inside [0, size)? Written so that nothing wraps. */
static bool fits(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* An 8-digit hex field; false if a character is not a hex digit. */
static bool parse_hex(const uint8_t *s, uint64_t *out)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++) {
		uint8_t c = s[i], lc = c | 0x20;
		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (lc >= 'a' && lc <= 'f')
			v = v * 16 + (lc - 'a' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

/* Is the entry's name field (NUL-terminated: it may count padding NULs)
 * exactly path? */
static bool name_matches(const uint8_t *name, uint64_t nsize, const char *path)
{
	size_t n = strlen(path);
	return n < nsize && memcmp(name, path, n) == 0 && name[n] == 0;
}

/* Each entry: the header, the name, padding to 4 bytes, the data, padding
 * to 4 bytes; the last is named "TRAILER!!!". (scripts/mkcpio.py pads
 * names so that file data is page aligned.) */
const char *cpio_find(const uint8_t *base, uint64_t total, const char *path, const uint8_t **data,
		      uint64_t *size)
{
	*data = NULL;
	for (uint64_t off = 0;;) {
		if (!fits(off, CPIO_HEADER, total))
			return "the archive ends without a TRAILER!!! entry";
		const uint8_t *h = base + off;
		uint64_t fsize, nsize;
		if (memcmp(h, "070701", 6) != 0)
			return "an entry without the newc magic 070701";
		if (!parse_hex(h + 54, &fsize) || !parse_hex(h + 94, &nsize))
			return "a header size field that is not hex";
		const uint8_t *name = h + CPIO_HEADER;
		if (!fits(off + CPIO_HEADER, nsize, total))
			return "a name past the end of the archive";
		if (nsize == 0 || name[nsize - 1] != 0)
			return "a name that is not NUL-terminated";
		/* off + CPIO_HEADER + nsize <= total: rounding up cannot wrap. */
		uint64_t start = (off + CPIO_HEADER + nsize + 3) & ~3ul;
		if (!fits(start, fsize, total))
			return "file data past the end of the archive";
		if (name_matches(name, nsize, "TRAILER!!!"))
			return NULL;
		if (name_matches(name, nsize, path)) {
			*data = base + start;
			*size = fsize;
			return NULL;
		}
		off = (start + fsize + 3) & ~3ul;
	}
}

/* A PT_LOAD segment: in the file, below top, and with a permission. */
static const char *segment_check(const struct elf64_phdr *ph, uint64_t size, uint64_t top)
{
	if (!fits(ph->offset, ph->filesz, size))
		return "a segment's file bytes lie past the end of the file";
	if (ph->filesz > ph->memsz)
		return "a segment's file size exceeds its memory size";
	if (ph->vaddr >= top || ph->memsz > top - ph->vaddr)
		return "a segment outside user memory";
	if (!(ph->flags & (PF_R | PF_W | PF_X)))
		return "a segment with no permission";
	return NULL;
}

const char *elf_check(const uint8_t *file, uint64_t size, uint64_t top)
{
	const struct elf64_ehdr *eh = (const void *)file;
	if ((uintptr_t)file % 8)
		return "the file is not 8-byte aligned in the archive";
	if (size < sizeof *eh || memcmp(eh->ident, "\177ELF", 4) != 0 || eh->ident[4] != 2)
		return "not an ELF64 file";
	if (eh->machine != EM_RISCV || eh->type != ET_EXEC)
		return "not a RISC-V executable";
	if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phoff % 8 ||
	    !fits(eh->phoff, (uint64_t)eh->phnum * sizeof(struct elf64_phdr), size))
		return "program headers misaligned or past the end of the file";
	const struct elf64_phdr *ph = (const void *)(file + eh->phoff);
	for (int i = 0; i < eh->phnum; i++) {
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;
		const char *err = segment_check(&ph[i], size, top);
		if (err)
			return err;
	}
	return NULL;
}
