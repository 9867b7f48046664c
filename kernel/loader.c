/* Starts the first env: finds init=NAME in bootargs, loads bin/NAME from
 * the boot archive (cpio newc) and builds its psABI initial stack. */
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

static uint64_t parse_hex(const char *s, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++) {
		char c = s[i];
		v = v * 16 + (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

/* Finds a file in the newc archive: 110-byte header of 6-char magic and
 * 13 8-digit hex fields, the name, then the data, each 4-byte aligned.
 * (scripts/mkcpio.py pads names so that file data is page aligned.) */
static const uint8_t *cpio_find(const char *name, size_t namelen, uint64_t *size)
{
	const char *base = kva(boot.initrd_start);
	uint64_t off = 0, total = boot.initrd_end - boot.initrd_start;
	while (off + 110 <= total && !strncmp(base + off, "070701", 6)) {
		const char *h = base + off;
		uint64_t fsize = parse_hex(h + 54, 8), nsize = parse_hex(h + 94, 8);
		const char *fname = h + 110;
		uint64_t data = ROUNDUP(off + 110 + nsize, 4);
		if (nsize == 11 && !strncmp(fname, "TRAILER!!!", 11))
			break;
		/* The name is NUL-terminated; nsize may count padding NULs. */
		if (nsize >= namelen + 5 && !strncmp(fname, "bin/", 4) &&
		    !strncmp(fname + 4, name, namelen) && fname[4 + namelen] == 0) {
			*size = fsize;
			return (const uint8_t *)base + data;
		}
		off = ROUNDUP(data + fsize, 4);
	}
	return NULL;
}

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
#define EM_RISCV 243

static void load_segment(struct env *e, const uint8_t *file, const struct elf64_phdr *ph)
{
	uint64_t perm = (ph->flags & PF_R ? PTE_R : 0) | (ph->flags & PF_W ? PTE_R | PTE_W : 0) |
			(ph->flags & PF_X ? PTE_X : 0);
	if (ph->vaddr >= UTOP || ph->memsz > UTOP - ph->vaddr || ph->filesz > ph->memsz || !perm)
		panic("init: bad ELF segment at %lx", ph->vaddr);
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
	char name[64];
	size_t namelen = 0;
	while (namelen < len && args[namelen] != ' ' && namelen < sizeof name - 1)
		name[namelen] = args[namelen], namelen++;
	name[namelen] = 0;
	uint64_t size;
	const uint8_t *file =
		boot.initrd_end > boot.initrd_start ? cpio_find(name, namelen, &size) : NULL;
	if (!file) {
		kprintf("[kernel] init: no program bin/%s in the boot archive\n", name);
		return;
	}
	const struct elf64_ehdr *eh = (const void *)file;
	if (size < sizeof *eh || strncmp((const char *)eh->ident, "\177ELF", 4) ||
	    eh->ident[4] != 2 || eh->machine != EM_RISCV ||
	    eh->phoff + (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > size)
		panic("init: bin/%s is not a RISC-V ELF64 executable", name);

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
