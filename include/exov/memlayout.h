/* exov ABI: the virtual memory layout every address space shares, for C and assembly. */
#ifndef EXOV_MEMLAYOUT_H
#define EXOV_MEMLAYOUT_H

#ifdef __ASSEMBLER__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

#define PGSHIFT 12
#define PGSIZE (_UL(1) << PGSHIFT)
#define MEGASIZE (_UL(1) << 21) /* what one level-0 page table covers */
#define GIGASIZE (_UL(1) << 30) /* what one level-1 page table covers */

/*
 * Sv39: 39-bit virtual addresses; the lower half (user) is
 * [0, 0x40_0000_0000), the upper half (kernel) starts at 0xffff_ffc0_0000_0000.
 *
 *  virtual address                                     perm (kernel/user)
 *  0xffff_ffff_ffff_ffff +--------------------------+
 *                        | kernel image: text,      |  R-X / --, R-- / --,
 *                        | rodata, data+bss         |  RW- / --  (W^X)
 *  KERNEL_VMA ---------> +--------------------------+  0xffff_ffff_c000_0000
 *                        | direct map of physical   |  RW- / --  (the image's
 *                        | addresses 0 .. 254 GiB   |  text, rodata: R-- / --)
 *  DIRECT_MAP ---------> +--------------------------+  0xffff_ffc0_0000_0000
 *                        :   (not canonical Sv39)   :
 *  0x0000_0040_0000_0000 +--------------------------+
 *                        | UINITRD: boot archive    |  R-- / R--   shared
 *  UINITRD ------------> +--------------------------+  0x3f_d000_0000
 *                        :                          :
 *                        | UPAGES: page ref counts  |  RW- / R--   shared
 *  UPAGES -------------> +--------------------------+  0x3f_c100_0000
 *                        | UENVS: env table         |  RW- / R--   shared
 *  UENVS --------------> +--------------------------+  0x3f_c020_0000
 *                        | UINFO: system info page  |  RW- / R--   shared
 *  UINFO = USHARED ----> +--------------------------+  0x3f_c000_0000
 *                        :                          :
 *                        | UVPGD: root page table   |  RW- / R--   per env
 *  UVPGD --------------> +--------------------------+  0x3f_a010_0000
 *                        | UVPMD: level-1 tables    |  RW- / R--   per env
 *  UVPMD --------------> +--------------------------+  0x3f_a000_0000
 *                        | UVPT: level-0 tables as  |  RW- / R--   per env
 *                        | one linear PTE array     |
 *  UVPT = UTOP --------> +--------------------------+  0x3f_8000_0000
 *                        | exception stack          |  RW- / RW-  (libos)
 *  UXSTACKTOP - PGSIZE   +--------------------------+
 *                        :      (guard)             :
 *  USTACKTOP ----------> +--------------------------+  0x3f_7fff_0000
 *                        | normal user stack        |  RW- / RW-  (libos)
 *                        v                          v
 *                        :  free for the library OS :
 *                        ^  (heap, mappings, ...)   ^
 *                        | program text, data, bss  |
 *  UTEXT --------------> +--------------------------+  0x80_0000
 *                        :  unmapped (null guard)   :
 *  0 ------------------> +--------------------------+
 *
 * Everything below UTOP belongs to the env and the library OS. Above UTOP
 * the kernel maps read-only views: of this env's own page tables (per env)
 * and of kernel state every env may read (shared by all envs).
 */
#define UTEXT _UL(0x800000)
#define UTOP _UL(0x3f80000000)
#define UXSTACKTOP UTOP
#define USTACKTOP (UTOP - _UL(0x10000))

/*
 * Page-table views. RISC-V has no recursive page-table trick (a non-leaf
 * PTE cannot be read as a leaf), so the kernel maps each page-table page
 * read-only a second time:
 *   uvpt[va >> 12]   is the level-0 PTE (the leaf) for a 4 KiB page of va,
 *   uvpmd[va >> 21]  is the level-1 PTE covering va (V set: uvpt slot exists),
 *   uvpgd[va >> 30]  is the root PTE covering va (V set: uvpmd slot exists).
 * Read uvpgd, then uvpmd, then uvpt: each is mapped exactly when the level
 * above it says V. All three are O(1) loads, no system call.
 */
#define UVPT UTOP
#define UVPMD _UL(0x3fa0000000)
#define UVPGD _UL(0x3fa0100000)

/* Shared read-only views of kernel state (the same pages in every env). */
#define USHARED _UL(0x3fc0000000)
#define UINFO USHARED
#define UENVS _UL(0x3fc0200000)
#define UPAGES _UL(0x3fc1000000)
#define UPAGES_MAX (_UL(0x3fd0000000) - UPAGES)
#define UINITRD _UL(0x3fd0000000)
#define UINITRD_MAX (_UL(0x4000000000) - UINITRD)

/* Kernel half. */
#define DIRECT_MAP _UL(0xffffffc000000000)
#define DIRECT_MAP_SIZE (_UL(254) << 30)
#define KERNEL_VMA _UL(0xffffffffc0000000)

#endif
