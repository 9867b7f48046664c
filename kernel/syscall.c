/* System call handlers. Each checks every argument before it changes
 * anything, and documents its errors. Numbers, dispatch and user stubs
 * are generated from include/exov/syscalls.tbl. */
#include "kernel.h"
#include "riscv.h"

/* perm for a user mapping: only PTE_SYSCALL bits; R or X; never W
 * without R. */
static bool perm_ok(uint64_t perm)
{
	return !(perm & ~(uint64_t)PTE_SYSCALL) && (perm & (PTE_R | PTE_X)) &&
	       (!(perm & PTE_W) || (perm & PTE_R));
}

/* A page-aligned address a user may map at. */
static bool user_page_ok(uint64_t va)
{
	return va < UTOP && va % PGSIZE == 0;
}

/* Looks up a live (not zombie) env the caller may act on. */
static int lookup_mine(envid_t id, struct env **out)
{
	int r = env_lookup(id, true, out);
	if (r == 0 && !env_alive(*out))
		return -E_BAD_ENV;
	return r;
}

/* cputs(s, len): writes len bytes from s to the console.
 * Errors: E_FAULT if any byte is not readable user memory (nothing printed). */
int64_t sys_cputs(uint64_t s, uint64_t len)
{
	int r = user_check(curenv, s, len, PTE_R);
	if (r < 0)
		return r;
	char buf[128];
	for (uint64_t done = 0; done < len; done += sizeof buf) {
		uint64_t n = len - done < sizeof buf ? len - done : sizeof buf;
		copy_from_user(curenv, buf, s + done, n);
		for (uint64_t i = 0; i < n; i++)
			sbi_console_putchar(buf[i]);
	}
	return 0;
}

/* cgetc(): the next console input byte, or 0 if none is waiting. Never fails. */
int64_t sys_cgetc(void)
{
	int c = sbi_console_getchar();
	return c < 0 ? 0 : c;
}

/* getenvid(): the caller's env id. Never fails. */
int64_t sys_getenvid(void)
{
	return curenv->info->env_id;
}

/* env_destroy(envid, code): destroys envid (0 = the caller), which becomes
 * a zombie with (EXIT_SELF or EXIT_KILLED, code) until its parent reaps
 * it; destroying a zombie reaps it. Does not return when envid is the
 * caller. Errors: E_BAD_ENV (not the caller or its descendant). */
int64_t sys_env_destroy(envid_t envid, int code)
{
	struct env *e;
	int r = env_lookup(envid, true, &e);
	if (r < 0)
		return r;
	env_destroy(e, e == curenv ? EXIT_SELF : EXIT_KILLED, code, 0);
	return 0;
}

/* exofork(): makes a child env with the caller's registers (returning 0 in
 * the child) and F/D state, an empty address space and no upcall, not
 * runnable. Returns the child's id. Errors: E_NO_FREE_ENV, E_NO_MEM. */
int64_t sys_exofork(void)
{
	struct env *child;
	int r = env_alloc(&child, curenv->info->env_id);
	if (r < 0)
		return r;
	child->tf = curenv->tf;
	child->tf.a0 = 0;
	fpu_copy_state(curenv, &child->fp);
	return child->info->env_id;
}

/* env_set_status(envid, status): ENV_RUNNABLE or ENV_NOT_RUNNABLE. An env
 * that makes itself not runnable sleeps until made runnable, or woken by
 * env_interrupt or a child's death (returning 0 then, or at once if such
 * a wake-up came since its last sleep).
 * Errors: E_BAD_ENV; E_INVAL for another status, or if envid is blocked in
 * ipc_recv (only a message or an interrupt wakes it). */
int64_t sys_env_set_status(envid_t envid, int status)
{
	struct env *e;
	int r = lookup_mine(envid, &e);
	if (r < 0)
		return r;
	if (status != ENV_RUNNABLE && status != ENV_NOT_RUNNABLE)
		return -E_INVAL;
	if (e->info->env_ipc_recving)
		return -E_INVAL;
	if (e == curenv && status == ENV_NOT_RUNNABLE) {
		if (e->wake_pending) {
			e->wake_pending = false;
			return 0;
		}
		e->tf.a0 = 0;
		e->suspended = true;
		env_set_status(e, ENV_NOT_RUNNABLE);
		schedule();
	}
	if (e != curenv)
		env_set_status(e, (uint32_t)status);
	return 0;
}

