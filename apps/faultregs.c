/* faultregs: every integer register (but x0 and gp) and every FP register
 * and fcsr hold distinct known values when a store page-faults; the
 * handler maps the page (plainly, while using FP heavily, and while
 * taking a nested fault of its own), and every register must be intact
 * when the store resumes. The handler also checks the frame it got. */
#include <stdio.h>

#include "libos.h"

struct regs {
	uint64_t x[32]; /* x[0] unused; x[3] (gp) is not checked */
	uint64_t f[32];
	uint64_t fcsr;
};

/* Used by the assembly below, hence global. */
struct regs faultregs_want, faultregs_got;
uint64_t faultregs_saved[15]; /* ra, sp, tp, s0..s11 of the caller */

/*
 * faultregs_run(): saves the caller's callee-saved registers, loads every
 * register from faultregs_want (x31, the base, last: it is the address
 * that faults), stores x30 through x31, and right after that stores every
 * register to faultregs_got. gp is free to use as the base there: the
 * upcall return has just overwritten it (it is reserved for that).
 */
#define XREGS "1,2,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30"
#define FREGS                                                                                 \
	"0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30," \
	"31"
#define SAVED "ra,sp,tp,s0,s1,s2,s3,s4,s5,s6,s7,s8,s9,s10,s11"
__asm__(".text\n"
	".globl faultregs_run\n"
	".type faultregs_run, @function\n"
	"faultregs_run:\n"
	"	la	t0, faultregs_saved\n"
	"	.set	fr_off, 0\n"
	"	.irp	r, " SAVED "\n"
	"	sd	\\r, fr_off(t0)\n"
	"	.set	fr_off, fr_off + 8\n"
	"	.endr\n"
	"	la	t6, faultregs_want\n"
	"	.irp	n, " FREGS "\n"
	"	fld	f\\n, 256 + \\n * 8(t6)\n"
	"	.endr\n"
	"	ld	t0, 512(t6)\n"
	"	fscsr	t0\n"
	"	.irp	n, " XREGS "\n"
	"	ld	x\\n, \\n * 8(t6)\n"
	"	.endr\n"
	"	ld	x31, 31 * 8(x31)\n"
	"	.globl	faultregs_insn\n"
	"faultregs_insn:\n"
	"	sd	x30, 0(x31)\n"
	"	la	gp, faultregs_got\n"
	"	.irp	n, " XREGS ",31\n"
	"	sd	x\\n, \\n * 8(gp)\n"
	"	.endr\n"
	"	.irp	n, " FREGS "\n"
	"	fsd	f\\n, 256 + \\n * 8(gp)\n"
	"	.endr\n"
	"	frcsr	t0\n"
	"	sd	t0, 512(gp)\n"
	"	la	t0, faultregs_saved\n"
	"	.set	fr_off, 0\n"
	"	.irp	r, " SAVED "\n"
	"	ld	\\r, fr_off(t0)\n"
	"	.set	fr_off, fr_off + 8\n"
	"	.endr\n"
	"	ret\n"
	".size faultregs_run, . - faultregs_run\n");
void faultregs_run(void);
extern char faultregs_insn[];

#define FAULT_VA 0x50000000UL  /* the store's page; a new one per run */
#define NESTED_VA 0x51000000UL /* the handler's own fault, in "nested" */

enum mode { PLAIN, FP_HEAVY, NESTED };
static const char *const mode_names[] = {"plain handler", "FP-heavy handler", "nested fault"};

static enum mode mode;
static uintptr_t fault_va;
static uint64_t real_tp;
static int upcalls, frame_bad;
static double fp_result;

static void map_page(uintptr_t va)
{
	int r = sys_page_alloc(0, ROUNDDOWN(va, PGSIZE), PTE_R | PTE_W);
	if (r < 0)
		panic("sys_page_alloc %lx: %s", (unsigned long)va, exov_strerror(r));
}

/* Counts the ways the frame differs from what the store had. */
static int check_frame(const struct upcall_frame *uf)
{
	const uint64_t *x = (const uint64_t *)&uf->tf; /* x_n at index n; index 0 is the pc */
	int bad = 0;
	for (int n = 1; n < 32; n++)
		if (n != 3 && x[n] != faultregs_want.x[n]) {
			printf("faultregs: frame x%d = %lx, want %lx\n", n, (unsigned long)x[n],
			       (unsigned long)faultregs_want.x[n]);
			bad++;
		}
	if (uf->tf.pc != (uintptr_t)faultregs_insn || uf->cause != CAUSE_STORE_PAGE_FAULT ||
	    uf->tval != fault_va) {
		printf("faultregs: frame pc %lx cause %lu tval %lx\n", (unsigned long)uf->tf.pc,
		       (unsigned long)uf->cause, (unsigned long)uf->tval);
		bad++;
	}
	return bad;
}

