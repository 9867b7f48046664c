/* Starts the first env: finds init=NAME in bootargs, loads bin/NAME from
 * the boot archive (cpio newc; read and checked by initrd.c) and builds
 * its psABI initial stack. */
#include "kernel.h"
#include "riscv.h"

#define INIT_STACK_PAGES 16
#define MAX_ARGS 32

/* Finds "key=" in bootargs; returns the value and its length. */
const char *bootarg(const char *key, size_t *len)
{
	size_t klen = strlen(key);
	for (const char *p = boot.bootargs; *p;) {
		while (*p == ' ')
			p++;
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - word) > klen && !strncmp(word, key, klen) && word[klen] == '=') {
			*len = (size_t)(p - word) - klen - 1;
			return word + klen + 1;
		}
	}
	return NULL;
}

static void load_segment(struct env *e, const uint8_t *file, const struct elf64_phdr *ph)
{
	/* elf_check: inside the file, below UTOP, filesz <= memsz, perm != 0. */
	uint64_t perm = (ph->flags & PF_R ? PTE_R : 0) | (ph->flags & PF_W ? PTE_R | PTE_W : 0) |
			(ph->flags & PF_X ? PTE_X : 0);
	for (uint64_t va = ROUNDDOWN(ph->vaddr, PGSIZE); va < ph->vaddr + ph->memsz; va += PGSIZE) {
		pte_t *pte = vm_lookup(e, va);
		struct page *pg = pte ? pa_to_page(PTE_PA(*pte)) : page_alloc();
		uint64_t page_perm = perm | (pte ? *pte & (PTE_R | PTE_W | PTE_X) : 0);
		if (!pg || vm_map(e, va, pg, page_perm) < 0)
			panic("init: out of memory");
		/* Copy the part of [va, va+PGSIZE) that the file supplies. */
		uint64_t lo = va > ph->vaddr ? va : ph->vaddr;
		uint64_t hi =
			va + PGSIZE < ph->vaddr + ph->filesz ? va + PGSIZE : ph->vaddr + ph->filesz;
		if (lo < hi)
			memcpy((char *)page_kva(pg) + (lo - va),
			       file + ph->offset + (lo - ph->vaddr), hi - lo);
	}
}

/*
 * The initial stack (RISC-V psABI, like Linux):
 *   sp -> argc, argv[0..argc-1], NULL, envp: NULL, auxv: AT_PAGESZ, AT_NULL,
 *         then the argument strings up to USTACKTOP.
 */
static uint64_t build_stack(struct env *e, const char *args, size_t argslen)
{
	for (int i = 1; i <= INIT_STACK_PAGES; i++) {
		struct page *pg = page_alloc();
		if (!pg || vm_map(e, USTACKTOP - i * PGSIZE, pg, PTE_R | PTE_W) < 0)
			panic("init: out of memory");
	}
	char strings[512];
	uint64_t words[MAX_ARGS + 8];
	if (argslen >= sizeof strings)
		panic("init: arguments longer than %lu bytes", sizeof strings);
	uint64_t str_base = ROUNDDOWN(USTACKTOP - argslen - 1, 16);
	int argc = 0;
	size_t n = 0;
	for (size_t i = 0; i < argslen;) {
		while (i < argslen && args[i] == ' ')
			i++;
		if (i == argslen)
			break;
		if (argc == MAX_ARGS)
			panic("init: more than %d arguments", MAX_ARGS);
		words[1 + argc++] = str_base + n;
		while (i < argslen && args[i] != ' ')
			strings[n++] = args[i++];
		strings[n++] = 0;
	}
	int w = 1 + argc;
	words[0] = (uint64_t)argc;
	words[w++] = 0; /* argv end */
	words[w++] = 0; /* envp end */
	words[w++] = 6; /* AT_PAGESZ */
	words[w++] = PGSIZE;
	words[w++] = 0; /* AT_NULL */
	words[w++] = 0;
	uint64_t sp = ROUNDDOWN(str_base - (uint64_t)w * 8, 16);
	if (copy_to_user(e, str_base, strings, n) < 0 ||
	    copy_to_user(e, sp, words, (uint64_t)w * 8) < 0)
		panic("init: cannot write the initial stack");
	return sp;
}

void load_init(void)
{
	size_t len;
	const char *args = bootarg("init", &len);
	if (!args) {
		args = "init";
		len = 4;
	}
	/* path is "bin/NAME", NAME the first word of args. */
	char path[68] = "bin/";
	size_t namelen = 0;
	while (namelen < len && args[namelen] != ' ' && namelen < sizeof path - 5)
		path[4 + namelen] = args[namelen], namelen++;
	path[4 + namelen] = 0;
	const uint8_t *file = NULL;
	uint64_t size = 0;
	const char *err =
		boot.initrd_end > boot.initrd_start
			? cpio_find(kva(boot.initrd_start), boot.initrd_end - boot.initrd_start,
				    path, &file, &size)
			: NULL;
	if (err) {
		kprintf("[kernel] init: the boot archive is malformed: %s\n", err);
		return;
	}
	if (!file) {
		kprintf("[kernel] init: no program %s in the boot archive\n", path);
		return;
	}
	err = elf_check(file, size, UTOP);
	if (err) {
		kprintf("[kernel] init: %s is not a RISC-V ELF64 executable: %s\n", path, err);
		return;
	}
	const struct elf64_ehdr *eh = (const void *)file;

	struct env *e;
	if (env_alloc(&e, 0) < 0)
		panic("init: cannot allocate the first env");
	const struct elf64_phdr *ph = (const void *)(file + eh->phoff);
	for (int i = 0; i < eh->phnum; i++)
		if (ph[i].type == PT_LOAD && ph[i].memsz)
			load_segment(e, file, &ph[i]);
	fence_i(); /* the code was written through the direct map */
	/* argv is everything from the program name to the end of bootargs */
	const char *end = args + strlen(args);
	e->tf.sp = build_stack(e, args, (size_t)(end - args));
	e->tf.pc = eh->entry;
	e->tf.a0 = e->tf.sp;
	env_set_status(e, ENV_RUNNABLE);
}
