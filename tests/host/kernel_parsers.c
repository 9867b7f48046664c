/* Host harness for the kernel's parsers (kernel/parse.h), built with
 * ASan and UBSan by `make host-parsers` for tests/test_parsers.py. It
 * reads FILE into a buffer of exactly its size (so a read past the end
 * is an ASan report) and prints one line:
 *   kernel_parsers fdt FILE        ok ram=... | error: MESSAGE
 *   kernel_parsers cpio FILE PATH  found SIZE | missing | error: MESSAGE
 *   kernel_parsers elf FILE        ok | error: MESSAGE
 * Exit status 0 either way; a sanitizer report aborts with its own. */
#include <stdio.h>
#include <stdlib.h>

#include "parse.h"

#define UTOP 0x3f80000000ul /* include/exov/memlayout.h */

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0) {
		perror(path);
		exit(2);
	}
	*size = (size_t)ftell(f);
	rewind(f);
	uint8_t *buf = malloc(*size ? *size : 1); /* malloc's alignment: 16 */
	if (!buf || fread(buf, 1, *size, f) != *size) {
		perror(path);
		exit(2);
	}
	fclose(f);
	return buf;
}

static void print_regions(const char *what, const struct region *r, int n)
{
	printf(" %s=", what);
	for (int i = 0; i < n; i++)
		printf("%s%#llx+%#llx", i ? "," : "", (unsigned long long)r[i].base,
		       (unsigned long long)r[i].size);
}

static void run_fdt(const uint8_t *buf, size_t size)
{
	struct bootinfo bi;
	const char *err = fdt_read(buf, size, &bi);
	if (err) {
		printf("error: %s\n", err);
		return;
	}
	printf("ok");
	print_regions("ram", bi.ram, bi.nram);
	print_regions("reserved", bi.reserved, bi.nreserved);
	printf(" timebase=%llu harts=%d initrd=%#llx-%#llx size=%llu bootargs=\"%s\"\n",
	       (unsigned long long)bi.timebase_hz, bi.nharts, (unsigned long long)bi.initrd_start,
	       (unsigned long long)bi.initrd_end, (unsigned long long)bi.fdt_size, bi.bootargs);
}

static void run_cpio(const uint8_t *buf, size_t size, const char *path)
{
	const uint8_t *data;
	uint64_t fsize;
	const char *err = cpio_find(buf, size, path, &data, &fsize);
	if (err)
		printf("error: %s\n", err);
	else if (!data)
		printf("missing\n");
	else
		printf("found %llu at %llu\n", (unsigned long long)fsize,
		       (unsigned long long)(data - buf));
}

int main(int argc, char **argv)
{
	if (argc < 3 || (argv[1][0] == 'c' && argc < 4)) {
		fprintf(stderr, "usage: kernel_parsers fdt|cpio|elf FILE [PATH]\n");
		return 2;
	}
	size_t size;
	uint8_t *buf = read_file(argv[2], &size);
	if (argv[1][0] == 'f') {
		run_fdt(buf, size);
	} else if (argv[1][0] == 'c') {
		run_cpio(buf, size, argv[3]);
	} else {
		const char *err = elf_check(buf, size, UTOP);
		printf(err ? "error: %s\n" : "ok\n", err);
	}
	free(buf);
	return 0;
}
