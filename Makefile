# exov: build the kernel, the library OS and the apps; run them in QEMU.
#   make run            boot interactively (INIT="prog args", BOARD=virt|sifive_u)
#   make run-NAME       boot with apps/NAME.c as the first env; QEMU exits when it is done
#   make test           the pytest + pexpect suite, in parallel
#   make gdb            QEMU halted + gdb-multiarch attached (console in build/console.log)
#   make bench          instruction counts of kernel operations -> bench/results.json

CROSS   := riscv64-unknown-elf-
CC      := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
PYTHON  := /usr/bin/python3
QEMU    := qemu-system-riscv64
BUILD   := build

BOARD   ?= virt
INIT    ?= init
BOOTARGS ?=
MEM     ?= 128M
GDBPORT ?= 1234
SMP_virt := 1
SMP_sifive_u := 2
SMP_spike := 1

COMMON_CFLAGS := -mcmodel=medany -O2 -g -std=gnu11 -Wall -Wextra -Werror \
	-fno-stack-protector -fno-pic -Iinclude -I$(BUILD)/gen
KERNEL_CFLAGS := $(COMMON_CFLAGS) -march=rv64imac_zicsr_zifencei -mabi=lp64 \
	-ffreestanding -nostdlib -fno-tree-loop-distribute-patterns -DEXOV_KERNEL -Ikernel
USER_CFLAGS := $(COMMON_CFLAGS) -march=rv64gc -mabi=lp64d --specs=picolibc.specs -Ilibos/include

