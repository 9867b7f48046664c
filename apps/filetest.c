/* filetest: files and directories: /tmp (the file server) and the
 * read-only archive at /. Prints one line per check with what it saw;
 * tests/test_files.py knows what POSIX wants. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libos.h"

/* A call's result: "0" (or the value), or the errno's name. */
static const char *res(long r)
{
	static char buf[32];
	if (r < 0)
		return errno_name(errno);
	snprintf(buf, sizeof buf, "%ld", r);
	return buf;
}

#define CHECK(what, call) printf("filetest: %s: %s\n", what, res(call))

/* A whole file as a quoted string (\n shown as \n, NULs as \0), or the
 * errno's name. */
static const char *contents(const char *path)
{
	static char out[256];
	char buf[100];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno_name(errno);
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	if (n < 0)
		return errno_name(errno);
	char *o = out;
	*o++ = '\'';
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || buf[i] == '\0') {
			*o++ = '\\';
			*o++ = buf[i] ? 'n' : '0';
		} else {
			*o++ = buf[i];
		}
	}
	*o++ = '\'';
	*o = '\0';
	return out;
}

static long size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 ? -1 : (long)st.st_size;
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	write(fd, text, strlen(text));
	close(fd);
}

static void create_read_append_truncate(void)
{
	int fd = open("/tmp/f", O_CREAT | O_EXCL | O_RDWR, 0644);
	CHECK("create /tmp/f", fd >= 0 ? 0 : -1);
	CHECK("write", write(fd, "hello, file\n", 12));
	close(fd);
	printf("filetest: read back: %s\n", contents("/tmp/f"));
	CHECK("size", size_of("/tmp/f"));
	CHECK("O_CREAT|O_EXCL on it", open("/tmp/f", O_CREAT | O_EXCL | O_WRONLY, 0644));

	fd = open("/tmp/f", O_WRONLY | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	CHECK("O_APPEND write after lseek 0", write(fd, "more\n", 5));
	CHECK("offset after it", lseek(fd, 0, SEEK_CUR));
	close(fd);
	printf("filetest: appended: %s\n", contents("/tmp/f"));

	fd = open("/tmp/f", O_RDONLY);
	CHECK("lseek SEEK_END", lseek(fd, 0, SEEK_END));
	CHECK("lseek SEEK_CUR -5", lseek(fd, -5, SEEK_CUR));
	char buf[8] = {0};
	read(fd, buf, 4);
	printf("filetest: then reads '%s'\n", buf);
	CHECK("lseek to -1", lseek(fd, -1, SEEK_SET));
	CHECK("write to an O_RDONLY fd", write(fd, "x", 1));
	CHECK("ftruncate an O_RDONLY fd", ftruncate(fd, 0));
	close(fd);

	fd = open("/tmp/f", O_RDWR | O_TRUNC);
	CHECK("size after O_TRUNC", size_of("/tmp/f"));
	write(fd, "x", 1);
	CHECK("ftruncate to 4", ftruncate(fd, 4));
	printf("filetest: grown: %s\n", contents("/tmp/f"));
	lseek(fd, 6, SEEK_SET);
	write(fd, "y", 1);
	printf("filetest: written past the end: %s\n", contents("/tmp/f"));
	CHECK("ftruncate to 1", ftruncate(fd, 1));
	CHECK("ftruncate to 3", ftruncate(fd, 3));
	printf("filetest: shrunk and grown: %s\n", contents("/tmp/f"));
	close(fd);
}

static void rename_unlink(void)
{
	put("/tmp/a", "file a\n");
	put("/tmp/b", "file b\n");
	CHECK("rename a c", rename("/tmp/a", "/tmp/c"));
	printf("filetest: a is then: %s; c: %s\n", contents("/tmp/a"), contents("/tmp/c"));
	CHECK("rename c b (replaces b)", rename("/tmp/c", "/tmp/b"));
	printf("filetest: b is then: %s; c: %s\n", contents("/tmp/b"), contents("/tmp/c"));
	CHECK("rename a missing file", rename("/tmp/nothere", "/tmp/x"));
	mkdir("/tmp/dir", 0755);
	CHECK("rename a dir onto a file", rename("/tmp/dir", "/tmp/b"));
	CHECK("rename a file onto a dir", rename("/tmp/b", "/tmp/dir"));
	CHECK("rename a dir into itself", rename("/tmp/dir", "/tmp/dir/sub"));
	CHECK("rename into a missing dir", rename("/tmp/b", "/tmp/nodir/b"));
	CHECK("rename /tmp/b /bin/b", rename("/tmp/b", "/bin/b"));
	CHECK("rename /bin/hello /bin/x", rename("/bin/hello", "/bin/x"));
	CHECK("rename b into dir", rename("/tmp/b", "/tmp/dir/b"));
	printf("filetest: dir/b: %s\n", contents("/tmp/dir/b"));
	CHECK("rename dir dir2", rename("/tmp/dir", "/tmp/dir2"));
	printf("filetest: dir2/b: %s\n", contents("/tmp/dir2/b"));

	int fd = open("/tmp/dir2/b", O_RDONLY);
	CHECK("unlink dir2/b while open", unlink("/tmp/dir2/b"));
	CHECK("stat it", size_of("/tmp/dir2/b"));
	char buf[16] = {0};
	read(fd, buf, sizeof buf - 1);
	printf("filetest: the open fd still reads '%.6s'\n", buf);
	close(fd);
	CHECK("unlink it again", unlink("/tmp/dir2/b"));
	CHECK("unlink a dir", unlink("/tmp/dir2"));
	CHECK("unlink /bin/hello", unlink("/bin/hello"));
	CHECK("rmdir dir2", rmdir("/tmp/dir2"));
}

static void directories(void)
{
	CHECK("mkdir /tmp/d", mkdir("/tmp/d", 0755));
	CHECK("mkdir it again", mkdir("/tmp/d", 0755));
	CHECK("mkdir /tmp/none/sub", mkdir("/tmp/none/sub", 0755));
	put("/tmp/d/b", "b");
	put("/tmp/d/a", "a");
	mkdir("/tmp/d/sub", 0755);
	CHECK("mkdir under a file", mkdir("/tmp/d/a/x", 0755));
	CHECK("open under a file", open("/tmp/d/a/x", O_RDONLY));
	CHECK("stat a/ (trailing slash)", stat("/tmp/d/a/", &(struct stat){0}));
	CHECK("rmdir a non-empty dir", rmdir("/tmp/d"));
	CHECK("rmdir a file", rmdir("/tmp/d/a"));
	CHECK("rmdir a missing dir", rmdir("/tmp/d/zz"));
	CHECK("rmdir /tmp", rmdir("/tmp"));

	DIR *dir = opendir("/tmp/d");
	struct dirent *e;
	char names[3][300];
	int n = 0;
	while ((e = readdir(dir)) && n < 3)
		snprintf(names[n++], sizeof names[0], "%s%s", e->d_name,
			 e->d_type == DT_DIR ? "/" : "");
	closedir(dir);
	qsort(names, (size_t)n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
	printf("filetest: readdir /tmp/d:");
	for (int i = 0; i < n; i++)
		printf(" %s", names[i]);
	printf("\n");
	printf("filetest: opendir a file: %s\n", opendir("/tmp/d/a") ? "ok" : errno_name(errno));
	printf("filetest: opendir a missing dir: %s\n",
	       opendir("/tmp/nothere") ? "ok" : errno_name(errno));

	int fd = open("/tmp/d", O_RDONLY);
	char c;
	CHECK("read a dir fd", read(fd, &c, 1));
	close(fd);
	CHECK("open a dir for writing", open("/tmp/d", O_WRONLY));
	CHECK("open a file with O_DIRECTORY", open("/tmp/d/a", O_RDONLY | O_DIRECTORY));
	CHECK("open a missing file", open("/tmp/d/zz", O_RDONLY));
	unlink("/tmp/d/a");
	unlink("/tmp/d/b");
	rmdir("/tmp/d/sub");
	CHECK("rmdir the emptied dir", rmdir("/tmp/d"));
	CHECK("stat it", stat("/tmp/d", &(struct stat){0}));

	/* Removing entries while reading the directory skips no other one. */
	char path[300];
	mkdir("/tmp/r", 0755);
	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof path, "/tmp/r/%d", i);
		put(path, "x");
	}
	dir = opendir("/tmp/r");
	int removed = 0;
	while ((e = readdir(dir))) {
		snprintf(path, sizeof path, "/tmp/r/%s", e->d_name);
		removed += unlink(path) == 0;
	}
	closedir(dir);
	printf("filetest: unlinking while reading /tmp/r: %d removed\n", removed);
	CHECK("then rmdir it", rmdir("/tmp/r"));
}