/* env_set_trapframe(envid, tf): replaces envid's general registers and pc
 * with *tf. The env always returns to user mode with interrupts on: no
 * frame can say otherwise. On the caller itself, it resumes at tf.
 * Errors: E_BAD_ENV; E_FAULT (tf unreadable); E_INVAL (tf->pc >= UTOP). */
int64_t sys_env_set_trapframe(envid_t envid, uint64_t tf)
{
	struct env *e;
	int r = lookup_mine(envid, &e);
	if (r < 0)
		return r;
	struct trapframe frame;
	r = copy_from_user(curenv, &frame, tf, sizeof frame);
	if (r < 0)
		return r;
	if (frame.pc >= UTOP)
		return -E_INVAL;
	e->tf = frame;
	return e == curenv ? SYSRET_KEEP_FRAME : 0;
}

/* env_set_upcall(envid, entry, xstack_lo, xstack_hi): exceptions of envid
 * enter entry on the stack [xstack_lo, xstack_hi); entry 0 turns upcalls
 * off. The stack is checked when a frame is pushed, not now.
 * Errors: E_BAD_ENV; E_INVAL (entry or stack not below UTOP, xstack_hi
 * not 16-aligned, or room for less than one frame). */
int64_t sys_env_set_upcall(envid_t envid, uint64_t entry, uint64_t xstack_lo, uint64_t xstack_hi)
{
	struct env *e;
	int r = lookup_mine(envid, &e);
	if (r < 0)
		return r;
	if (entry != 0 &&
	    (entry >= UTOP || xstack_hi > UTOP || xstack_hi % 16 || xstack_lo >= xstack_hi ||
	     xstack_hi - xstack_lo < sizeof(struct upcall_frame) + 16))
		return -E_INVAL;
	e->upcall_entry = entry;
	e->xstack_lo = entry ? xstack_lo : 0;
	e->xstack_hi = entry ? xstack_hi : 0;
	upcall_fast_forget(e);
	return 0;
}

/* page_alloc(envid, va, perm): maps a new zeroed page at va, replacing
 * any page there. Errors: E_BAD_ENV; E_INVAL (va not a page-aligned
 * address below UTOP, or perm not allowed); E_NO_MEM. */
int64_t sys_page_alloc(envid_t envid, uint64_t va, uint64_t perm)
{
	struct env *e;
	int r = lookup_mine(envid, &e);
	if (r < 0)
		return r;
	if (!user_page_ok(va) || !perm_ok(perm))
		return -E_INVAL;
	struct page *pg = page_alloc();
	if (!pg)
		return -E_NO_MEM;
	page_incref(pg);
	r = vm_map(e, va, pg, perm);
	page_decref(pg); /* the mapping holds the only reference, if any */
	return r;
}

/* A source page for page_map and ipc_try_send: the caller's own memory
 * below UTOP, or (read-only) the boot archive view. Returns the PTE. */
static int source_page(struct env *e, uint64_t va, uint64_t perm, pte_t *out)
{
	bool initrd = va >= UINITRD && va - UINITRD < sysinfo->initrd_size;
	if (va % PGSIZE || !(va < UTOP || initrd) || !perm_ok(perm))
		return -E_INVAL;
	pte_t *pte = initrd ? NULL : vm_lookup(e, va);
	pte_t view =
		initrd ? PA_TO_PTE(boot.initrd_start + (va - UINITRD)) | PTE_V | PTE_R | PTE_U : 0;
	if (!initrd && !pte)
		return -E_NOT_MAPPED;
	*out = initrd ? view : *pte;
	/* No write access the source lacks, unless this mapping is the
	 * page's only reference: then nobody else can see the writes (how a
	 * copy-on-write page nobody shares is taken over without a copy). */
	if ((perm & PTE_W) && !(*out & PTE_W) && (initrd || pa_to_page(PTE_PA(*out))->ref != 1))
		return -E_INVAL;
	return 0;
}

