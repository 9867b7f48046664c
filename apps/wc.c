/* wc: counts lines, words and bytes of files or stdin: wc [-lwc] [FILE]... */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct counts {
	long lines, words, bytes;
};

static bool show_lines, show_words, show_bytes;

static int count(int fd, const char *name, struct counts *c)
{
	char buf[4096];
	bool in_word = false;
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		c->bytes += n;
		for (ssize_t i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)buf[i];
			c->lines += ch == '\n';
			if (isspace(ch))
				in_word = false;
			else if (!in_word)
				in_word = true, c->words++;
		}
	}
	if (n < 0) {
		fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

static void print(const struct counts *c, const char *name, int width)
{
	const char *sep = "";
	if (show_lines)
		printf("%*ld", width, c->lines), sep = " ";
	if (show_words)
		printf("%s%*ld", sep, width, c->words), sep = " ";
	if (show_bytes)
		printf("%s%*ld", sep, width, c->bytes);
	printf(name ? " %s\n" : "\n", name);
}

static int digits(long v)
{
	int d = 1;
	while (v >= 10)
		v /= 10, d++;
	return d;
}

static int options(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'l')
				show_lines = true;
			else if (*o == 'w')
				show_words = true;
			else if (*o == 'c')
				show_bytes = true;
			else {
				fprintf(stderr,
					"wc: invalid option -- '%c'\nusage: wc [-lwc] [FILE]...\n",
					*o);
				return -1;
			}
		}
	}
	if (!show_lines && !show_words && !show_bytes)
		show_lines = show_words = show_bytes = true;
	return i;
}

int main(int argc, char **argv)
{
	int i = options(argc, argv), status = 0;
	if (i < 0)
		return 1;
	int nfiles = argc - i, ncols = show_lines + show_words + show_bytes;
	struct counts c[nfiles + 1], total = {0};
	bool ok[nfiles + 1];
	memset(c, 0, sizeof c);
	if (nfiles == 0) {
		struct stat st;
		status = count(0, "stdin", &c[0]);
		bool sized =
			fstat(0, &st) == 0 && S_ISREG(st.st_mode); /* else a pipe or terminal */
		int most = (int)(c[0].bytes > c[0].lines ? c[0].bytes : c[0].lines);
		print(&c[0], NULL, ncols == 1 ? 1 : sized ? digits(most) : 7);
		return status;
	}
	for (int k = 0; k < nfiles; k++) {
		const char *name = argv[i + k];
		int fd = strcmp(name, "-") ? open(name, O_RDONLY) : 0;
		ok[k] = fd >= 0 && count(fd, name, &c[k]) == 0;
		if (fd < 0)
			fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
		if (fd > 0)
			close(fd);
		status |= !ok[k];
		total.lines += c[k].lines, total.words += c[k].words, total.bytes += c[k].bytes;
	}
	int width = ncols == 1 && nfiles == 1
			    ? 1
			    : digits(total.bytes > total.lines ? total.bytes : total.lines);
	for (int k = 0; k < nfiles; k++)
		if (ok[k])
			print(&c[k], argv[i + k], width);
	if (nfiles > 1)
		print(&total, "total", width);
	return status;
}
