/* fpswitch: two envs fill all 32 FP registers with their own values,
 * yield to each other many times, and check nothing changed: the kernel
 * saves F/D state per env. */
#include <stdio.h>

#include "libos.h"

#define ROUNDS 50

/* Loads f0..f31 with seed + n, yields, and returns how many differ. */
static int fill_yield_check(uint64_t seed)
{
	uint64_t in[32], out[32];
	for (int i = 0; i < 32; i++)
		in[i] = seed + (uint64_t)i;
	asm volatile(
#define LD(n) "fld f" #n ", " #n "*8(%0)\n"
		LD(0) LD(1) LD(2) LD(3) LD(4) LD(5) LD(6) LD(7) LD(8) LD(9) LD(10) LD(11) LD(12)
			LD(13) LD(14) LD(15) LD(16) LD(17) LD(18) LD(19) LD(20) LD(21) LD(22) LD(23)
				LD(24) LD(25) LD(26) LD(27) LD(28) LD(29) LD(30)
					LD(31) "li a7, %2\n"
					       "ecall\n"
#define SD(n) "fsd f" #n ", " #n "*8(%1)\n"
		SD(0) SD(1) SD(2) SD(3) SD(4) SD(5) SD(6) SD(7) SD(8) SD(9) SD(10) SD(11) SD(12)
			SD(13) SD(14) SD(15) SD(16) SD(17) SD(18) SD(19) SD(20) SD(21) SD(22) SD(23)
				SD(24) SD(25) SD(26) SD(27) SD(28) SD(29) SD(30) SD(31)
		:
		: "r"(in), "r"(out), "i"(SYS_yield)
		: "memory", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "t0", "t1", "t2", "t3",
		  "t4", "t5", "t6", "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9",
		  "f10", "f11", "f12", "f13", "f14", "f15", "f16", "f17", "f18", "f19", "f20",
		  "f21", "f22", "f23", "f24", "f25", "f26", "f27", "f28", "f29", "f30", "f31");
	int bad = 0;
	for (int i = 0; i < 32; i++)
		bad += out[i] != in[i];
	return bad;
}

int main(void)
{
	envid_t child = dumbfork();
	uint64_t seed = child == 0 ? 0x1111000000000000ULL : 0x2222000000000000ULL;
	int bad = 0;
	for (int r = 0; r < ROUNDS; r++)
		bad += fill_yield_check(seed + (uint64_t)r * 64);
	double x = 1.0;
	for (int i = 0; i < 10; i++)
		x = x * 1.5 + (child ? 1 : 2);
	printf("%s: %d FP registers changed across %d yields; x = %.3f\n",
	       child ? "parent" : "child", bad, ROUNDS, x);
	if (child)
		wait_env(child, NULL);
	return 0;
}
