/* The boot archive's two formats, read without trusting them: cpio newc
 * entries and ELF64 executables. Pure functions over (pointer, length)
 * that never read outside it, so tests/host/ builds them for the host. */
#ifndef LIBOS_BOOTFMT_H
#define LIBOS_BOOTFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct archive_entry {
	const char *name; /* e.g. "bin/hello"; NUL-terminated inside the archive */
	unsigned mode;	  /* st_mode bits as the archive stores them */
	const uint8_t *data;
	size_t size; /* data + size is inside the archive */
};

/* The entry at *pos (an offset) of the archive [base, base + total);
 * advances *pos. False at the trailer, at the end, or at a malformed
 * entry (a bad magic or hex field, a name past the end or without its
 * NUL, data past the end). */
bool cpio_next(const char *base, size_t total, size_t *pos, struct archive_entry *ent);

/* Finds path (leading "/" and "./" ignored, in path and entry names):
 * 0 with *ent filled in, or -ENOENT (also when the archive is malformed
 * before path is reached). */
int cpio_lookup(const char *base, size_t total, const char *path, struct archive_entry *ent);

/* Is [data, data + size) a RISC-V ELF64 executable with its program
 * headers and its loadable segments' file bytes inside it and its
 * segments inside [lo, hi)? data must be 8-byte aligned. */
bool elf_valid(const uint8_t *data, size_t size, uintptr_t lo, uintptr_t hi);

#endif
