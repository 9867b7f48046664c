/* exec: replace this process's image in place, keeping its env (pid),
 * its descriptors (but those marked close-on-exec) and its cwd. */
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

#include "fd.h"
#include "loader.h"
#include "process.h"
#include "thread.h"

extern char **environ;

/*
 * The switch from the old image to the staged new one runs from a copy of
 * exec_switch in a scratch page (UEXEC) on a stack in the plan page
 * (UEXEC + PGSIZE), because it unmaps the old program's code and stack.
 * So exec_switch must be position independent: no globals, no calls
 * (the system call stubs are inline), every address from the plan.
 */
struct exec_plan {
	struct trapframe tf;  /* the new program's first registers */
	uintptr_t keep[4][2]; /* [lo, hi) ranges left alone ({0, 0}: unused) */
	uintptr_t move[2][3]; /* pages in [lo, hi) move by delta */
	uintptr_t top;
};

#define SWITCH __attribute__((section(".text.exec_switch"), noinline, noreturn, used))

SWITCH static void exec_switch(struct exec_plan *p)
{
	/* Sort the keep ranges (insertion sort: no calls allowed here). */
	for (int i = 1; i < 4; i++)
		for (int j = i; j > 0 && p->keep[j][0] < p->keep[j - 1][0]; j--)
			for (int k = 0; k < 2; k++) {
				uintptr_t t = p->keep[j][k];
				p->keep[j][k] = p->keep[j - 1][k];
				p->keep[j - 1][k] = t;
			}
	/* Unmap the gaps between them: the old image, heap, stack... */
	uintptr_t lo = 0;
	for (int i = 0; i < 4; i++) {
		if (p->keep[i][0] > lo)
			sys_page_unmap_range(0, lo, p->keep[i][0]);
		if (p->keep[i][1] > lo)
			lo = p->keep[i][1];
	}
	if (lo < p->top)
		sys_page_unmap_range(0, lo, p->top);
	/* Move the staged image and stack into place. */
	for (int i = 0; i < 2; i++)
		sys_page_map_range(0, p->move[i][0], p->move[i][1], p->move[i][0] + p->move[i][2],
				   MAP_RANGE_MOVE);
	sys_env_set_trapframe(0, &p->tf);
	for (;;) /* not reached */
		;
}

extern char __exec_switch_start[], __exec_switch_end[];

/* Undoes a failed exec's staging. */
static void unstage(void)
{
	sys_page_unmap_range(0, USTAGE, USTAGE_STACK);
	sys_page_unmap_range(0, UEXEC, UEXEC + 2 * PGSIZE);
	stack_discard();
}

/* Stages the new image and stack; the old one is untouched so far.
 * 0, or a negative errno value. */
static int stage(const char *path, char *const argv[], char *const envp[], struct image *img,
		 struct new_stack *st)
{
	int r = image_open(path, false, img);
	if (r == 0)
		r = stack_build(argv, envp, st);
	if (r < 0)
		return r;
	r = image_load(0, img, USTAGE);
	if (r == 0)
		r = stack_install(0, USTAGE_STACK, st);
	if (r == 0)
		r = sys_page_alloc(0, UEXEC, PTE_R | PTE_W);
	if (r == 0)
		r = sys_page_alloc(0, UEXEC + PGSIZE, PTE_R | PTE_W);
	if (r < 0) {
		unstage();
		return -ENOMEM;
	}
	return 0;
}

/* The other threads do not run while exec stages (the scratch pages are
 * the process's), and vanish with the old image. */
int execve(const char *path, char *const argv[], char *const envp[])
{
	struct image img;
	struct new_stack st;
	thread_lib_enter();
	int r = stage(path, argv, envp, &img, &st);
	if (r < 0) {
		thread_lib_leave();
		errno = -r;
		return -1;
	}
	memcpy((void *)UEXEC, __exec_switch_start,
	       (size_t)(__exec_switch_end - __exec_switch_start));
	sys_page_map(0, UEXEC, 0, UEXEC, PTE_R | PTE_X);
	asm volatile("fence.i" ::: "memory");
	fd_close_on_exec(); /* nothing can fail from here on */

	struct exec_plan *plan = (struct exec_plan *)(UEXEC + PGSIZE);
	*plan = (struct exec_plan){
		.tf = {.pc = img.eh->e_entry, .sp = st.sp, .a0 = st.sp},
		.keep = {{UEXEC, UEXEC + 2 * PGSIZE},
			 {USTAGE, USTAGE_STACK},
			 {UPERENV, UXSTACKTOP},
			 {UFDREGION, UFDREGION_END}},
		.move = {{USTAGE, USTAGE + UIMAGE_TOP, -USTAGE},
			 {USTAGE_STACK - (ARGS_PAGES + STACK_PAGES) * PGSIZE, USTAGE_STACK,
			  USTACKTOP - USTAGE_STACK}},
		.top = UTOP,
	};
	/* No upcall may enter the old image while it is being unmapped, nor
	 * the new one before it registers its own: until then a signal gets
	 * its default action (see kill) and a fault is fatal. */
	sys_env_set_upcall(0, 0, 0, 0);
	thread_exec_commit();
	register uintptr_t a0 asm("a0") = (uintptr_t)plan;
	asm volatile("mv sp, %1\n\tjr %2" ::"r"(a0), "r"(UEXEC + 2 * PGSIZE), "r"(UEXEC));
	__builtin_unreachable();
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

int execvp(const char *file, char *const argv[])
{
	struct image img;
	int r = image_open(file, true, &img);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return execve(img.file.name, argv, environ);
}

int execl(const char *path, const char *arg0, ...)
{
	RETURN_WITH_LIST_ARGS(execv, path, arg0);
}

int execlp(const char *file, const char *arg0, ...)
{
	RETURN_WITH_LIST_ARGS(execvp, file, arg0);
}