static void cwd(void)
{
	char buf[64];
	mkdir("/tmp/w", 0755);
	CHECK("chdir /tmp/w", chdir("/tmp/w"));
	printf("filetest: getcwd: %s\n", getcwd(buf, sizeof buf));
	put("rel", "relative\n");
	printf("filetest: /tmp/w/rel: %s\n", contents("/tmp/w/rel"));
	printf("filetest: ../w/./rel: %s\n", contents("../w/./rel"));
	CHECK("chdir ..", chdir(".."));
	printf("filetest: getcwd: %s\n", getcwd(buf, sizeof buf));
	CHECK("chdir w/../w/", chdir("w/../w/"));
	printf("filetest: getcwd: %s\n", getcwd(buf, sizeof buf));
	CHECK("chdir to a file", chdir("rel"));
	CHECK("chdir to a missing dir", chdir("/nothere"));
	printf("filetest: getcwd with a small buffer: %s\n",
	       getcwd(buf, 4) ? "ok" : errno_name(errno));
	CHECK("chdir /bin", chdir("/bin"));
	printf("filetest: getcwd: %s\n", getcwd(buf, sizeof buf));
	CHECK("open hello (relative)", open("hello", O_RDONLY) >= 0 ? 0 : -1);
	CHECK("chdir ../..", chdir("../.."));
	printf("filetest: getcwd: %s\n", getcwd(buf, sizeof buf));
}

