/* The console as a descriptor: output through sys_cputs, input through a
 * line discipline (echo, erase, Ctrl-C/D/U) kept in the description page
 * so that every process reading the console shares it (console.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include "console.h"
#include "fd.h"

#define CTRL(c) ((c)&0x1f)

static void echo(const char *s, size_t n)
{
	sys_cputs(s, n);
}

static void echo_char(char ch)
{
	if ((unsigned char)ch < ' ' && ch != '\t' && ch != '\n') {
		char caret[2] = {'^', (char)(ch + '@')};
		echo(caret, 2);
	} else {
		echo(&ch, 1);
	}
}

/* Erases the line's last character from the line and the screen. */
static void erase(struct console *c)
{
	if (c->linelen == 0)
		return;
	char ch = c->line[--c->linelen];
	int width = (unsigned char)ch < ' ' && ch != '\t' ? 2 : 1;
	for (int i = 0; i < width; i++)
		echo("\b \b", 3);
}

/* The edited line becomes a finished one (length 0: end of file). If no
 * reader has made room for it, it is lost. */
static void finish_line(struct console *c)
{
	if (c->ltail - c->lhead < CONS_LINES && CONS_RING - (c->tail - c->head) >= c->linelen) {
		for (uint32_t i = 0; i < c->linelen; i++)
			c->ring[(c->tail + i) % CONS_RING] = c->line[i];
		c->tail += c->linelen;
		c->lens[c->ltail % CONS_LINES] = (uint16_t)c->linelen;
		c->ltail++;
	}
	c->linelen = 0;
}

/* One input byte (console lock held). True for Ctrl-C. */
static bool input(struct console *c, char ch)
{
	if (c->linelen >= CONS_LINE)
		c->linelen = 0; /* every process shares this page: never trust it */
	switch (ch) {
	case CTRL('C'):
		c->linelen = 0;
		echo("^C\n", 3);
		return true;
	case CTRL('D'):
		finish_line(c);
		break;
	case '\b':
	case 0x7f:
		erase(c);
		break;
	case CTRL('U'):
		while (c->linelen)
			erase(c);
		break;
	case '\r':
	case '\n':
		c->line[c->linelen++] = '\n'; /* a byte is always kept free for it */
		echo("\n", 1);
		finish_line(c);
		break;
	default:
		if (c->linelen < CONS_LINE - 1) {
			c->line[c->linelen++] = ch;
			echo_char(ch);
		}
	}
	return false;
}

/* Takes every byte waiting in the kernel; stops after a Ctrl-C. */
static bool pump(struct console *c)
{
	int ch;
	while ((ch = sys_cgetc()) > 0)
		if (input(c, (char)ch))
			return true;
	return false;
}

/* Up to n bytes of the first finished line: > 0 bytes, 0 at end of file,
 * -1 if no line is finished. */
static ssize_t take(struct console *c, char *buf, size_t n)
{
	if (c->lhead == c->ltail)
		return -1;
	uint16_t *len = &c->lens[c->lhead % CONS_LINES];
	if (*len == 0) {
		c->lhead++;
		return 0;
	}
	size_t k = n < *len ? n : *len;
	for (size_t i = 0; i < k; i++)
		buf[i] = c->ring[(c->head + i) % CONS_RING];
	c->head += (uint32_t)k;
	*len -= (uint16_t)k;
	if (*len == 0)
		c->lhead++;
	return (ssize_t)k;
}

static bool sigint_ignored(void)
{
	struct sigaction old;
	return sigaction(SIGINT, NULL, &old) == 0 && old.sa_handler == SIG_IGN;
}

static ssize_t cons_read(int fd, struct fdesc *d, void *buf, size_t n)
{
	(void)fd;
	struct console *c = &d->u.cons;
	if (n == 0)
		return 0;
	for (;;) {
		bool locked = elock_acquire(&c->lock);
		ssize_t k = take(c, buf, n);
		bool intr = k < 0 && pump(c);
		if (k < 0 && !intr)
			k = take(c, buf, n);
		if (locked)
			elock_release(&c->lock);
		if (k >= 0)
			return k;
		if (intr && !sigint_ignored()) {
			raise(SIGINT); /* the default action does not return */
			return -EINTR;
		}
		if (!intr)
			sched_yield(); /* no input interrupt: look again later */
	}
}

static ssize_t cons_write(int fd, struct fdesc *d, const void *buf, size_t n)
{
	(void)fd, (void)d;
	int r = sys_cputs(buf, n);
	return r < 0 ? -EFAULT : (ssize_t)n;
}

static int cons_stat(int fd, struct fdesc *d, struct stat *st)
{
	(void)fd, (void)d;
	st->st_mode = S_IFCHR | 0620;
	st->st_nlink = 1;
	st->st_blksize = CONS_LINE;
	return 0;
}

const struct dev dev_console = {
	.id = DEV_CONSOLE,
	.read = cons_read,
	.write = cons_write,
	.stat = cons_stat,
};

int console_open(int fd)
{
	int r = fd_new(fd, DEV_CONSOLE, O_RDWR);
	return r < 0 ? r : 0;
}

int console_poll(void)
{
	struct fdesc *d = fd_lookup(0);
	if (!d || d->dev != DEV_CONSOLE)
		return set_errno(-EBADF);
	bool locked = elock_acquire(&d->u.cons.lock);
	bool intr = pump(&d->u.cons);
	if (locked)
		elock_release(&d->u.cons.lock);
	return intr;
}
