/* The env table: allocation, lookup with the ancestry rule, destruction
 * and zombies. */
#include "kernel.h"

struct env envs[NENV];
/* The user-visible half of each slot, mapped read-only at UENVS. */
struct env_info env_table[NENV] __attribute__((aligned(PGSIZE)));
struct env *curenv; /* the env whose registers the trap vector saves */
static struct env *free_envs;
static int live_envs; /* envs that are neither free nor zombies */

void env_init(void)
{
	for (int i = NENV - 1; i >= 0; i--) {
		envs[i].info = &env_table[i];
		envs[i].next = free_envs;
		free_envs = &envs[i];
	}
	sysinfo->nenv = NENV;
}

int env_live_count(void)
{
	return live_envs;
}

/* When only daemons are left nothing can need them: destroy them all.
 * Returns whether any env is left. */
bool env_reap_lonely_daemons(void)
{
	for (int i = 0; i < NENV; i++)
		if (env_alive(&envs[i]) && !envs[i].info->env_daemon)
			return true;
	for (int i = 0; i < NENV; i++)
		if (env_alive(&envs[i]))
			env_destroy(&envs[i], EXIT_KILLED, 0, 0);
	for (int i = 0; i < NENV; i++) /* their zombie children, if any */
		if (envs[i].info->env_status == ENV_ZOMBIE)
			env_destroy(&envs[i], 0, 0, 0);
	return false;
}

static struct env *parent_of(struct env *e)
{
	envid_t pid = e->info->env_parent_id;
	struct env *p = &envs[ENVX(pid)];
	return pid && p->info->env_id == pid && env_alive(p) ? p : NULL;
}

/*
 * Finds the env named by id (0 = the caller), including zombies. With
 * must_be_mine, the caller must be the env itself or one of its
 * ancestors: that is the rule for every call that changes an env.
 * Errors: E_BAD_ENV (no such env, a stale id, or not the caller's).
 */
int env_lookup(envid_t id, bool must_be_mine, struct env **out)
{
	if (id == 0) {
		*out = curenv;
		return 0;
	}
	struct env *e = &envs[ENVX(id)];
	if (id < 0 || e->info->env_status == ENV_FREE || e->info->env_id != id)
		return -E_BAD_ENV;
	if (must_be_mine) {
		struct env *a = e;
		if (e->info->env_status == ENV_ZOMBIE) /* a zombie's parent is alive */
			a = &envs[ENVX(e->info->env_parent_id)];
		while (a && a != curenv)
			a = parent_of(a);
		if (!a)
			return -E_BAD_ENV;
	}
	*out = e;
	return 0;
}

/* Takes a free slot and gives it a fresh id and an empty address space.
 * Errors: E_NO_FREE_ENV, E_NO_MEM. */
int env_alloc(struct env **out, envid_t parent_id)
{
	struct env *e = free_envs;
	if (!e)
		return -E_NO_FREE_ENV;
	int r = vm_create(e);
	if (r < 0)
		return r;
	free_envs = e->next;

	envid_t gen = (e->info->env_id + (1 << ENVGENSHIFT)) & ~((1 << ENVGENSHIFT) - 1);
	if (gen <= 0)
		gen = 1 << ENVGENSHIFT;
	struct env_info *info = e->info;
	struct env *parent = parent_id ? &envs[ENVX(parent_id)] : NULL;
	if (parent)
		parent->nchildren++;
	*info = (struct env_info){
		.env_id = gen | (envid_t)(e - envs),
		.env_parent_id = parent_id,
		.env_status = ENV_NOT_RUNNABLE,
		.env_priority = parent ? parent->info->env_priority : PRIO_MAX,
	};
	memset(&e->tf, 0, sizeof e->tf);
	memset(&e->fp, 0, sizeof e->fp);
	e->upcall_entry = e->xstack_lo = e->xstack_hi = 0;
	upcall_fast_forget(e);
	e->suspended = e->wake_pending = false;
	e->nchildren = 0;
	e->child_notice = false;
	e->timer_period = 0;
	e->next = e->prev = NULL;
	live_envs++;
	*out = e;
	return 0;
}