static void handler(struct upcall_frame *uf)
{
	/* printf may use TLS, and tp may hold the test's value. */
	asm volatile("mv tp, %0" ::"r"(real_tp));
	upcalls++;
	if (uf->tval == NESTED_VA) { /* the nested fault, from below */
		map_page(NESTED_VA);
		return;
	}
	frame_bad += check_frame(uf);
	if (mode == FP_HEAVY) {
		double x = 0;
		for (int i = 1; i <= 200; i++)
			x += (double)i / (i + 1.5) * 1.25 + (float)i * 0.5f;
		fp_result = x;
		printf("faultregs: the handler computed %.6f\n", x);
	}
	if (mode == NESTED) {
		*(volatile uint64_t *)NESTED_VA = 1; /* faults; this handler maps it */
		sys_page_unmap(0, NESTED_VA);
	}
	map_page(uf->tval);
}

static void fill_want(enum mode m)
{
	for (int n = 0; n < 32; n++) {
		faultregs_want.x[n] = 0x5a00000000000000UL | (uint64_t)m << 48 | (uint64_t)n << 40 |
				      (uint64_t)n * 0x01010101UL;
		faultregs_want.f[n] = 0x3ff0000000000000UL | (uint64_t)m << 44 | (uint64_t)n << 36 |
				      (uint64_t)(n + 1) * 0x10203UL;
	}
	faultregs_want.x[31] = fault_va;
	/* frm 1 (round towards zero, a valid mode: the handler computes
	 * with it) and the NV, OF and NX flags. */
	faultregs_want.fcsr = 1 << 5 | 0x15;
}

static int run(enum mode m)
{
	mode = m;
	fault_va = FAULT_VA + (uintptr_t)m * PGSIZE;
	fill_want(m);
	upcalls = frame_bad = 0;
	memset(&faultregs_got, 0, sizeof faultregs_got);
	faultregs_run();
	int bad = frame_bad;
	for (int n = 1; n < 32; n++)
		if (n != 3 && faultregs_got.x[n] != faultregs_want.x[n]) {
			printf("faultregs: %s: x%d = %lx, want %lx\n", mode_names[m], n,
			       (unsigned long)faultregs_got.x[n],
			       (unsigned long)faultregs_want.x[n]);
			bad++;
		}
	for (int n = 0; n < 32; n++)
		if (faultregs_got.f[n] != faultregs_want.f[n]) {
			printf("faultregs: %s: f%d = %lx, want %lx\n", mode_names[m], n,
			       (unsigned long)faultregs_got.f[n],
			       (unsigned long)faultregs_want.f[n]);
			bad++;
		}
	if (faultregs_got.fcsr != faultregs_want.fcsr) {
		printf("faultregs: %s: fcsr = %lx, want %lx\n", mode_names[m],
		       (unsigned long)faultregs_got.fcsr, (unsigned long)faultregs_want.fcsr);
		bad++;
	}
	uint64_t stored = *(volatile uint64_t *)fault_va;
	if (stored != faultregs_want.x[30]) {
		printf("faultregs: %s: the store wrote %lx, want %lx\n", mode_names[m],
		       (unsigned long)stored, (unsigned long)faultregs_want.x[30]);
		bad++;
	}
	int want_upcalls = m == NESTED ? 2 : 1;
	if (upcalls != want_upcalls) {
		printf("faultregs: %s: %d upcalls, want %d\n", mode_names[m], upcalls,
		       want_upcalls);
		bad++;
	}
	sys_page_unmap(0, fault_va);
	if (bad == 0)
		printf("faultregs: %s: all registers intact\n", mode_names[m]);
	return bad;
}

int main(void)
{
	asm volatile("mv %0, tp" : "=r"(real_tp));
	set_pgfault_handler(handler);
	int bad = 0;
	for (enum mode m = PLAIN; m <= NESTED; m++)
		bad += run(m);
	if (bad)
		printf("faultregs: %d mismatches\n", bad);
	else
		printf("faultregs: all registers intact\n");
	return bad != 0;
}