/* page_map(srcenv, srcva, dstenv, dstva, perm): maps the page at srcva in
 * srcenv also at dstva in dstenv. srcva may lie in the boot archive view
 * (UINITRD), read-only. Errors: E_BAD_ENV; E_INVAL (an address not page
 * aligned or out of range, perm not allowed, or W on a read-only source
 * that has other references);
 * E_NOT_MAPPED (nothing at srcva); E_NO_MEM. */
int64_t sys_page_map(envid_t srcenv, uint64_t srcva, envid_t dstenv, uint64_t dstva, uint64_t perm)
{
	struct env *src, *dst;
	int r = lookup_mine(srcenv, &src);
	if (r == 0)
		r = lookup_mine(dstenv, &dst);
	if (r < 0)
		return r;
	if (!user_page_ok(dstva))
		return -E_INVAL;
	pte_t pte;
	r = source_page(src, srcva, perm, &pte);
	if (r < 0)
		return r;
	return vm_map(dst, dstva, pa_to_page(PTE_PA(pte)), perm);
}

/* page_unmap(envid, va): removes the mapping at va, if any.
 * Errors: E_BAD_ENV; E_INVAL (va not page aligned below UTOP). */
int64_t sys_page_unmap(envid_t envid, uint64_t va)
{
	struct env *e;
	int r = lookup_mine(envid, &e);
	if (r < 0)
		return r;
	if (!user_page_ok(va))
		return -E_INVAL;
	vm_unmap(e, va);
	return 0;
}

/* The target of a send: a live env (0: the caller) waiting in ipc_recv.
 * This is env_lookup without the ancestry rule, inline: IPC's hot path.
 * The caller runs, so it is not in ipc_recv. No env's id is negative, and
 * env_ipc_recving is set only while its env lives (env_destroy clears
 * it), so the id and the flag are the whole check until the error needs
 * telling apart. */
static inline int ipc_target(envid_t envid, struct env **out)
{
	if (envid == 0)
		return -E_IPC_NOT_RECV;
	struct env *dst = &envs[ENVX(envid)];
	struct env_info *info = dst->info;
	if (info->env_id != envid)
		return -E_BAD_ENV;
	if (!info->env_ipc_recving)
		return env_alive(dst) ? -E_IPC_NOT_RECV : -E_BAD_ENV;
	*out = dst;
	return 0;
}

/* Whether a send from srcva carries a page: below UTOP, or in the boot
 * archive's view. Written so that the usual "no page", srcva in [UTOP,
 * UINITRD), takes one comparison of srcva's 256 MiB unit (below UTOP the
 * difference wraps). */
#define SEND_UNIT 28
static inline bool sends_page(uint64_t srcva)
{
	_Static_assert(UTOP < UINITRD && UTOP % (1ul << SEND_UNIT) == 0 &&
			       UINITRD % (1ul << SEND_UNIT) == 0,
		       "sends_page: UTOP and UINITRD bound whole units, UINITRD above");
	return (srcva >> SEND_UNIT) - (UTOP >> SEND_UNIT) >= (UINITRD - UTOP) >> SEND_UNIT &&
	       srcva < UINITRD + UINITRD_MAX;
}

/* The page part of a send: srcva is checked (as page_map checks it) and,
 * if dst asked for a page, mapped there; *delivered = its perm, or 0. */
static inline int ipc_send_page(struct env *dst, uint64_t srcva, uint64_t perm, uint64_t *delivered)
{
	pte_t pte;
	int r = source_page(curenv, srcva, perm, &pte);
	if (r < 0 || dst->ipc_dstva >= UTOP)
		return r;
	r = vm_map(dst, dst->ipc_dstva, pa_to_page(PTE_PA(pte)), perm);
	*delivered = r < 0 ? 0 : perm;
	return r;
}

/* Hands (the caller's id, value, perm) to dst, which leaves ipc_recv
 * (not yet runnable). */
static inline void ipc_put(struct env *dst, uint64_t value, uint64_t perm)
{
	dst->info->env_ipc_recving = 0;
	dst->tf.a0 = 0;
	dst->tf.a1 = (uint64_t)curenv->info->env_id;
	dst->tf.a2 = value;
	dst->tf.a3 = perm;
}

/* The send of ipc_try_send and ipc_call: every check, then the delivery.
 * Inline, so that a call makes one stack frame. */