/* Moves e between RUNNABLE, RUNNING and NOT_RUNNABLE, keeping the run
 * queue exact: e is queued iff it is RUNNABLE. */
void env_set_status(struct env *e, uint32_t status)
{
	uint32_t old = e->info->env_status;
	if (old == status)
		return;
	if (old == ENV_RUNNABLE)
		runq_remove(e);
	e->info->env_status = status;
	if (status == ENV_RUNNABLE) {
		e->suspended = false;
		runq_add(e);
	}
}

/* Wakes e from a sleep: its ipc_recv ends with -E_INTR, or its
 * self-suspension ends. If e is not asleep, its next sleep returns at
 * once (so a wake-up between "check" and "sleep" is never lost). */
void env_wake(struct env *e)
{
	if (e->info->env_ipc_recving) {
		e->info->env_ipc_recving = 0;
		e->tf.a0 = (uint64_t)-E_INTR;
		env_set_status(e, ENV_RUNNABLE);
	} else if (e->suspended) {
		env_set_status(e, ENV_RUNNABLE);
	} else {
		e->wake_pending = true;
	}
}

/* Whether c, losing its parent, could still run: it is runnable, or
 * sleeps where others can wake it (ipc_recv, self-suspension). A child
 * its parent stopped (or never started) could only be started by an
 * ancestor, and none is left. */
static bool can_ever_run(struct env *c)
{
	return c->info->env_status != ENV_NOT_RUNNABLE || c->info->env_ipc_recving || c->suspended;
}

/* Tells a parent that a child died: wakes it, and gives it a
 * CAUSE_INTERRUPT upcall with INTERRUPT_CHILD if it has an upcall (best
 * effort: a parent whose exception stack cannot take it only wakes). */
static void notify_parent(struct env *parent)
{
	env_wake(parent);
	/* One notice says "look at your children": while one waits to run,
	 * another would only pile frames on the exception stack. */
	if (parent->upcall_entry && !parent->child_notice)
		parent->child_notice = upcall_try(parent, CAUSE_INTERRUPT, INTERRUPT_CHILD);
}

static void env_free_slot(struct env *e)
{
	struct env *parent = parent_of(e);
	if (parent)
		parent->nchildren--;
	e->info->env_status = ENV_FREE;
	e->info->env_parent_id = 0;
	e->next = free_envs;
	free_envs = e;
}

/*
 * Destroys e: frees its memory and releases its children (zombie children
 * are freed, live ones lose their parent). If e's parent is alive e stays
 * a zombie holding (kind, code, tval) until the parent reaps it with
 * env_destroy; otherwise its slot is freed now. Destroying a zombie reaps
 * it.
 */
void env_destroy(struct env *e, uint32_t kind, int32_t code, uint64_t tval)
{
	if (e->info->env_status == ENV_ZOMBIE) {
		env_free_slot(e);
		return;
	}
	env_set_status(e, ENV_NOT_RUNNABLE);
	vm_destroy(e);
	fpu_release(e);
	e->info->env_ipc_recving = 0;
	for (int i = 0; i < NENV && e->nchildren; i++) {
		struct env *c = &envs[i];
		if (c->info->env_status == ENV_FREE || c->info->env_parent_id != e->info->env_id)
			continue;
		if (c->info->env_status == ENV_ZOMBIE)
			env_free_slot(c);
		else if (!can_ever_run(c))
			env_destroy(c, EXIT_KILLED, 0, 0); /* nobody could wake it */
		else {
			c->info->env_parent_id = 0;
			e->nchildren--;
		}
	}
	live_envs--;
	if (e == curenv)
		curenv = NULL;
	struct env *parent = parent_of(e);
	if (parent) {
		e->info->env_status = ENV_ZOMBIE;
		e->info->env_exit_kind = kind;
		e->info->env_exit_code = code;
		e->info->env_exit_tval = tval;
		if (parent != curenv) /* a parent that destroys a child knows */
			notify_parent(parent);
	} else {
		env_free_slot(e);
	}
}
