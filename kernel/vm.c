/* Sv39 address spaces: one per env, the user-visible views of its page
 * tables, and checked access to user memory. */
#include "kernel.h"
#include "riscv.h"

#define VIEW_LEAF (PTE_V | PTE_R | PTE_U | PTE_A)

/* The shared region (GiB 255): one level-1 table every env points to. */
static pte_t shared_l1[PT_ENTRIES] __attribute__((aligned(PGSIZE)));
static pte_t shared_l0_info[PT_ENTRIES] __attribute__((aligned(PGSIZE)));
static pte_t shared_l0_envs[PT_ENTRIES] __attribute__((aligned(PGSIZE)));

static pte_t *new_table(void)
{
	struct page *pg = page_alloc();
	if (!pg)
		return NULL;
	page_incref(pg);
	pg->pt_used = 0;
	return page_kva(pg);
}

/*
 * Scan hints: a page table's struct page keeps in pt_used one bit per
 * group of 8 entries, set whenever an entry of the group is made valid
 * and cleared only by a range unmap that finds the group empty. So a bit
 * may be set for an empty group, never clear for a valid entry: range
 * walks (fork, exec, exit) go straight to the groups in use.
 */
static inline struct page *table_page(const pte_t *table)
{
	return pa_to_page(kpa(table));
}

/* Entry i of the table whose struct page is tp may now be valid. */
static inline void mark_used(struct page *tp, unsigned i)
{
	tp->pt_used |= 1ULL << (i / 8);
}

static inline void set_slot(pte_t *slot, pte_t pte)
{
	pte_t *table = (pte_t *)ROUNDDOWN((uint64_t)slot, PGSIZE);
	*slot = pte;
	mark_used(table_page(table), slot - table);
}

/* The index of x's lowest set bit (x != 0), by a de Bruijn sequence: the
 * kernel's ISA has no count-trailing-zeros instruction. */
static unsigned lowest_bit(uint64_t x)
{
	static const uint8_t index[64] = {
		0,  1,	48, 2,	57, 49, 28, 3,	61, 58, 50, 42, 38, 29, 17, 4,
		62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
		63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
		46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,	13, 8,	7,  6,
	};
	return index[((x & -x) * 0x03f79d71b4cb0a89ULL) >> 58];
}

/* The groups of table's entries [first, last] that may hold a valid
 * entry, as a mask; FOR_USED visits their indexes in that range (two
 * loops: continue goes to the next index, break only out of the group). */
static inline uint64_t used_groups(const pte_t *table, unsigned first, unsigned last)
{
	uint64_t upto = last / 8 == 63 ? ~0ULL : (1ULL << (last / 8 + 1)) - 1;
	return table_page(table)->pt_used & upto & (~0ULL << (first / 8));
}

#define FOR_USED(i, table, first, last)                                                        \
	for (uint64_t bits_ = used_groups(table, first, last); bits_; bits_ &= bits_ - 1)      \
		for (unsigned g_ = lowest_bit(bits_), i = g_ * 8 > (first) ? g_ * 8 : (first); \
		     i <= g_ * 8 + 7 && i <= (last); i++)

static void free_table(pte_t *table)
{
	page_decref(table_page(table));
}

/* Maps kernel-owned pages read-only for users in a static table. */
static void map_shared(pte_t *l0, uint64_t va, uint64_t pa, uint64_t len)
{
	for (uint64_t off = 0; off < len; off += PGSIZE)
		l0[PT_INDEX(va + off, 0)] = PA_TO_PTE(pa + off) | VIEW_LEAF;
}

/* Maps [pa, pa+size) read-only for users at va in the shared region,
 * with level-0 tables that live as long as the kernel. */
static void map_shared_range(uint64_t va, uint64_t max, uint64_t pa, uint64_t size,
			     const char *what)
{
	if (size > max)
		panic("%s of %lu bytes exceeds its %lu-byte window", what, size, max);
	for (uint64_t off = 0; off < size; off += MEGASIZE) {
		pte_t *l0 = new_table();
		if (!l0)
			panic("out of memory mapping the %s", what);
		shared_l1[PT_INDEX(va + off, 1)] = PA_TO_PTE(kpa(l0)) | PTE_V;
		uint64_t chunk = size - off < MEGASIZE ? size - off : MEGASIZE;
		map_shared(l0, va + off, pa + off, chunk);
	}
}

