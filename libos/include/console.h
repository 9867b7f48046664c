/* The console: descriptors 0, 1 and 2 of the first process, a terminal
 * with a line discipline, for programs (and the shell) that need more
 * than read and write. */
#ifndef LIBOS_CONSOLE_H
#define LIBOS_CONSOLE_H

/*
 * Reading the console (read on a console descriptor, or stdin) edits a
 * line in the reading process: input is echoed; Backspace or DEL erases a
 * character, Ctrl-U the line; Enter (CR or LF) ends it and read returns
 * it, newline included (at most one line per read; a line holds up to
 * 1023 bytes, more are dropped). Ctrl-D at the start of a line is end of
 * file (read returns 0); elsewhere it ends the line without a newline.
 * Ctrl-C discards the line, echoes "^C" and a newline, and raises SIGINT
 * in the reading process: by default it dies; if SIGINT
 * is ignored the read goes on with a fresh line; if a handler caught it,
 * read fails with EINTR. The line being edited and the finished lines
 * waiting to be read live in the console's description, shared by every
 * process that has the console open.
 *
 * There is no input interrupt, so a reader polls the kernel's sys_cgetc,
 * yielding the CPU between tries.
 */

/*
 * For a shell waiting for a foreground job that may not be reading: takes
 * every input byte waiting in the kernel into the line discipline (echoed
 * and edited as if read, and kept for the next reader as type-ahead), and
 * returns 1 if a Ctrl-C came (the partial line is dropped; nobody is sent
 * a signal: the caller decides, say kill(job, SIGINT)), else 0. Never
 * blocks. -1 with errno EBADF if fd 0 is not the console.
 */
int console_poll(void);

#endif
