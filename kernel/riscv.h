/* The one place the kernel touches CSRs and fences: static inline wrappers. */
#ifndef KERNEL_RISCV_H
#define KERNEL_RISCV_H
#ifndef EXOV_KERNEL
#error "kernel/riscv.h is kernel-private"
#endif

#include <stdint.h>

#define SSTATUS_SIE (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define SSTATUS_FS (3UL << 13)
#define SSTATUS_FS_OFF (0UL << 13)
#define SSTATUS_FS_CLEAN (2UL << 13)
#define SSTATUS_FS_DIRTY (3UL << 13)

#define SIE_STIE (1UL << 5)
#define SCAUSE_INTERRUPT (1UL << 63)
#define IRQ_S_TIMER 5

#define SATP_SV39 (8UL << 60)

#define SCOUNTEREN_CY (1UL << 0)
#define SCOUNTEREN_TM (1UL << 1)
#define SCOUNTEREN_IR (1UL << 2)

#define CSR_READ(name)                                     \
	static inline uint64_t csr_read_##name(void)       \
	{                                                  \
		uint64_t v;                                \
		asm volatile("csrr %0, " #name : "=r"(v)); \
		return v;                                  \
	}
#define CSR_WRITE(name)                                                 \
	static inline void csr_write_##name(uint64_t v)                 \
	{                                                               \
		asm volatile("csrw " #name ", %0" ::"r"(v) : "memory"); \
	}
#define CSR_SET_CLEAR(name)                                                \
	static inline void csr_set_##name(uint64_t bits)                   \
	{                                                                  \
		asm volatile("csrs " #name ", %0" ::"r"(bits) : "memory"); \
	}                                                                  \
	static inline void csr_clear_##name(uint64_t bits)                 \
	{                                                                  \
		asm volatile("csrc " #name ", %0" ::"r"(bits) : "memory"); \
	}

CSR_READ(sstatus)
CSR_SET_CLEAR(sstatus)
CSR_SET_CLEAR(sie)
CSR_WRITE(stvec)
CSR_WRITE(sscratch)
CSR_WRITE(scounteren)
CSR_READ(sepc)
CSR_READ(scause)
CSR_READ(stval)
CSR_WRITE(satp)
CSR_READ(time)

static inline void sfence_vma_all(void)
{
	asm volatile("sfence.vma zero, zero" ::: "memory");
}

static inline void sfence_vma_page(uint64_t va)
{
	asm volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
}

/* Makes instructions stored by this hart visible to its own fetches. */
static inline void fence_i(void)
{
	asm volatile("fence.i" ::: "memory");
}

static inline void wait_for_interrupt(void)
{
	asm volatile("wfi");
}

static inline uint64_t read_stack_pointer(void)
{
	uint64_t sp;
	asm volatile("mv %0, sp" : "=r"(sp));
	return sp;
}

#endif