void vm_init(void)
{
	shared_l1[PT_INDEX(UINFO, 1)] = PA_TO_PTE(kpa(shared_l0_info)) | PTE_V;
	map_shared(shared_l0_info, UINFO, kpa(sysinfo), PGSIZE);
	_Static_assert(sizeof(struct env_info) * NENV <= MEGASIZE, "env table fits one L0 table");
	shared_l1[PT_INDEX(UENVS, 1)] = PA_TO_PTE(kpa(shared_l0_envs)) | PTE_V;
	map_shared(shared_l0_envs, UENVS, kpa(env_table),
		   ROUNDUP(sizeof(struct env_info) * NENV, PGSIZE));

	uint64_t size =
		boot.initrd_end > boot.initrd_start ? boot.initrd_end - boot.initrd_start : 0;
	if (boot.initrd_start % PGSIZE)
		panic("initrd at %lx is not page aligned", boot.initrd_start);
	map_shared_range(UINITRD, UINITRD_MAX, boot.initrd_start, ROUNDUP(size, PGSIZE), "initrd");
	map_shared_range(UPAGES, UPAGES_MAX, kpa(pages),
			 ROUNDUP(sysinfo->npages * sizeof(struct page), PGSIZE), "page array");
	sysinfo->initrd_size = size;
	kernel_root[PT_INDEX(USHARED, 2)] = PA_TO_PTE(kpa(shared_l1)) | PTE_V;
}

/* Returns the leaf slot for va in e's tables, or NULL when a table on the
 * way is missing (and create is false, or memory ran out). */
static pte_t *walk(struct env *e, uint64_t va, bool create);

/* For va < UTOP a new level-1 or level-0 table is also mapped read-only
 * in the env's UVPMD or UVPT view. The view's own slot is made first, so
 * running out of memory never leaves a table without its view. */
static pte_t *view_slot(struct env *e, uint64_t va, int new_level)
{
	uint64_t view = new_level == 1 ? UVPMD + (va >> 30) * PGSIZE : UVPT + (va >> 21) * PGSIZE;
	return walk(e, view, true);
}

/* walk's slow part: makes the missing tables on the way (and their
 * views), out of line so that a walk through existing tables needs no
 * stack frame. */
static __attribute__((noinline)) pte_t *walk_create(struct env *e, uint64_t va)
{
	pte_t *table = e->root;
	for (int level = 2; level > 0; level--) {
		pte_t *slot = &table[PT_INDEX(va, level)];
		if (!(*slot & PTE_V)) {
			pte_t *view = va < UTOP ? view_slot(e, va, level - 1) : NULL;
			if (va < UTOP && !view)
				return NULL;
			pte_t *t = new_table();
			if (!t)
				return NULL;
			set_slot(slot, PA_TO_PTE(kpa(t)) | PTE_V);
			if (view)
				set_slot(view, PA_TO_PTE(kpa(t)) | VIEW_LEAF);
		}
		table = table_of(*slot);
	}
	return &table[PT_INDEX(va, 0)];
}

static inline pte_t *walk(struct env *e, uint64_t va, bool create)
{
	pte_t *slot = pt_leaf_slot(e->root, va);
	/* The tables are there, as a rule. Saying so keeps GCC's registers
	 * in the per-page loops that inline this walk (fork's) unspilled. */
	return __builtin_expect(slot || !create, 1) ? slot : walk_create(e, va);
}

