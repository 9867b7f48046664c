/* filt OP [N]: a filter of numbers, one per line, for pipelines:
 *   gen N   prints 1..N        add N   adds N to each
 *   mul N   multiplies each    sum     prints how many and their total */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 0, count = 0, total = 0;
	char line[64];
	if (strcmp(op, "gen") == 0) {
		for (long i = 1; i <= n; i++)
			printf("%ld\n", i);
		return 0;
	}
	while (fgets(line, sizeof line, stdin)) {
		long v = atol(line);
		if (strcmp(op, "add") == 0)
			printf("%ld\n", v + n);
		else if (strcmp(op, "mul") == 0)
			printf("%ld\n", v * n);
		count++;
		total += v;
	}
	if (strcmp(op, "sum") == 0)
		printf("filt sum: %ld numbers, total %ld\n", count, total);
	return 0;
}
