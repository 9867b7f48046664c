/* Host harness for the library OS's readers of the boot archive
 * (libos/include/bootfmt.h), built with ASan and UBSan by `make
 * host-parsers` for tests/test_parsers.py. FILE is read into a buffer of
 * exactly its size (a read past the end is an ASan report):
 *   libos_parsers lookup FILE PATH  found SIZE MODE | ENOENT
 *   libos_parsers list FILE         one "NAME SIZE" line an entry, then "end"
 *   libos_parsers elf FILE          ok | ENOEXEC
 * Exit status 0 either way; a sanitizer report aborts with its own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "bootfmt.h"

#define UTEXT 0x800000ul	  /* include/exov/memlayout.h */
#define UIMAGE_TOP 0x1000000000ul /* libos/include/libos.h */

static char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0) {
		perror(path);
		exit(2);
	}
	*size = (size_t)ftell(f);
	rewind(f);
	char *buf = malloc(*size ? *size : 1); /* malloc's alignment: 16 */
	if (!buf || fread(buf, 1, *size, f) != *size) {
		perror(path);
		exit(2);
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	if (argc < 3 || (argv[1][0] == 'l' && argv[1][1] == 'o' && argc < 4)) {
		fprintf(stderr, "usage: libos_parsers lookup|list|elf FILE [PATH]\n");
		return 2;
	}
	size_t size;
	char *buf = read_file(argv[2], &size);
	struct archive_entry e;
	if (argv[1][0] == 'l' && argv[1][1] == 'o') {
		int r = cpio_lookup(buf, size, argv[3], &e);
		if (r == 0)
			printf("found %zu %o\n", e.size, e.mode);
		else
			printf("%s\n", r == -ENOENT ? "ENOENT" : "other error");
	} else if (argv[1][0] == 'l') {
		for (size_t pos = 0; cpio_next(buf, size, &pos, &e);)
			printf("%s %zu\n", e.name, e.size);
		printf("end\n");
	} else {
		printf(elf_valid((const uint8_t *)buf, size, UTEXT, UIMAGE_TOP) ? "ok\n"
										: "ENOEXEC\n");
	}
	free(buf);
	return 0;
}
