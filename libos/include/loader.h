/* Loading programs from the boot archive: shared by spawn and exec. */
#ifndef LIBOS_LOADER_H
#define LIBOS_LOADER_H

#include <elf.h>
#include <stdarg.h>

#include "archive.h"

#define STACK_PAGES 4 /* mapped at start; the rest grows on demand */

struct image {
	struct archive_entry file;
	const Elf64_Ehdr *eh;
};

/* Finds and checks the ELF program at path (a bare name is looked up in
 * PATH when search is set). 0, -ENOENT or -ENOEXEC. */
int image_open(const char *path, bool search, struct image *img);

/* Maps img's segments into env target at their addresses + delta. Pages
 * of read-only segments are shared with the archive where alignment
 * allows; the rest are copied. 0 or -ENOMEM. */
int image_load(envid_t target, const struct image *img, uintptr_t delta);

/* Builds the initial stack page (psABI: argc, argv, NULL, envp, NULL,
 * auxv, strings) in a fresh page at scratch, for a stack whose top is
 * USTACKTOP. Stores the new sp. 0, -E2BIG or -ENOMEM. */
int stack_build(uintptr_t scratch, char *const argv[], char *const envp[], uint64_t *sp);

/* For execl and spawnl: copies the NULL-terminated inline arguments
 * (arg0 first) into argv, which has room for MAX_LIST_ARGS + 1. */
#define MAX_LIST_ARGS 64
bool collect_args(char **argv, const char *arg0, va_list ap);

#endif