static inline __attribute__((always_inline)) int
ipc_deliver(envid_t envid, uint64_t value, uint64_t srcva, uint64_t perm, struct env **out)
{
	struct env *dst;
	int r = ipc_target(envid, &dst);
	if (r < 0)
		return r;
	uint64_t delivered = 0;
	if (sends_page(srcva) && (r = ipc_send_page(dst, srcva, perm, &delivered)) < 0)
		return r;
	ipc_put(dst, value, delivered);
	*out = dst;
	return 0;
}

/* ipc_try_send(envid, value, srcva, perm): if envid waits in ipc_recv,
 * hands it (sender id, value) and, when srcva < UTOP (or in UINITRD) and
 * the receiver asked for a page, maps that page in the receiver with
 * perm. Any env may send to any env. Errors: E_BAD_ENV (no such live
 * env); E_IPC_NOT_RECV; E_INVAL/E_NOT_MAPPED (as page_map, when a page is
 * sent); E_NO_MEM. */
int64_t sys_ipc_try_send(envid_t envid, uint64_t value, uint64_t srcva, uint64_t perm)
{
	struct env *dst;
	int r = ipc_deliver(envid, value, srcva, perm, &dst);
	if (r == 0)
		env_set_status(dst, ENV_RUNNABLE);
	return r;
}

/* The caller waits in ipc_recv(dstva) and dst, out of it now, runs. The
 * wait's result (a0) is set by what ends it: ipc_put or env_wake. */
static inline int64_t ipc_wait_and_switch(struct env *dst, uint64_t dstva)
{
	curenv->ipc_dstva = dstva;
	curenv->info->env_ipc_recving = 1;
	curenv->info->env_status = ENV_NOT_RUNNABLE; /* it ran: in no run queue */
	return env_switch_direct(curenv, dst);
}

/* ipc_call's page part when it is a pass of one page back and forth: the
 * caller's own page below UTOP, with every permission it grants, goes to
 * the receiver's dstva, which already maps that page (so no count, table
 * or scan hint changes) and is not where the receiver's fast upcall
 * writes its frames. Then it gives the receiver's mapping perm (or,
 * when the receiver wants no page, only checks the source), sets
 * *delivered, and returns true. Otherwise it changes nothing and returns
 * false: ipc_call_general does every other case, and the errors. Inline
 * and without calls, so ipc_call needs no stack frame. */
static inline __attribute__((always_inline)) bool ipc_page_pass(struct env *dst, uint64_t srcva,
								uint64_t perm, uint64_t *delivered)
{
	if (srcva >= UTOP || srcva % PGSIZE || !perm_ok(perm))
		return false;
	pte_t *slot = env_leaf_slot(curenv, srcva);
	pte_t src = slot ? *slot : 0;
	if (!(src & PTE_V) || (perm & ~src & PTE_W))
		return false;
	uint64_t dstva = dst->ipc_dstva;
	*delivered = 0;
	if (dstva >= UTOP)
		return true; /* no page wanted */
	slot = env_leaf_slot(dst, dstva);
	pte_t old = slot ? *slot : 0;
	if (!(old & PTE_V) || PTE_PA(old) != PTE_PA(src) ||
	    ROUNDDOWN(dst->fast.frame_va, PGSIZE) == dstva)
		return false;
	*slot = PA_TO_PTE(PTE_PA(src)) | USER_LEAF(perm);
	*delivered = perm;
	return true;
}

/* ipc_call's general path: a wake-up pending, or a page the quick pass
 * does not take. Out of the way of both, so they need no stack frame. */
static __attribute__((noinline)) int64_t
ipc_call_general(envid_t envid, uint64_t value, uint64_t srcva, uint64_t perm, uint64_t dstva)
{
	struct env *dst;
	int r = ipc_deliver(envid, value, srcva, perm, &dst);
	if (r < 0)
		return r;
	if (curenv->wake_pending) {
		curenv->wake_pending = false;
		env_set_status(dst, ENV_RUNNABLE);
		return -E_INTR;
	}
	return ipc_wait_and_switch(dst, dstva);
}

/* ipc_call with a page and no wake-up pending: the pass of one page back
 * and forth without a stack frame, else the general path. */
