/* User program link map: text at UTEXT, each segment page aligned (so a
 * loader can map text straight from the boot archive), and the TLS
 * template symbols picolibc's _init_tls wants. __global_pointer$ is not
 * defined: no code uses gp, which the library OS reserves. */
#include <exov/memlayout.h>

OUTPUT_ARCH(riscv)
ENTRY(_start)

PHDRS
{
	text PT_LOAD FLAGS(5);
	rodata PT_LOAD FLAGS(4);
	data PT_LOAD FLAGS(6);
	tls PT_TLS;
}

SECTIONS
{
	. = UTEXT;
	.text : {
		*(.text.start)
		__exec_switch_start = .;
		KEEP(*(.text.exec_switch))
		__exec_switch_end = .;
		*(.text .text.*)
	} :text
	. = ALIGN(PGSIZE);
	.rodata : {
		*(.rodata .rodata.* .srodata .srodata.*)
		. = ALIGN(8);
		PROVIDE_HIDDEN(__init_array_start = .);
		KEEP(*(SORT_BY_INIT_PRIORITY(.init_array.*)))
		KEEP(*(.init_array))
		PROVIDE_HIDDEN(__init_array_end = .);
		PROVIDE_HIDDEN(__fini_array_start = .);
		KEEP(*(SORT_BY_INIT_PRIORITY(.fini_array.*)))
		KEEP(*(.fini_array))
		PROVIDE_HIDDEN(__fini_array_end = .);
		PROVIDE_HIDDEN(__preinit_array_start = .);
		PROVIDE_HIDDEN(__preinit_array_end = .);
	} :rodata
	. = ALIGN(PGSIZE);
	.data : {
		*(.data .data.*)
		*(.sdata .sdata.*)
	} :data
	.tdata : {
		__tdata_start = .;
		*(.tdata .tdata.*)
		__tdata_end = .;
	} :data :tls
	.tbss : {
		*(.tbss .tbss.* .tcommon)
		__tbss_end = .;
	} :data :tls
	__tdata_source = __tdata_start;
	__tdata_size = __tdata_end - __tdata_start;
	__tbss_offset = ADDR(.tbss) - __tdata_start;
	__tbss_size = SIZEOF(.tbss);
	__tls_align = MAX(ALIGNOF(.tdata), ALIGNOF(.tbss));
	__tls_size = __tbss_offset + __tbss_size;
	.bss (NOLOAD) : {
		. = . + SIZEOF(.tbss);
		__bss_start = .;
		*(.sbss .sbss.* .bss .bss.* COMMON)
		. = ALIGN(8);
		__bss_end = .;
	} :data
	. = ALIGN(PGSIZE);
	end = .;
	_end = .;
	/DISCARD/ : { *(.eh_frame .eh_frame_hdr .comment .note*) }
}
