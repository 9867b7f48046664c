/* The library OS's own interface for programs: system calls, the env
 * table and kernel info views, and the basics every program uses. */
#ifndef LIBOS_H
#define LIBOS_H

#include <stdint.h>

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

/* The kernel's message for an error code. */
const char *exov_strerror(int err);

/* The program's name (argv[0]). */
extern const char *progname;

void console_flush(void);

#endif