int vm_create(struct env *e)
{
	pte_t *root = new_table();
	if (!root)
		return -E_NO_MEM;
	/* The shared region, then the kernel half (a 64-byte multiple: the
	 * fast memcpy). */
	root[PT_INDEX(USHARED, 2)] = kernel_root[PT_INDEX(USHARED, 2)];
	_Static_assert(PT_INDEX(USHARED, 2) == PT_ENTRIES / 2 - 1, "USHARED: the last user GiB");
	memcpy(&root[PT_ENTRIES / 2], &kernel_root[PT_ENTRIES / 2], PGSIZE / 2);
	e->root = root;
	e->leaf_va = NO_LEAF;
	e->satp = SATP_SV39 | (kpa(root) >> PGSHIFT);
	pte_t *slot = walk(e, UVPGD, true);
	if (!slot) {
		vm_destroy(e); /* the tables walk made on the way, and the root */
		return -E_NO_MEM;
	}
	set_slot(slot, PA_TO_PTE(kpa(root)) | VIEW_LEAF);
	return 0;
}

/* Frees every page table and drops every user page reference. The views
 * (GiB 254) map page-table pages, which are freed once, as tables. */
void vm_destroy(struct env *e)
{
	if (e == curenv) { /* never free the tables the hart is using */
		csr_write_satp(SATP_SV39 | (kpa(kernel_root) >> PGSHIFT));
		sfence_vma_all();
	}
	pte_t *root = e->root;
	e->leaf_va = NO_LEAF;
	FOR_USED (g, root, 0, PT_INDEX(USHARED, 2) - 1) {
		if (!(root[g] & PTE_V))
			continue;
		pte_t *l1 = table_of(root[g]);
		FOR_USED (m, l1, 0, PT_ENTRIES - 1) {
			if (!(l1[m] & PTE_V))
				continue;
			pte_t *l0 = table_of(l1[m]);
			if (g < PT_INDEX(UTOP, 2)) { /* user pages; above, the views */
				FOR_USED (i, l0, 0, PT_ENTRIES - 1) {
					if (l0[i] & PTE_V)
						page_decref(pa_to_page(PTE_PA(l0[i])));
				}
			}
			free_table(l0);
		}
		free_table(l1);
	}
	free_table(e->root);
	e->root = NULL;
}

pte_t *vm_lookup(struct env *e, uint64_t va)
{
	pte_t *pte = walk(e, va, false);
	return pte && (*pte & PTE_V) ? pte : NULL;
}

/* Maps pg at va with perm (already checked), replacing any old mapping.
 * Mapping the page already there (a new perm, or IPC passing one page
 * back and forth) leaves its count and the scan hint (set for a valid
 * entry) as they are. */
int vm_map(struct env *e, uint64_t va, struct page *pg, uint64_t perm)
{
	pte_t *pte = walk(e, va, true);
	if (!pte)
		return -E_NO_MEM;
	upcall_fast_mapping_changed(e, va, va + PGSIZE);
	pte_t old = *pte, new = PA_TO_PTE(page_to_pa(pg)) | USER_LEAF(perm);
	if (!(old & PTE_V)) {
		page_incref(pg);
		set_slot(pte, new);
	} else {
		if (PTE_PA(old) != PTE_PA(new)) {
			page_incref(pg);
			page_decref(pa_to_page(PTE_PA(old)));
		}
		*pte = new;
	}
	if (e == curenv)
		sfence_vma_page(va);
	return 0;
}

void vm_unmap(struct env *e, uint64_t va)
{
	pte_t *pte = vm_lookup(e, va);
	if (!pte)
		return;
	upcall_fast_mapping_changed(e, va, va + PGSIZE);
	page_decref(pa_to_page(PTE_PA(*pte)));
	*pte = 0;
	if (e == curenv)
		sfence_vma_page(va);
}

/* 0 if every byte of [va, va+len) is mapped user memory below UTOP with
 * all the PTE bits in need; -E_FAULT otherwise. */
int user_check(struct env *e, uint64_t va, uint64_t len, uint64_t need)
{
	if (len == 0)
		return 0;
	if (va >= UTOP || len > UTOP - va)
		return -E_FAULT;
	need |= PTE_V | PTE_U;
	for (uint64_t p = ROUNDDOWN(va, PGSIZE); p < va + len; p += PGSIZE) {
		pte_t *pte = vm_lookup(e, p);
		if (!pte || (*pte & need) != need)
			return -E_FAULT;
	}
	return 0;
}

