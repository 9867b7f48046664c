/* The kernel's parsers of boot input it cannot trust: the device tree, the
 * boot archive (cpio newc) and init's ELF image. Each is a pure function
 * over (pointer, length) that returns NULL or a one-line message, never
 * reads outside [p, p + length) and uses no kernel global: so they also
 * build for the host (tests/host/, and later a fuzzer) with this header
 * alone. */
#ifndef KERNEL_PARSE_H
#define KERNEL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* string.c in the kernel, libc on the host. */
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* fdt.c: what the device tree tells about the board. */
#define MAX_REGIONS 16
struct region {
	uint64_t base, size;
};
struct bootinfo {
	struct region ram[MAX_REGIONS];
	int nram;
	struct region reserved[MAX_REGIONS]; /* firmware, memreserve, ... */
	int nreserved;
	uint64_t timebase_hz;
	uint64_t initrd_start, initrd_end; /* physical; 0 when absent */
	const char *bootargs;		   /* "" when absent; points into the tree */
	int nharts;
	uint64_t fdt_pa, fdt_size;
};
/* The largest tree the kernel reads (Linux caps it at 2 MiB too). */
#define FDT_MAX_SIZE (2u << 20)
/* Fills *bi (all but fdt_pa) from the tree at fdt, of which at most limit
 * bytes may be read; NULL, or why the tree is malformed. */
const char *fdt_read(const void *fdt, uint64_t limit, struct bootinfo *bi);

/* initrd.c: init's program. Finds the NUL-terminated path in the archive
 * [base, base + total): NULL with *data and *size set (*data NULL when
 * there is no such file), or why the archive is malformed. */
const char *cpio_find(const uint8_t *base, uint64_t total, const char *path, const uint8_t **data,
		      uint64_t *size);

/* Checks that [file, file + size) is a RISC-V ELF64 executable whose
 * program headers and loadable segments lie inside it, with segments
 * below top: NULL, or what is wrong. file must be 8-byte aligned. */
const char *elf_check(const uint8_t *file, uint64_t size, uint64_t top);

/* The ELF64 layout elf_check checks (and load_init then reads). */
struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

#endif
