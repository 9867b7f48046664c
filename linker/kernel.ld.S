/* Kernel link map: linked at KERNEL_VMA, loaded anywhere 2 MiB-aligned
 * (entry.S runs position independent until paging is on). Each part
 * starts on a page, so that boot.c can map it with its own permissions:
 * [_start, _etext) R-X, [_etext, _erodata) R--, [_erodata, _end) RW-
 * (but the guard page below the kernel stack, unmapped). */
#include <exov/memlayout.h>

OUTPUT_ARCH(riscv)
ENTRY(_start)

SECTIONS
{
	. = KERNEL_VMA;
	_start_image = .;
	.text : {
		*(.text.entry)
		*(.text .text.*)
	}
	. = ALIGN(PGSIZE);
	_etext = .;
	.rodata : {
		*(.rodata .rodata.* .srodata .srodata.*)
	}
	. = ALIGN(PGSIZE);
	_erodata = .;
	.data : {
		*(.data .data.* .sdata .sdata.*)
	}
	.bss : {
		__bss_start = .;
		*(.bss.stack)
		*(.sbss .sbss.* .bss .bss.* COMMON)
		. = ALIGN(8);
		__bss_end = .;
	}
	. = ALIGN(PGSIZE);
	_end = .;
	/DISCARD/ : { *(.eh_frame .eh_frame_hdr .comment .note*) }
}

/* boot.c maps the read-only part with one level-0 table in the direct
 * map, and the image with IMAGE_L0 (2) of them at KERNEL_VMA. */
ASSERT(_erodata - _start <= MEGASIZE, "kernel text + rodata exceed 2 MiB")
ASSERT(_end - _start <= 2 * MEGASIZE, "kernel image exceeds 4 MiB (boot.c: IMAGE_L0)")
