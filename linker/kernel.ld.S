/* Kernel link map: linked at KERNEL_VMA, loaded anywhere 2 MiB-aligned
 * (entry.S runs position independent until paging is on). */
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
		_etext = .;
	}
	.rodata : {
		*(.rodata .rodata.* .srodata .srodata.*)
	}
	. = ALIGN(PGSIZE);
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
