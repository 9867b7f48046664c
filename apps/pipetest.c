/* pipetest MODE: pipes under stress, one mode per run.
 *   stream  1 MiB from a child in random-sized writes, read in random
 *           sizes; both ends print a count and a checksum
 *   multi   three writers send PIPE_BUF-byte records at once; none is torn
 *   readers three readers share one read end: every record is read once
 *   epipe   writes with no reader: EPIPE when SIGPIPE is ignored, death
 *           by SIGPIPE by default (also for a writer blocked on a full
 *           pipe whose reader exits, or is killed)
 *   eof     EOF once every writer is gone: closed, killed, or faulted */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libos.h"

#define TOTAL (1 << 20)

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* FNV-1a, 64 bits: order matters, so a lost, repeated or swapped byte shows. */
static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}
#define FNV_START 0xcbf29ce484222325ULL

static const char *status_str(int status)
{
	static char buf[48];
	if (WIFEXITED(status))
		snprintf(buf, sizeof buf, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof buf, "killed by %s",
			 WTERMSIG(status) == SIGPIPE ? "SIGPIPE" : "another signal");
	return buf;
}

static int wait_status(pid_t pid)
{
	int status = -1;
	waitpid(pid, &status, 0);
	return status;
}

static void stream(void)
{
	static uint8_t buf[10000];
	int p[2];
	pipe(p);
	pid_t child = fork();
	if (child == 0) {
		close(p[0]);
		uint64_t sum = FNV_START, data = 12345;
		rng_state = 777;
		for (size_t sent = 0; sent < TOTAL;) {
			size_t n = 1 + rng() % 8192;
			n = n < TOTAL - sent ? n : TOTAL - sent;
			for (size_t i = 0; i < n; i++) {
				data = data * 6364136223846793005ULL + 1442695040888963407ULL;
				buf[i] = (uint8_t)(data >> 56);
			}
			sum = fnv(sum, buf, n);
			for (size_t done = 0; done < n;) {
				ssize_t w = write(p[1], buf + done, n - done);
				if (w <= 0)
					panic("write: %s", errno_name(errno));
				done += (size_t)w;
			}
			sent += n;
		}
		printf("pipetest: writer sent %d bytes, checksum %016llx\n", TOTAL,
		       (unsigned long long)sum);
		exit(0);
	}
	close(p[1]);
	rng_state = 4242;
	uint64_t sum = FNV_START;
	size_t got = 0;
	ssize_t r;
	while ((r = read(p[0], buf, 1 + rng() % sizeof buf)) > 0) {
		sum = fnv(sum, buf, (size_t)r);
		got += (size_t)r;
	}
	printf("pipetest: reader got %zu bytes, checksum %016llx, then %s\n", got,
	       (unsigned long long)sum, r == 0 ? "EOF" : errno_name(errno));
	printf("pipetest: writer %s\n", status_str(wait_status(child)));
}

#define WRITERS 3
#define RECORDS 300

/* Records of PIPE_BUF bytes: writer id, sequence number, then a fill
 * derived from both, so a torn or mixed record is seen. */
static void record(uint8_t *r, int writer, int seq)
{
	r[0] = (uint8_t)writer;
	r[1] = (uint8_t)(seq >> 8);
	r[2] = (uint8_t)seq;
	for (int i = 3; i < PIPE_BUF; i++)
		r[i] = (uint8_t)(writer * 31 + seq * 7 + i);
}

static void multi(void)
{
	int p[2];
	pid_t pids[WRITERS];
	pipe(p);
	for (int w = 0; w < WRITERS; w++) {
		if ((pids[w] = fork()) == 0) {
			uint8_t r[PIPE_BUF];
			close(p[0]);
			for (int s = 0; s < RECORDS; s++) {
				record(r, w, s);
				if (write(p[1], r, PIPE_BUF) != PIPE_BUF)
					exit(1);
				if (s % 7 == 0)
					sys_yield();
			}
			exit(0);
		}
	}
	close(p[1]);
	int records = 0, torn = 0, order = 0, next[WRITERS] = {0};
	uint8_t got[PIPE_BUF], want[PIPE_BUF];
	for (;;) {
		size_t have = 0;
		ssize_t r = 1;
		while (have < PIPE_BUF && (r = read(p[0], got + have, PIPE_BUF - have)) > 0)
			have += (size_t)r;
		if (have == 0)
			break;
		int w = got[0], s = got[1] << 8 | got[2];
		record(want, w, s);
		if (have != PIPE_BUF || w >= WRITERS || memcmp(got, want, PIPE_BUF) != 0) {
			torn++;
			continue;
		}
		records++;
		order += s != next[w];
		next[w] = s + 1;
	}
	printf("pipetest: %d records from %d writers, %d torn, %d out of order\n", records, WRITERS,
	       torn, order);
	for (int w = 0; w < WRITERS; w++)
		printf("pipetest: writer %d %s\n", w, status_str(wait_status(pids[w])));
}

#define NUMBERS 20000