static __attribute__((noinline)) int64_t
ipc_call_page(envid_t envid, uint64_t value, uint64_t srcva, uint64_t perm, uint64_t dstva)
{
	struct env *dst;
	int r = ipc_target(envid, &dst);
	if (r < 0)
		return r;
	uint64_t delivered;
	if (!ipc_page_pass(dst, srcva, perm, &delivered))
		return ipc_call_general(envid, value, srcva, perm, dstva);
	ipc_put(dst, value, delivered);
	return ipc_wait_and_switch(dst, dstva);
}

/* ipc_call(envid, value, srcva, perm, dstva): ipc_try_send(envid, value,
 * srcva, perm), then ipc_recv(dstva), in one call: envid runs next, at
 * once and in the rest of the caller's time slice (no run-queue pass), and
 * the caller waits for its answer (or anyone's message). Returns as
 * ipc_recv. Errors: those of ipc_try_send (then nothing was sent and the
 * caller does not wait); E_INVAL (dstva < UTOP but not page aligned);
 * E_INTR (sent, but the caller was woken since its last sleep). */
int64_t sys_ipc_call(envid_t envid, uint64_t value, uint64_t srcva, uint64_t perm, uint64_t dstva)
{
	if (dstva % PGSIZE && dstva < UTOP)
		return -E_INVAL;
	if (curenv->wake_pending)
		return ipc_call_general(envid, value, srcva, perm, dstva);
	if (sends_page(srcva))
		return ipc_call_page(envid, value, srcva, perm, dstva);
	struct env *dst;
	int r = ipc_target(envid, &dst);
	if (r < 0)
		return r;
	ipc_put(dst, value, 0);
	return ipc_wait_and_switch(dst, dstva);
}

/* ipc_recv(dstva): blocks until a message arrives; returns 0 with a1 =
 * sender id, a2 = value, a3 = the perm of the page mapped at dstva (0 if
 * none). dstva >= UTOP means "no page wanted".
 * Errors: E_INVAL (dstva < UTOP but not page aligned); E_INTR (woken by
 * env_interrupt or a child's death, now or since the last sleep). */
int64_t sys_ipc_recv(uint64_t dstva)
{
	if (dstva < UTOP && dstva % PGSIZE)
		return -E_INVAL;
	if (curenv->wake_pending) {
		curenv->wake_pending = false;
		return -E_INTR;
	}
	curenv->ipc_dstva = dstva;
	curenv->info->env_ipc_recving = 1;
	env_set_status(curenv, ENV_NOT_RUNNABLE);
	schedule();
}

/* env_interrupt(envid, value): makes envid take an upcall now, as if it
 * had an exception of cause CAUSE_INTERRUPT with tval = value (the library
 * OS builds signals on it), and wakes it (see env_wake: a blocked
 * ipc_recv ends with -E_INTR). Errors: E_BAD_ENV; E_INVAL (envid has no
 * upcall, or value >= INTERRUPT_CHILD, which only the kernel sends). If its exception stack cannot
 * take the frame, envid is destroyed as for any fault, and the call still succeeds. */
int64_t sys_env_interrupt(envid_t envid, uint64_t value)
{
	struct env *e;
	int r = lookup_mine(envid, &e);
	if (r < 0)
		return r;
	if (!e->upcall_entry || value >= INTERRUPT_CHILD)
		return -E_INVAL;
	bool self = e == curenv;
	if (self)
		e->tf.a0 = 0; /* what this call returns, once the upcall resumes */
	else
		env_wake(e); /* first, so the frame records the woken state */
	upcall_or_destroy(e, CAUSE_INTERRUPT, value);
	return self ? SYSRET_KEEP_FRAME : 0;
}

/* env_set_timer(envid, period): envid gets a CAUSE_TIMER upcall (tval =
 * the time) every period ticks of the time CSR while it runs, or at the
 * end of each of its time slices (TIMER_EACH_SLICE); 0 turns it off. No
 * upcall is made while envid has no upcall entry.
 * Errors: E_BAD_ENV; E_INVAL (a period under 100 microseconds). */
int64_t sys_env_set_timer(envid_t envid, uint64_t period)
{
	struct env *e;
	int r = lookup_mine(envid, &e);
	if (r < 0)
		return r;
	if (period && period != TIMER_EACH_SLICE && period < sysinfo->timebase_hz / 10000)
		return -E_INVAL;
	e->timer_period = period;
	e->timer_next = period && period != TIMER_EACH_SLICE ? csr_read_time() + period : 0;
	return 0;
}

