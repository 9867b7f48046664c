/* Loading programs from the boot archive: shared by spawn and exec. */
#ifndef LIBOS_LOADER_H
#define LIBOS_LOADER_H

#include <elf.h>
#include <stdarg.h>

#include "archive.h"

#define STACK_PAGES 4 /* mapped at start; the rest grows on demand */
#define ARGS_PAGES 16 /* ARG_MAX: 64 KiB of arguments and environment */

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

/* A new program's initial stack, built at UARGS before it is mapped. */
struct new_stack {
	uint64_t sp;	 /* as the new program sees it, under USTACKTOP */
	unsigned npages; /* pages used, ending at UARGS + ARGS_PAGES pages */
};

/* Builds the initial stack (psABI: argc, argv, NULL, envp, NULL, auxv,
 * strings) in fresh pages at UARGS, for a stack whose top is USTACKTOP.
 * 0, -E2BIG (over ARG_MAX) or -ENOMEM. */
int stack_build(char *const argv[], char *const envp[], struct new_stack *st);

/* Moves the built stack into target below stack_top, with zeroed pages
 * under it up to STACK_PAGES. 0 or a negative E_* code. */
int stack_install(envid_t target, uintptr_t stack_top, const struct new_stack *st);

/* Unmaps whatever stack_build left at UARGS. */
void stack_discard(void);

/* For execl and spawnl: copies the NULL-terminated inline arguments
 * (arg0 first) into argv, which has room for MAX_LIST_ARGS + 1. */
#define MAX_LIST_ARGS 64
bool collect_args(char **argv, const char *arg0, va_list ap);

/* The body of execl, execlp and spawnl: returns call(first, argv) with the
 * inline arguments from arg0 on, or -1 with E2BIG if there are too many. */
#define RETURN_WITH_LIST_ARGS(call, first, arg0)           \
	do {                                               \
		char *argv_[MAX_LIST_ARGS + 1];            \
		va_list ap_;                               \
		va_start(ap_, arg0);                       \
		bool ok_ = collect_args(argv_, arg0, ap_); \
		va_end(ap_);                               \
		if (!ok_) {                                \
			errno = E2BIG;                     \
			return -1;                         \
		}                                          \
		return call(first, argv_);                 \
	} while (0)

#endif