static void archive(void)
{
	struct stat st;
	CHECK("stat /bin/hello", stat("/bin/hello", &st));
	int fd = open("/bin/hello", O_RDONLY);
	static char buf[8192];
	char magic[4] = {0};
	long total = read(fd, magic, 4), n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		total += n;
	close(fd);
	printf("filetest: /bin/hello: regular %d, executable %d, size equals bytes read %d, ELF "
	       "%d\n",
	       S_ISREG(st.st_mode), (st.st_mode & 0111) != 0, st.st_size == total && total > 4,
	       memcmp(magic, "\177ELF", 4) == 0);
	stat("/bin", &st);
	printf("filetest: /bin is a directory: %d\n", S_ISDIR(st.st_mode));
	stat("/", &st);
	printf("filetest: / is a directory: %d\n", S_ISDIR(st.st_mode));
	CHECK("stat /bin/hello/x", stat("/bin/hello/x", &st));
	CHECK("stat /nothere", stat("/nothere", &st));
	CHECK("open /bin/hello for writing", open("/bin/hello", O_WRONLY));
	CHECK("create /bin/new", open("/bin/new", O_WRONLY | O_CREAT, 0644));
	CHECK("mkdir /bin", mkdir("/bin", 0755));
	CHECK("mkdir /newdir", mkdir("/newdir", 0755));
	int seen = 0;
	DIR *dir = opendir("/bin");
	struct dirent *e;
	while ((e = readdir(dir)))
		seen += strcmp(e->d_name, "hello") == 0 || strcmp(e->d_name, "filetest") == 0;
	closedir(dir);
	printf("filetest: readdir /bin has hello and filetest: %d\n", seen == 2);
	seen = 0;
	dir = opendir("/");
	while ((e = readdir(dir)))
		seen += (strcmp(e->d_name, "bin") == 0 || strcmp(e->d_name, "tmp") == 0) &&
			e->d_type == DT_DIR;
	closedir(dir);
	printf("filetest: readdir / has bin/ and tmp/: %d\n", seen == 2);
	fd = open("/dev/null", O_RDWR);
	CHECK("write 3 bytes to /dev/null", write(fd, "abc", 3));
	CHECK("read /dev/null", read(fd, buf, 10));
	close(fd);
	stat("/dev/null", &st);
	printf("filetest: /dev/null is a character device: %d\n", S_ISCHR(st.st_mode));
}

static void with_stdio(void)
{
	FILE *f = fopen("/tmp/s", "w");
	fprintf(f, "line %d\n", 1);
	fclose(f);
	f = fopen("/tmp/s", "a");
	fprintf(f, "line %d\n", 2);
	fclose(f);
	char line[32];
	f = fopen("/tmp/s", "r");
	while (fgets(line, sizeof line, f))
		printf("filetest: fgets: %s", line);
	fclose(f);
	if (!fopen("/tmp/missing", "r"))
		perror("filetest: fopen /tmp/missing");
	/* A child's unflushed stdio output reaches the file at exit. */
	pid_t child = fork();
	if (child == 0) {
		f = fopen("/tmp/s", "w");
		fprintf(f, "from the child, no fclose");
		exit(0);
	}
	waitpid(child, NULL, 0);
	printf("filetest: the child's file: %s\n", contents("/tmp/s"));
}

static void big_file(void)
{
	static uint8_t buf[4096];
	int fd = open("/tmp/big", O_CREAT | O_TRUNC | O_RDWR, 0644);
	for (int i = 0; i < 300; i++) {
		for (int j = 0; j < 1024; j++)
			buf[j] = (uint8_t)(i * 7 + j);
		write(fd, buf, 1024);
	}
	lseek(fd, 0, SEEK_SET);
	int bad = 0;
	long total = 0, n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (long j = 0; j < n; j++, total++)
			bad += buf[j] != (uint8_t)((total / 1024) * 7 + total % 1024);
	}
	close(fd);
	printf("filetest: a 300 KiB file: %ld bytes read back, %d wrong\n", total, bad);
	unlink("/tmp/big");
}

/* Until ENOSPC, then the space comes back with unlink. */
static void fill(void)
{
	static char buf[65536];
	int fd = open("/tmp/fill", O_CREAT | O_TRUNC | O_WRONLY, 0644);
	long total = 0, n;
	while ((n = write(fd, buf, sizeof buf)) > 0)
		total += n;
	printf("filetest: filling /tmp: %ld MiB, then %s\n", total >> 20, errno_name(errno));
	close(fd);
	CHECK("unlink it", unlink("/tmp/fill"));
	fd = open("/tmp/after", O_CREAT | O_WRONLY, 0644);
	CHECK("write after", write(fd, buf, sizeof buf));
	close(fd);
	unlink("/tmp/after");
}

int main(void)
{
	create_read_append_truncate();
	rename_unlink();
	directories();
	cwd();
	archive();
	with_stdio();
	big_file();
	fill();
	printf("filetest: done\n");
	return 0;
}
