/* initcheck: the spawn lab's init: checks that its initialized data and
 * its bss were loaded right and prints its arguments. */
#include <stdio.h>

/* 6000 bytes over two pages, mostly zeros after the strings. */
struct {
	char msg1[5000];
	char msg2[1000];
} data = {"this is initialized data", "so is this"};

/* Starts in the data segment's last page and runs over two more. */
char bss[6000];

static int sum(const char *s, int n)
{
	int tot = 0;
	for (int i = 0; i < n; i++)
		tot ^= i * s[i];
	return tot;
}

int main(int argc, char **argv)
{
	int x, want = 0xf989e;

	printf("init: running\n");
	if ((x = sum((const char *)&data, sizeof data)) != want)
		printf("init: data is not initialized: got sum %08x wanted %08x\n", x, want);
	else
		printf("init: data seems okay\n");
	if ((x = sum(bss, sizeof bss)) != 0)
		printf("bss is not initialized: wanted sum 0 got %08x\n", x);
	else
		printf("init: bss seems okay\n");

	printf("init: args:");
	for (int i = 0; i < argc; i++)
		printf(" '%s'", argv[i]);
	printf("\n");

	printf("init: exiting\n");
	return 0;
}