/* Copies through the direct map, a page at a time; checks first, so a
 * bad range changes nothing. */
static int copy_user(struct env *e, uint64_t va, void *kbuf, uint64_t len, bool to_user)
{
	int r = user_check(e, va, len, to_user ? PTE_R | PTE_W : PTE_R);
	if (r < 0)
		return r;
	char *k = kbuf;
	while (len) {
		uint64_t off = va % PGSIZE, n = PGSIZE - off < len ? PGSIZE - off : len;
		char *u = (char *)kva(PTE_PA(*vm_lookup(e, va))) + off;
		if (to_user)
			memcpy(u, k, n);
		else
			memcpy(k, u, n);
		va += n, k += n, len -= n;
	}
	return 0;
}

int copy_from_user(struct env *e, void *dst, uint64_t va, uint64_t len)
{
	return copy_user(e, va, dst, len, false);
}

int copy_to_user(struct env *e, uint64_t va, const void *src, uint64_t len)
{
	return copy_user(e, va, (void *)src, len, true);
}

/* vm_map_range's work within one 2 MiB chunk [va, end) of src's level-0
 * table src_l0: each valid page goes to va + delta in dst, whose table
 * is found on first need. */
static int map_chunk(pte_t *src_l0, struct env *dst, uint64_t va, uint64_t end, uint64_t delta,
		     int flags)
{
	uint64_t chunk = ROUNDDOWN(va, MEGASIZE);
	pte_t *dst_l0 = NULL;
	struct page *dst_hint = NULL;
	uint64_t dst_chunk = 0;
	unsigned last = PT_INDEX(end - 1, 0);
	FOR_USED (i, src_l0, PT_INDEX(va, 0), last) {
		pte_t *sp = &src_l0[i], pte = *sp;
		if (!(pte & PTE_V))
			continue;
		if ((flags & MAP_RANGE_COW) && (pte & (PTE_W | PTE_COW)) && !(pte & PTE_SHARE))
			*sp = pte = (pte & ~(pte_t)PTE_W) | PTE_COW;
		uint64_t dva = chunk + ((uint64_t)i << PGSHIFT) + delta;
		if (!dst_l0 || ROUNDDOWN(dva, MEGASIZE) != dst_chunk) {
			pte_t *slot = walk(dst, dva, true);
			if (!slot)
				return -E_NO_MEM;
			dst_l0 = slot - PT_INDEX(dva, 0);
			dst_hint = table_page(dst_l0);
			dst_chunk = ROUNDDOWN(dva, MEGASIZE);
		}
		if (flags & MAP_RANGE_COPY) {
			struct page *copy = page_take();
			if (!copy)
				return -E_NO_MEM;
			memcpy(page_kva(copy), kva(PTE_PA(pte)), PGSIZE);
			pte_t bits = PTE_FLAGS(pte) & ~(pte_t)(PTE_SHARE | PTE_COW);
			pte = PA_TO_PTE(page_to_pa(copy)) | bits | (pte & PTE_COW ? PTE_W : 0);
		}
		unsigned di = PT_INDEX(dva, 0);
		pte_t *dp = &dst_l0[di];
		page_incref(pa_to_page(PTE_PA(pte)));
		if (*dp & PTE_V)
			page_decref(pa_to_page(PTE_PA(*dp)));
		*dp = pte;
		mark_used(dst_hint, di); /* set_slot, with the table's page known */
		if (flags & MAP_RANGE_MOVE) {
			page_decref(pa_to_page(PTE_PA(pte)));
			*sp = 0;
		}
	}
	return 0;
}

/* Calls fn on each 2 MiB chunk of e's [lo, hi) that has a level-0 table
 * (clipped to [lo, hi)), going by the scan hints a level up; stops at
 * the first error. lo < hi <= UTOP. */