KERNEL_SRCS := $(wildcard kernel/*.c kernel/*.S)
KERNEL_OBJS := $(patsubst kernel/%,$(BUILD)/kernel/%.o,$(KERNEL_SRCS)) $(BUILD)/kernel/syscall_dispatch.c.o
LIBOS_SRCS  := $(wildcard libos/*.c libos/*.S)
LIBOS_OBJS  := $(patsubst libos/%,$(BUILD)/libos/%.o,$(LIBOS_SRCS))
APPS        := $(patsubst apps/%.c,%,$(wildcard apps/*.c))
APP_BINS    := $(addprefix $(BUILD)/initrd/bin/,$(APPS))
# Data files: rootfs/PATH is packed as /PATH (no Makefile edit per file).
ROOT_FILES  := $(patsubst rootfs/%,$(BUILD)/initrd/%,$(shell find rootfs -type f 2>/dev/null))
GEN_HDRS    := $(BUILD)/gen/exov/syscall_nums.h $(BUILD)/gen/exov/syscall_stubs.h

.PHONY: all deps run run-% test gdb qemu-gdb gdb-attach clean format lines \
	bench bench-check bench-plot bench-profile host-parsers
.SECONDARY:

all: $(BUILD)/kernel.bin $(BUILD)/initrd.cpio

deps:
	@scripts/install-deps.sh

# --- generated syscall interface -------------------------------------------
$(GEN_HDRS) $(BUILD)/gen/syscall_dispatch.c &: include/exov/syscalls.tbl scripts/gensyscalls.py
	@mkdir -p $(BUILD)/gen
	@$(PYTHON) scripts/gensyscalls.py $< $(BUILD)/gen

# --- kernel ------------------------------------------------------------------
$(BUILD)/kernel/%.o: kernel/% $(GEN_HDRS) Makefile
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -MMD -c $< -o $@

$(BUILD)/kernel/syscall_dispatch.c.o: $(BUILD)/gen/syscall_dispatch.c $(GEN_HDRS) Makefile
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -MMD -c $< -o $@

$(BUILD)/%.ld: linker/%.ld.S include/exov/memlayout.h
	@mkdir -p $(@D)
	@$(CC) -E -P -undef -x c -D__ASSEMBLER__ -Iinclude $< -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) $(BUILD)/kernel.ld
	@echo "  LD      $@"
	@$(CC) $(KERNEL_CFLAGS) -T $(BUILD)/kernel.ld -o $@ $(KERNEL_OBJS) -lgcc

$(BUILD)/kernel.bin: $(BUILD)/kernel.elf
	@$(OBJCOPY) -O binary $< $@

# --- library OS and apps -------------------------------------------------------
$(BUILD)/libos/%.o: libos/% $(GEN_HDRS) Makefile
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(USER_CFLAGS) -MMD -c $< -o $@

$(BUILD)/libos.a: $(LIBOS_OBJS)
	@rm -f $@
	@$(CROSS)ar rcs $@ $^

$(BUILD)/apps/%.o: apps/%.c $(GEN_HDRS) Makefile
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(USER_CFLAGS) -MMD -c $< -o $@

# stdio's output calls lock their stream throughout (libos/stdlock.c).
comma := ,
STDIO_WRAP := $(addprefix -Wl$(comma)--wrap=,vfprintf fputs puts fputc putc fwrite)

# build/apps/NAME.elf keeps the symbols (for gdb); the archive gets it stripped.
$(BUILD)/apps/%.elf: $(BUILD)/apps/%.o $(BUILD)/libos.a $(BUILD)/user.ld
	@echo "  LD      $@"
	@$(CC) $(USER_CFLAGS) -nostartfiles -static -T $(BUILD)/user.ld $(STDIO_WRAP) -o $@ $< \
		-Wl,--whole-archive $(BUILD)/libos.a -Wl,--no-whole-archive -lc -lgcc

$(BUILD)/initrd/bin/%: $(BUILD)/apps/%.elf
	@mkdir -p $(@D)
	@$(OBJCOPY) --strip-all $< $@

$(ROOT_FILES): $(BUILD)/initrd/%: rootfs/%
	@mkdir -p $(@D)
	@cp $< $@

$(BUILD)/initrd.cpio: $(APP_BINS) $(ROOT_FILES) $(shell find rootfs -type d 2>/dev/null) scripts/mkcpio.py
	@rm -f $(filter-out $(APP_BINS) $(ROOT_FILES),$(shell find $(BUILD)/initrd -type f 2>/dev/null))
	@find $(BUILD)/initrd -mindepth 1 -type d -empty -delete 2>/dev/null || true
	@echo "  CPIO    $@"
	@$(PYTHON) scripts/mkcpio.py $(BUILD)/initrd $@

# --- the parsers on the host ------------------------------------------------------
# The device tree, cpio and ELF readers of kernel and library OS are pure
# functions over (pointer, length): tests/test_parsers.py runs them here,
# under ASan and UBSan, over malformed inputs.
HOSTCC := cc
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all

host-parsers: $(BUILD)/host/kernel_parsers $(BUILD)/host/libos_parsers

$(BUILD)/host/kernel_parsers: tests/host/kernel_parsers.c kernel/fdt.c kernel/initrd.c kernel/parse.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	@$(HOSTCC) $(HOST_CFLAGS) -Ikernel -o $@ $(filter %.c,$^)

$(BUILD)/host/libos_parsers: tests/host/libos_parsers.c libos/bootfmt.c libos/include/bootfmt.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	@$(HOSTCC) $(HOST_CFLAGS) -Ilibos/include -o $@ $(filter %.c,$^)

# --- running ---------------------------------------------------------------------
QEMU_ARGS = -machine $(BOARD) -bios default -nographic -m $(MEM) -smp $(SMP_$(BOARD)) \
	-kernel $(BUILD)/kernel.bin -initrd $(BUILD)/initrd.cpio -append "$(BOOTARGS) init=$(INIT)"

run: deps all
	$(QEMU) $(QEMU_ARGS)

run-%: INIT = $*
run-%: deps all
	$(QEMU) $(QEMU_ARGS)

test: deps all
	$(PYTHON) -m pytest -n auto tests/

# --- benchmarks ------------------------------------------------------------------
# apps/bench.c under -icount: instret counts every guest instruction exactly, so
# the figures are instruction counts, the same on every run. scripts/bench.py
# runs QEMU, shows the console, writes bench/results.json and compares with the
# targets; bench-check runs twice and reports rows that differ.
BENCH_QEMU_ARGS = $(QEMU_ARGS) -icount shift=0,sleep=off

bench bench-check: INIT = bench
bench: deps all
	$(PYTHON) scripts/bench.py --out bench/results.json -- $(QEMU) $(BENCH_QEMU_ARGS)

bench-check: deps all
	$(PYTHON) scripts/bench.py --check -- $(QEMU) $(BENCH_QEMU_ARGS)

# Figures from bench/results.json into bench/*.png (needs python3-matplotlib).
bench-plot:
	@scripts/install-deps.sh python3-matplotlib
	$(PYTHON) scripts/bench_plot.py bench/results.json bench

# Where one row's instructions go, by function: ROW=name (default null_syscall).
ROW ?= null_syscall
bench-profile: INIT = bench -n 1 $(ROW)
bench-profile: deps all
	$(PYTHON) scripts/bench_profile.py --row $(ROW) -- $(QEMU) $(BENCH_QEMU_ARGS)

# QEMU halted in the background (console to build/console.log), gdb in front.
gdb: deps all
	$(QEMU) $(QEMU_ARGS) -S -gdb tcp::$(GDBPORT) -serial file:$(BUILD)/console.log -monitor none -display none & \
	gdb-multiarch -q $(BUILD)/kernel.elf -ex 'set architecture riscv:rv64' \
		-ex 'target remote localhost:$(GDBPORT)'; kill %1 2>/dev/null || true

# The same in two terminals, with the console on the first.
qemu-gdb: deps all
	$(QEMU) $(QEMU_ARGS) -S -gdb tcp::$(GDBPORT)

gdb-attach:
	gdb-multiarch -q $(BUILD)/kernel.elf -ex 'set architecture riscv:rv64' \
		-ex 'target remote localhost:$(GDBPORT)'

lines:
	@cat kernel/*.c kernel/*.h kernel/*.S | grep -cv '^[[:space:]]*$$'

format:
	clang-format -i kernel/*.c kernel/*.h libos/*.c libos/*.h libos/include/*.h apps/*.c include/exov/*.h \
		tests/host/*.c

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
