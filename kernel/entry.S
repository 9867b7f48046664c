/*
 * Kernel entry from the SBI firmware.
 *
 * Contract on entry (SBI boot protocol): S-mode, paging off, interrupts
 * off, a0 = this hart's id, a1 = physical address of the device tree. The
 * image runs wherever the firmware loaded it (any 2 MiB-aligned address):
 * code is position independent (medany), so until paging is on every
 * symbol resolves to its physical address.
 *
 *   physical                        virtual, after the switch
 *   load_pa + size  +------------+  KERNEL_VMA + size
 *                   | bss: stack |
 *                   | data       |
 *                   | text       |
 *   load_pa ------> +------------+  KERNEL_VMA
 */
#include <exov/memlayout.h>

	.section .text.entry
	.globl _start
_start:
	la	sp, boot_stack_top	/* physical: pc-relative */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	mv	s0, a0
	mv	s1, a1
	la	a0, _start
	call	boot_paging		/* returns the satp value */
	csrw	satp, a0
	sfence.vma zero, zero
	/* Now at the same physical pc through the boot identity map; jump to
	 * the link-time (virtual) addresses. */
	ld	sp, boot_stack_top_va
	ld	t0, kernel_main_va
	mv	a0, s0
	mv	a1, s1
	mv	s0, zero		/* backtraces stop here */
	jr	t0

	.section .rodata
	.balign 8
kernel_main_va:
	.dword	kernel_main
boot_stack_top_va:
	.dword	boot_stack_top

/*
 * The kernel stack, with an unmapped guard page below it (boot.c) so that
 * an overflow traps; trap.S then moves to the emergency stack above it,
 * which holds only the overflow's panic.
 *
 *   emergency_stack_top  +-----------------+
 *                        | emergency stack |  1 page
 *   boot_stack_top ----> +-----------------+
 *                        | kernel stack    |  4 pages
 *   boot_stack --------> +-----------------+
 *                        | guard           |  1 page, unmapped
 *   boot_stack_guard --> +-----------------+
 */
	.section .bss.stack
	.balign PGSIZE
	.globl boot_stack_guard, boot_stack, boot_stack_top, emergency_stack_top
boot_stack_guard:
	.space	PGSIZE
boot_stack:
	.space	4 * PGSIZE
boot_stack_top:
	.space	PGSIZE
emergency_stack_top:
