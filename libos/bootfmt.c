/* The boot archive's formats, read without trusting them (bootfmt.h):
 * every offset and size is checked against the buffer, in a form that
 * cannot wrap (off <= size && len <= size - off), and every name against
 * its NUL. */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "bootfmt.h"

#define CPIO_HEADER 110 /* "070701" and 13 8-digit hex fields */

static size_t round4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Is [off, off + len) inside [0, size)? */
static bool fits(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* An 8-digit hex field; false if a character is not a hex digit. */
static bool hex_field(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++) {
		unsigned c = (unsigned char)s[i], lc = c | 0x20;
		if (c - '0' < 10)
			v = v * 16 + (c - '0');
		else if (lc - 'a' < 6)
			v = v * 16 + (lc - 'a' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

/* The name of the entry at off, with its field's size in *nsize; NULL if
 * the header is not in the archive or the name is not NUL-terminated
 * inside its field (the field may count padding NULs). */
static const char *entry_name(const char *base, size_t total, size_t off, uint64_t *nsize)
{
	if (!fits(off, CPIO_HEADER, total) || memcmp(base + off, "070701", 6) != 0 ||
	    !hex_field(base + off + 94, nsize))
		return NULL;
	const char *name = base + off + CPIO_HEADER;
	if (!fits(off + CPIO_HEADER, *nsize, total) || *nsize == 0 || name[*nsize - 1] != 0)
		return NULL;
	return name;
}

/* newc: the header, the name, padding to 4 bytes, the data, padding to
 * 4 bytes. */
bool cpio_next(const char *base, size_t total, size_t *pos, struct archive_entry *ent)
{
	uint64_t nsize, fsize, mode;
	const char *name = entry_name(base, total, *pos, &nsize);
	if (!name || !hex_field(base + *pos + 54, &fsize) || !hex_field(base + *pos + 14, &mode))
		return false;
	/* *pos + CPIO_HEADER + nsize <= total: rounding cannot wrap. */
	size_t start = round4(*pos + CPIO_HEADER + nsize);
	if (!fits(start, fsize, total) || strcmp(name, "TRAILER!!!") == 0)
		return false;
	*ent = (struct archive_entry){name, (unsigned)mode, (const uint8_t *)base + start, fsize};
	*pos = round4(start + fsize);
	return true;
}

/* Archive names have no leading "/" or "./"; neither need a path. */
static const char *strip_root(const char *path)
{
	for (;;) {
		if (path[0] == '/')
			path++;
		else if (path[0] == '.' && path[1] == '/')
			path += 2;
		else
			return path;
	}
}

/* Compares the name first and parses only the sizes needed to step on
 * (spawn and exec look a program up every time); the entry found is
 * checked whole by cpio_next. Each step moves on by at least 112 bytes
 * and at most 2^33 (the sizes have 8 hex digits): the walk ends. */
int cpio_lookup(const char *base, size_t total, const char *path, struct archive_entry *ent)
{
	path = strip_root(path);
	for (size_t off = 0;;) {
		uint64_t nsize, fsize;
		const char *name = entry_name(base, total, off, &nsize);
		if (!name || !hex_field(base + off + 54, &fsize))
			return -ENOENT;
		if (strcmp(strip_root(name), path) == 0) {
			size_t pos = off;
			return cpio_next(base, total, &pos, ent) ? 0 : -ENOENT;
		}
		off = round4(round4(off + CPIO_HEADER + nsize) + fsize);
	}
}

/* A loadable segment: its file bytes in the file, its memory in [lo, hi). */
static bool segment_ok(const Elf64_Phdr *ph, size_t size, uintptr_t lo, uintptr_t hi)
{
	return ph->p_vaddr >= lo && ph->p_vaddr < hi && ph->p_memsz <= hi - ph->p_vaddr &&
	       ph->p_filesz <= ph->p_memsz && fits(ph->p_offset, ph->p_filesz, size);
}

bool elf_valid(const uint8_t *data, size_t size, uintptr_t lo, uintptr_t hi)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
	if ((uintptr_t)data % 8 || size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_RISCV ||
	    eh->e_type != ET_EXEC || eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff % 8 ||
	    !fits(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), size))
		return false;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(data + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && !segment_ok(&ph[i], size, lo, hi))
			return false;
	return true;
}
