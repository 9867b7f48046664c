/* The library OS's own interface for programs: system calls, the env
 * table and kernel info views, and the basics every program uses. */
#ifndef LIBOS_H
#define LIBOS_H

#include <stdint.h>
#include <string.h>

#include <exov/env.h>
#include <exov/error.h>
#include <exov/memlayout.h>
#include <exov/mmu.h>
#include <exov/syscall_stubs.h>

/* Read-only views the kernel maps into every env. */
#define envs ((const volatile struct env_info *)UENVS)
#define sysinfo ((const volatile struct sysinfo *)UINFO)
#define uvpt ((const volatile pte_t *)UVPT)
#define uvpmd ((const volatile pte_t *)UVPMD)
#define uvpgd ((const volatile pte_t *)UVPGD)

/* This env's own record; reset by the child side of fork. */
extern const volatile struct env_info *thisenv;

/* The PTE mapping va in this env, or 0 if none: three loads, no syscall. */
pte_t va_pte(uintptr_t va);

/* Prints "[envid] user panic in prog at file:line: msg" and exits. */
void _panic(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
#define panic(...) _panic(__FILE__, __LINE__, __VA_ARGS__)

/* A scratch page address for temporary mappings (below UTEXT). */
#define UTEMP 0x400000UL

/* Exception handlers (exception.c): handler(uf) runs on the exception
 * stack; when it returns, the env resumes at uf->tf.pc with the registers
 * in uf->tf (edit them to change what resumes). gp is reserved. */
typedef void (*exception_handler_t)(struct upcall_frame *uf);
int set_exception_handler(unsigned cause, exception_handler_t handler);
int set_pgfault_handler(exception_handler_t handler); /* causes 12, 13, 15 */

/* Eager-copy fork (dumbfork.c): 0 in the child, the child's id in the
 * parent, or a negative E_* code. */
envid_t dumbfork(void);

/* Waits for child (this env's) to die and reaps it (wait.c): returns its
 * EXIT_* kind and stores its code, or -E_BAD_ENV. */
int wait_env(envid_t child, int *code);

/* The kernel's message for an error code. */
const char *exov_strerror(int err);

/* The program's name (argv[0]). */
extern const char *progname;

void console_flush(void);

#endif