/* env_set_priority(envid, priority): PRIO_MIN..PRIO_MAX, never above the
 * caller's own. Errors: E_BAD_ENV; E_INVAL (out of range or too high). */
int64_t sys_env_set_priority(envid_t envid, int priority)
{
	struct env *e;
	int r = lookup_mine(envid, &e);
	if (r < 0)
		return r;
	if (priority < PRIO_MIN || priority > (int)curenv->info->env_priority)
		return -E_INVAL;
	bool queued = e->info->env_status == ENV_RUNNABLE;
	if (queued)
		runq_remove(e);
	e->info->env_priority = (uint32_t)priority;
	if (queued)
		runq_add(e);
	return 0;
}

/* env_wake(envid): wakes envid if it sleeps (see env_set_status and
 * ipc_recv), else makes its next sleep return at once. Any env may wake
 * any live env: a wake-up only makes it look again at what it waits for.
 * Errors: E_BAD_ENV. */
int64_t sys_env_wake(envid_t envid)
{
	struct env *e;
	int r = env_lookup(envid, false, &e);
	if (r < 0 || !env_alive(e))
		return -E_BAD_ENV;
	if (e != curenv)
		env_wake(e);
	return 0;
}

/* env_set_daemon(envid, daemon): a daemon (a server) does not keep the
 * machine running: when only daemons are left, the kernel destroys them
 * and powers off. Errors: E_BAD_ENV. */
int64_t sys_env_set_daemon(envid_t envid, int daemon)
{
	struct env *e;
	int r = lookup_mine(envid, &e);
	if (r < 0)
		return r;
	e->info->env_daemon = daemon != 0;
	return 0;
}

/* Whether [lo, hi) is a page-aligned, non-empty range below UTOP. */
static bool user_range_ok(uint64_t lo, uint64_t hi)
{
	return lo % PGSIZE == 0 && hi % PGSIZE == 0 && lo < hi && hi <= UTOP;
}

/* page_map_range(dstenv, lo, hi, dstlo, flags): maps every page mapped in
 * the caller's [lo, hi) at dstlo + (va - lo) in dstenv, with the same
 * bits. MAP_RANGE_COW: writable or PTE_COW pages that are not PTE_SHARE
 * become copy-on-write in both (fork in one crossing). MAP_RANGE_MOVE:
 * the caller's mappings go (exec moves its staged image so).
 * MAP_RANGE_COPY: dstenv gets a private copy of each page. Errors:
 * E_BAD_ENV (dstenv not the caller or a live descendant); E_INVAL (a
 * range not page aligned, empty or not below UTOP, source and
 * destination overlapping in one env, unknown flags, COPY with another
 * flag); E_NO_MEM (then a prefix of the range is done). */
int64_t sys_page_map_range(envid_t dstenv, uint64_t lo, uint64_t hi, uint64_t dstlo, int flags)
{
	struct env *dst;
	int r = lookup_mine(dstenv, &dst);
	if (r < 0)
		return r;
	uint64_t n = hi - lo;
	if (!user_range_ok(lo, hi) || !user_range_ok(dstlo, dstlo + n) || dstlo + n < dstlo ||
	    (dst == curenv && dstlo < hi && lo < dstlo + n) ||
	    (flags & ~(MAP_RANGE_COW | MAP_RANGE_MOVE | MAP_RANGE_COPY)) ||
	    ((flags & MAP_RANGE_COPY) && flags != MAP_RANGE_COPY))
		return -E_INVAL;
	return vm_map_range(curenv, dst, lo, hi, dstlo - lo, flags);
}

/* page_unmap_range(envid, lo, hi): unmaps every page in [lo, hi).
 * Errors: E_BAD_ENV; E_INVAL (not a page-aligned range below UTOP). */
int64_t sys_page_unmap_range(envid_t envid, uint64_t lo, uint64_t hi)
{
	struct env *e;
	int r = lookup_mine(envid, &e);
	if (r < 0)
		return r;
	if (!user_range_ok(lo, hi))
		return -E_INVAL;
	vm_unmap_range(e, lo, hi);
	return 0;
}