static int foreach_chunk(struct env *e, uint64_t lo, uint64_t hi,
			 int (*fn)(pte_t *l0, uint64_t va, uint64_t end, void *arg), void *arg)
{
	unsigned last_g = PT_INDEX(hi - 1, 2);
	FOR_USED (g, e->root, PT_INDEX(lo, 2), last_g) {
		if (!(e->root[g] & PTE_V))
			continue;
		pte_t *l1 = table_of(e->root[g]);
		uint64_t giga = (uint64_t)g << 30;
		unsigned first_m = lo > giga ? PT_INDEX(lo, 1) : 0;
		unsigned last_m =
			hi - 1 < giga + GIGASIZE - 1 ? PT_INDEX(hi - 1, 1) : PT_ENTRIES - 1;
		FOR_USED (m, l1, first_m, last_m) {
			if (!(l1[m] & PTE_V))
				continue;
			uint64_t va = giga + ((uint64_t)m << 21), end = va + MEGASIZE;
			int r = fn(table_of(l1[m]), va > lo ? va : lo, end < hi ? end : hi, arg);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

struct map_range_args {
	struct env *dst;
	uint64_t delta;
	int flags;
};

static int map_range_chunk(pte_t *l0, uint64_t va, uint64_t end, void *arg)
{
	struct map_range_args *a = arg;
	return map_chunk(l0, a->dst, va, end, a->delta, a->flags);
}

/*
 * For every page mapped in src's [lo, hi), maps the same page at va +
 * delta in dst (replacing what dst had there), with the same bits; with
 * MAP_RANGE_COW, writable or PTE_COW pages that are not PTE_SHARE become
 * PTE_COW without W, in both; with MAP_RANGE_MOVE, src's mapping goes;
 * with MAP_RANGE_COPY, dst gets a private copy of each page instead.
 * Walks src's tables directly: fork in one crossing. On -E_NO_MEM a
 * prefix is done.
 */
int vm_map_range(struct env *src, struct env *dst, uint64_t lo, uint64_t hi, uint64_t delta,
		 int flags)
{
	struct map_range_args args = {dst, delta, flags};
	if (flags & (MAP_RANGE_COW | MAP_RANGE_MOVE))
		upcall_fast_mapping_changed(src, lo, hi);
	upcall_fast_mapping_changed(dst, lo + delta, hi + delta);
	int r = foreach_chunk(src, lo, hi, map_range_chunk, &args);
	if (src == curenv || dst == curenv)
		sfence_vma_all();
	return r;
}

/* A level-0 table emptied by a range unmap that covered its whole chunk
 * goes, with its UVPT view, so later walks skip the chunk a level up. */
static void free_empty_chunk(struct env *e, pte_t *l0, uint64_t va)
{
	e->leaf_va = NO_LEAF;
	table_of(e->root[PT_INDEX(va, 2)])[PT_INDEX(va, 1)] = 0;
	pte_t *view = vm_lookup(e, UVPT + (va >> 21) * PGSIZE);
	if (view)
		*view = 0;
	free_table(l0);
}

/* Whether the 8 entries from p on are all invalid. */
static bool eight_empty(const pte_t *p)
{
	return !((p[0] | p[1] | p[2] | p[3] | p[4] | p[5] | p[6] | p[7]) & PTE_V);
}

static int unmap_chunk(pte_t *l0, uint64_t va, uint64_t end, void *arg)
{
	unsigned last = PT_INDEX(end - 1, 0);
	struct page *hint = table_page(l0);
	FOR_USED (i, l0, PT_INDEX(va, 0), last) {
		if (l0[i] & PTE_V) {
			page_decref(pa_to_page(PTE_PA(l0[i])));
			l0[i] = 0;
		}
		if (i % 8 == 7 && eight_empty(&l0[i - 7]))
			hint->pt_used &= ~(1ULL << (i / 8));
	}
	if (va % MEGASIZE == 0 && end - va == MEGASIZE)
		free_empty_chunk(arg, l0, va);
	return 0;
}

/* Unmaps every page in e's [lo, hi). */
void vm_unmap_range(struct env *e, uint64_t lo, uint64_t hi)
{
	upcall_fast_mapping_changed(e, lo, hi);
	foreach_chunk(e, lo, hi, unmap_chunk, e);
	if (e == curenv)
		sfence_vma_all();
}