/* 8-byte records 0..NUMBERS-1, read 8 bytes at a time by three readers. */
static void readers(void)
{
	int p[2];
	pid_t pids[3];
	pipe(p);
	for (int i = 0; i < 3; i++) {
		if ((pids[i] = fork()) == 0) {
			uint64_t v, count = 0, sum = 0;
			close(p[1]);
			while (read(p[0], &v, sizeof v) == sizeof v) {
				count++;
				sum += v;
			}
			printf("pipetest: reader %d: %llu numbers, sum %llu\n", i,
			       (unsigned long long)count, (unsigned long long)sum);
			exit(0);
		}
	}
	close(p[0]);
	for (uint64_t v = 0; v < NUMBERS; v++)
		write(p[1], &v, sizeof v);
	close(p[1]);
	for (int i = 0; i < 3; i++)
		wait_status(pids[i]);
}

/* A child that never returns, holding whatever it inherited. */
static void hang(void)
{
	for (;;)
		libos_sleep();
}

static void epipe(void)
{
	int p[2];
	char buf[16];

	/* The reader takes 5 bytes and exits; SIGPIPE ignored: EPIPE. */
	pipe(p);
	pid_t reader = fork();
	if (reader == 0) {
		close(p[1]);
		read(p[0], buf, 5);
		exit(0);
	}
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	printf("pipetest: write with a reader: %d\n", (int)write(p[1], "hello", 5));
	wait_status(reader);
	ssize_t r = write(p[1], "again", 5);
	printf("pipetest: write after the reader exited: %d %s\n", (int)r, errno_name(errno));
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);

	/* By default the writer dies of SIGPIPE. */
	pipe(p);
	close(p[0]);
	pid_t writer = fork();
	if (writer == 0) {
		write(p[1], "x", 1);
		exit(0);
	}
	close(p[1]);
	printf("pipetest: writer with no reader: %s\n", status_str(wait_status(writer)));

	/* A writer blocked on a full pipe, then its reader exits... */
	static char big[100000];
	for (int how = 0; how < 2; how++) {
		pipe(p);
		writer = fork();
		if (writer == 0) {
			close(p[0]);
			write(p[1], big, sizeof big);
			exit(0);
		}
		reader = fork();
		if (reader == 0) {
			close(p[1]);
			read(p[0], buf, 10);
			if (how == 0)
				exit(0);
			hang();
		}
		close(p[0]);
		close(p[1]);
		for (int i = 0; i < 20; i++)
			sys_yield(); /* the writer fills the pipe and sleeps */
		if (how == 1)	     /* ... or is killed: it closes nothing */
			kill(reader, SIGKILL);
		printf("pipetest: writer blocked on a full pipe, reader %s: writer %s\n",
		       how ? "killed" : "exited", status_str(wait_status(writer)));
		wait_status(reader);
	}
}

/* Reads until EOF; prints how much. */
static void read_to_eof(int fd, const char *who)
{
	char buf[64];
	size_t got = 0;
	ssize_t r;
	while ((r = read(fd, buf, sizeof buf)) > 0)
		got += (size_t)r;
	printf("pipetest: %s: %zu bytes, then %s\n", who, got, r == 0 ? "EOF" : errno_name(errno));
}

static void eof(void)
{
	int p[2];
	pid_t w[3];

	pipe(p);
	for (int i = 0; i < 3; i++)
		if ((w[i] = fork()) == 0) {
			close(p[0]);
			write(p[1], "line\n", 5);
			exit(0);
		}
	close(p[1]);
	read_to_eof(p[0], "three writers that close");
	close(p[0]);
	for (int i = 0; i < 3; i++)
		wait_status(w[i]);

	/* The reader is asleep in read when its only writer dies unannounced. */
	for (int how = 0; how < 2; how++) {
		const char *what = how ? "a writer that faults" : "a writer killed by SIGKILL";
		pipe(p);
		pid_t writer = fork();
		if (writer == 0) {
			close(p[0]);
			write(p[1], "abc", 3);
			if (how)
				*(volatile int *)0 = 1;
			hang();
		}
		pid_t reader = fork();
		if (reader == 0) {
			close(p[1]);
			read_to_eof(p[0], what);
			exit(0);
		}
		close(p[0]);
		close(p[1]);
		for (int i = 0; i < 20; i++)
			sys_yield(); /* the reader takes "abc" and sleeps */
		if (how == 0)
			kill(writer, SIGKILL);
		wait_status(writer);
		wait_status(reader);
	}

	/* A dup of the write end keeps the pipe open; closing both ends it. */
	pipe(p);
	int dupped = dup(p[1]);
	write(p[1], "xy", 2);
	close(p[1]);
	write(dupped, "z", 1);
	close(dupped);
	read_to_eof(p[0], "two dups of one write end, both closed");
	close(p[0]);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "stream";
	if (strcmp(mode, "stream") == 0)
		stream();
	else if (strcmp(mode, "multi") == 0)
		multi();
	else if (strcmp(mode, "readers") == 0)
		readers();
	else if (strcmp(mode, "epipe") == 0)
		epipe();
	else if (strcmp(mode, "eof") == 0)
		eof();
	else
		printf("pipetest: no mode %s\n", mode);
	printf("pipetest: done\n");
	return 0;
}
