/* Loading ELF programs from the boot archive into an address space, and
 * their initial stacks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

static int open_exact(const char *path, struct image *img)
{
	int r = archive_lookup(path, &img->file);
	if (r < 0)
		return r;
	if ((img->file.mode & 0170000) != 0100000 ||
	    !elf_valid(img->file.data, img->file.size, UTEXT, UIMAGE_TOP))
		return -ENOEXEC;
	img->eh = (const Elf64_Ehdr *)img->file.data;
	return 0;
}

int image_open(const char *path, bool search, struct image *img)
{
	if (!search || strchr(path, '/'))
		return open_exact(path, img);
	const char *dirs = getenv("PATH");
	if (!dirs || !*dirs)
		dirs = "/bin";
	int r = -ENOENT;
	while (*dirs) {
		const char *colon = strchr(dirs, ':');
		size_t n = colon ? (size_t)(colon - dirs) : strlen(dirs);
		char full[256];
		if (n + 1 + strlen(path) < sizeof full) {
			memcpy(full, dirs, n);
			full[n] = '/';
			strcpy(full + n + 1, path);
			r = open_exact(full, img);
			if (r != -ENOENT)
				return r;
		}
		dirs += n + (colon ? 1 : 0);
	}
	return r;
}

static uint64_t segment_perm(const Elf64_Phdr *ph)
{
	return (ph->p_flags & PF_R ? PTE_R : 0) | (ph->p_flags & PF_W ? PTE_R | PTE_W : 0) |
	       (ph->p_flags & PF_X ? PTE_X : 0);
}

/* One page of a segment: shared from the archive if it is read-only and
 * wholly file data at a page-aligned archive address, else copied. */
static int load_page(envid_t target, const struct image *img, const Elf64_Phdr *ph, uintptr_t va,
		     uintptr_t delta)
{
	uint64_t perm = segment_perm(ph);
	const uint8_t *src = img->file.data + ph->p_offset + (va - ph->p_vaddr);
	if (!(perm & PTE_W) && va >= ph->p_vaddr && va + PGSIZE <= ph->p_vaddr + ph->p_filesz &&
	    (uintptr_t)src % PGSIZE == 0)
		return sys_page_map(0, (uintptr_t)src, target, va + delta, perm);
	int r = sys_page_alloc(0, UTEMP2, PTE_R | PTE_W);
	if (r < 0)
		return r;
	uintptr_t lo = va > ph->p_vaddr ? va : ph->p_vaddr;
	uintptr_t file_end = ph->p_vaddr + ph->p_filesz;
	uintptr_t hi = va + PGSIZE < file_end ? va + PGSIZE : file_end;
	if (lo < hi)
		memcpy((void *)(UTEMP2 + (lo - va)),
		       img->file.data + ph->p_offset + (lo - ph->p_vaddr), hi - lo);
	r = sys_page_map(0, UTEMP2, target, va + delta, perm);
	sys_page_unmap(0, UTEMP2);
	return r;
}

int image_load(envid_t target, const struct image *img, uintptr_t delta)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(img->file.data + img->eh->e_phoff);
	for (int i = 0; i < img->eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		uintptr_t end = ph[i].p_vaddr + ph[i].p_memsz;
		for (uintptr_t va = ROUNDDOWN(ph[i].p_vaddr, PGSIZE); va < end; va += PGSIZE) {
			int r = load_page(target, img, &ph[i], va, delta);
			if (r < 0)
				return -ENOMEM;
		}
	}
	asm volatile("fence.i" ::: "memory"); /* code written through UTEMP2 */
	return 0;
}

static size_t count(char *const v[])
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

int stack_build(char *const argv[], char *const envp[], struct new_stack *st)
{
	size_t argc = count(argv), envc = count(envp), strings = 0;
	for (size_t i = 0; i < argc; i++)
		strings += strlen(argv[i]) + 1;
	for (size_t i = 0; i < envc; i++)
		strings += strlen(envp[i]) + 1;
	size_t words = 1 + argc + 1 + envc + 1 + 4; /* argc, argv, NULL, envp, NULL, auxv */
	size_t bytes = ROUNDUP(strings, 16) + words * 8 + 16;
	if (bytes > ARGS_PAGES * PGSIZE)
		return -E2BIG;
	uintptr_t top = UARGS + ARGS_PAGES * PGSIZE;
	st->npages = (unsigned)(ROUNDUP(bytes, PGSIZE) / PGSIZE);
	for (unsigned i = 1; i <= st->npages; i++)
		if (sys_page_alloc(0, top - i * PGSIZE, PTE_R | PTE_W) < 0) {
			stack_discard();
			return -ENOMEM;
		}
	/* Build at UARGS, with pointers as the new program will see them. */
	uintptr_t delta = USTACKTOP - top;
	char *str = (char *)(top - ROUNDUP(strings, 16));
	uint64_t *w = (uint64_t *)ROUNDDOWN((uintptr_t)str - words * 8, 16);
	st->sp = (uint64_t)w + delta;
	*w++ = argc;
	for (int pass = 0; pass < 2; pass++) {
		char *const *v = pass == 0 ? argv : envp;
		for (size_t i = 0; i < (pass == 0 ? argc : envc); i++) {
			*w++ = (uint64_t)str + delta;
			str = stpcpy(str, v[i]) + 1;
		}
		*w++ = 0;
	}
	*w++ = 6; /* AT_PAGESZ */
	*w++ = PGSIZE;
	*w++ = 0; /* AT_NULL */
	*w++ = 0;
	return 0;
}

void stack_discard(void)
{
	sys_page_unmap_range(0, UARGS, UARGS + ARGS_PAGES * PGSIZE);
}

int stack_install(envid_t target, uintptr_t stack_top, const struct new_stack *st)
{
	uintptr_t top = UARGS + ARGS_PAGES * PGSIZE;
	int r = 0;
	for (unsigned i = 1; r == 0 && i <= st->npages; i++)
		r = sys_page_map(0, top - i * PGSIZE, target, stack_top - i * PGSIZE,
				 PTE_R | PTE_W);
	stack_discard();
	for (unsigned i = st->npages + 1; r == 0 && i <= STACK_PAGES; i++)
		r = sys_page_alloc(target, stack_top - i * PGSIZE, PTE_R | PTE_W);
	return r;
}

bool collect_args(char **argv, const char *arg0, va_list ap)
{
	int n = 0;
	for (const char *a = arg0; a; a = va_arg(ap, const char *)) {
		if (n == MAX_LIST_ARGS)
			return false;
		argv[n++] = (char *)a;
	}
	argv[n] = NULL;
	return true;
}
