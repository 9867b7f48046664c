/* exov ABI: Sv39 page-table entry bits and address arithmetic. */
#ifndef EXOV_MMU_H
#define EXOV_MMU_H

#include <exov/memlayout.h>

/* Hardware PTE bits (RISC-V privileged spec, Sv39). */
#define PTE_V (1 << 0) /* valid */
#define PTE_R (1 << 1) /* readable */
#define PTE_W (1 << 2) /* writable: never without R */
#define PTE_X (1 << 3) /* executable */
#define PTE_U (1 << 4) /* user-accessible: every user mapping has it */
#define PTE_G (1 << 5) /* global (kernel only) */
#define PTE_A (1 << 6) /* accessed: the kernel sets it when mapping */
#define PTE_D (1 << 7) /* dirty: the kernel sets it when mapping */

/* The two RSW bits belong to the library OS; the kernel stores them as is. */
#define PTE_COW (1 << 8)   /* copy-on-write */
#define PTE_SHARE (1 << 9) /* stays shared across fork */

/* What user space may pass as perm to page_alloc, page_map, ipc_try_send.
 * At least one of R or X must be set, W needs R; V and U are implied. */
#define PTE_SYSCALL (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_COW | PTE_SHARE)

/* page_map_range flags. With MAP_RANGE_COW, the one place the kernel
 * reads the RSW bits: a page with W or PTE_COW and without PTE_SHARE
 * becomes copy-on-write (W off, PTE_COW on) in both address spaces. With
 * MAP_RANGE_MOVE the source pages are unmapped afterwards. With
 * MAP_RANGE_COPY the destination gets a private copy of each page
 * (PTE_COW becomes W, PTE_SHARE goes): fork's copy of the stack page. */
#define MAP_RANGE_COW 1
#define MAP_RANGE_MOVE 2
#define MAP_RANGE_COPY 4

#define PTE_PPN_SHIFT 10
#define PTE_PA(pte) (((pte) >> PTE_PPN_SHIFT) << PGSHIFT)
#define PTE_FLAGS(pte) ((pte)&0x3ff)
#define PA_TO_PTE(pa) (((pa) >> PGSHIFT) << PTE_PPN_SHIFT)

/* Index of va in the page table of a level (2 = root, 0 = leaf). */
#define PT_INDEX(va, level) (((va) >> (PGSHIFT + 9 * (level))) & 0x1ff)
#define PT_ENTRIES 512

#define ROUNDDOWN(a, n) ((a) & ~((n)-1))
#define ROUNDUP(a, n) ROUNDDOWN((a) + (n)-1, n)

#ifndef __ASSEMBLER__
#include <stdint.h>
typedef uint64_t pte_t;
#endif

#endif
