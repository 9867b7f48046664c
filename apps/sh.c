/* sh: the shell: pipelines, redirections, lists, jobs, variables, scripts and control flow. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "console.h"
#include "libos.h"

#define SAVE_FD_MIN 10 /* saved descriptors live at or above this */

/* --- memory: an arena for each parse and expansion, released as a stack --- */

struct chunk {
	struct chunk *prev;
	size_t used, size;
	char data[];
};
struct mark {
	struct chunk *chunk;
	size_t used;
};
static struct chunk *arena;

static void die_nomem(void)
{
	fputs("sh: out of memory\n", stderr);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_nomem();
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die_nomem();
	return p;
}

static char *xstrdup(const char *s)
{
	return strcpy(xmalloc(strlen(s) + 1), s);
}

static void *alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!arena || arena->used + n > arena->size) {
		size_t size = n > 8192 ? n : 8192;
		struct chunk *c = xmalloc(sizeof *c + size);
		*c = (struct chunk){.prev = arena, .size = size};
		arena = c;
	}
	void *p = arena->data + arena->used;
	arena->used += n;
	return memset(p, 0, n);
}

static char *astrndup(const char *s, size_t n)
{
	char *d = alloc(n + 1);
	memcpy(d, s, n);
	return d;
}

static char *astrdup(const char *s)
{
	return astrndup(s, strlen(s));
}

static struct mark arena_mark(void)
{
	return (struct mark){arena, arena ? arena->used : 0};
}

static void arena_release(struct mark m)
{
	while (arena != m.chunk) {
		struct chunk *prev = arena->prev;
		free(arena);
		arena = prev;
	}
	if (arena)
		arena->used = m.used;
}

/* A growing string (malloc'd). */
struct str {
	char *s;
	size_t len, cap;
};

static void str_addn(struct str *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void str_add(struct str *b, const char *s)
{
	str_addn(b, s, strlen(s));
}

static void str_addc(struct str *b, char c)
{
	str_addn(b, &c, 1);
}

static const char *str_get(struct str *b)
{
	return b->s ? b->s : "";
}

/* A growing array of strings in the arena, NULL-terminated. */
struct strv {
	char **v;
	int n, cap;
};

static void strv_add(struct strv *a, char *s)
{
	if (a->n + 2 > a->cap) {
		int cap = a->cap ? a->cap * 2 : 8;
		char **v = alloc((size_t)cap * sizeof *v);
		if (a->n)
			memcpy(v, a->v, (size_t)a->n * sizeof *v);
		a->v = v, a->cap = cap;
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

/* --- shell state --- */

struct var {
	char *name, *value;
	bool exported;
	struct var *next;
};

static struct var *vars;
static int last_status;	  /* $? */
static pid_t last_bg;	  /* $! */
static pid_t top_pid;	  /* $$: the shell's pid, also in subshells */
static char *arg0 = "sh"; /* $0 */
static char **params;	  /* $1... (malloc'd) */
static int nparams;
static bool interactive, xtrace, errexit;
static int cond_depth;	 /* > 0 while running a condition: errexit is off */
static int loop_depth;	 /* loops around what runs now */
static int break_levels; /* break/continue in progress */
static bool continuing;
static int input_fd = -1;     /* the script being read: children close it */
static bool got_sigint;	      /* Ctrl-C ended a foreground job: stop the command line */
static int subst_status = -1; /* $? of the last $(...) of a command, -1 if none */

static void set_status(int s)
{
	last_status = s;
}

static bool is_name(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

static struct var *var_find(const char *name)
{
	for (struct var *v = vars; v; v = v->next)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

static const char *var_get(const char *name)
{
	struct var *v = var_find(name);
	return v ? v->value : NULL;
}

/* Sets a variable; export marks it for children (it never unmarks). */
static void var_set(const char *name, const char *value, bool export)
{
	struct var *v = var_find(name);
	if (!v) {
		v = xmalloc(sizeof *v);
		*v = (struct var){.name = xstrdup(name), .next = vars};
		vars = v;
	} else if (value) {
		free(v->value);
		v->value = NULL;
	}
	if (value)
		v->value = xstrdup(value);
	v->exported |= export;
}

static void var_unset(const char *name)
{
	for (struct var **p = &vars; *p; p = &(*p)->next) {
		if (!strcmp((*p)->name, name)) {
			struct var *v = *p;
			*p = v->next;
			free(v->name);
			free(v->value);
			free(v);
			return;
		}
	}
}

/* "NAME=value": sets it; false if it is not an assignment. */
static bool assign(const char *word, bool export)
{
	const char *eq = strchr(word, '=');
	if (!eq || !is_name(word, (size_t)(eq - word)))
		return false;
	char *name = astrndup(word, (size_t)(eq - word));
	var_set(name, eq + 1, export);
	return true;
}

static void import_environment(char **env)
{
	for (; env && *env; env++)
		assign(*env, true);
}

/* The environment for a child: exported variables, then extra "N=v"s. */
static char **build_environ(char **extra, int nextra)
{
	struct strv env = {0};
	for (struct var *v = vars; v; v = v->next) {
		bool overridden = false;
		for (int i = 0; i < nextra; i++) {
			size_t n = strlen(v->name);
			overridden |= !strncmp(extra[i], v->name, n) && extra[i][n] == '=';
		}
		if (v->exported && v->value && !overridden) {
			char *s = alloc(strlen(v->name) + strlen(v->value) + 2);
			sprintf(s, "%s=%s", v->name, v->value);
			strv_add(&env, s);
		}
	}
	for (int i = 0; i < nextra; i++)
		strv_add(&env, extra[i]);
	if (!env.v)
		strv_add(&env, NULL);
	return env.v;
}

static void set_params(char **argv, int n)
{
	for (int i = 0; i < nparams; i++)
		free(params[i]);
	free(params);
	params = xmalloc(sizeof *params * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		params[i] = xstrdup(argv[i]);
	params[n] = NULL;
	nparams = n;
}

/* Prints "sh: " and a message to stderr. */
static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fflush(stdout);
	fputs("sh: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	fflush(stderr);
	va_end(ap);
}

/* --- lexer --- */

enum tok {
	T_EOF,
	T_NEWLINE,
	T_WORD,
	T_SEMI,
	T_AMP,
	T_PIPE,
	T_AND,
	T_OR,
	T_LPAREN,
	T_RPAREN,
	T_DSEMI,
	T_REDIR,
};

enum redir_kind { R_IN, R_OUT, R_APPEND, R_RDWR, R_DUPIN, R_DUPOUT };

struct token {
	enum tok kind;
	const char *start, *end; /* its text in the source */
	enum redir_kind redir;
	int fd; /* the redirected descriptor, or -1 for the default */
};

struct parser {
	const char *src, *p;
	struct token tok;     /* the lookahead */
	const char *prev_end; /* where the token before it ended */
	bool incomplete;      /* the input ended inside a construct */
	jmp_buf fail;
	const char *error_at;
};

static void parse_fail(struct parser *ps, bool incomplete)
{
	ps->incomplete = incomplete;
	longjmp(ps->fail, 1);
}

/* Skips a quoted or bracketed part of a word starting at p; returns the
 * character after it. Runs out of input: incomplete. */
static const char *skip_dollar(struct parser *ps, const char *p);

static const char *skip_single(struct parser *ps, const char *p)
{
	const char *q = strchr(p + 1, '\'');
	if (!q)
		parse_fail(ps, true);
	return q + 1;
}

static const char *skip_double(struct parser *ps, const char *p)
{
	for (p++;; p++) {
		if (*p == '\0')
			parse_fail(ps, true);
		if (*p == '"')
			return p + 1;
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '$' || *p == '`')
			p = skip_dollar(ps, p) - 1;
	}
}

/* From an opening parenthesis, to after the one that closes it. */
static const char *skip_parens(struct parser *ps, const char *p)
{
	int depth = 0;
	for (;;) {
		switch (*p) {
		case '\0':
			parse_fail(ps, true);
			break;
		case '(':
			depth++;
			p++;
			break;
		case ')':
			p++;
			if (--depth == 0)
				return p;
			break;
		case '\'':
			p = skip_single(ps, p);
			break;
		case '"':
			p = skip_double(ps, p);
			break;
		case '\\':
			p += p[1] ? 2 : 1;
			break;
		default:
			p++;
		}
	}
}

static const char *skip_dollar(struct parser *ps, const char *p)
{
	if (*p == '`') {
		for (p++; *p != '`'; p++) {
			if (*p == '\0')
				parse_fail(ps, true);
			if (*p == '\\' && p[1])
				p++;
		}
		return p + 1;
	}
	if (p[1] == '(')
		return skip_parens(ps, p + 1);
	if (p[1] == '{') {
		const char *q = p + 2;
		while (*q && *q != '}') {
			if (*q == '\'' || *q == '"')
				q = *q == '\'' ? skip_single(ps, q) : skip_double(ps, q);
			else
				q += *q == '\\' && q[1] ? 2 : 1;
		}
		if (!*q)
			parse_fail(ps, true);
		return q + 1;
	}
	return p + 1;
}

/* A backslash escapes the next character; at the very end of the input
 * (or before its last newline) it asks for another line. */
static const char *skip_backslash(struct parser *ps, const char *p)
{
	if (p[1] == '\0' || (p[1] == '\n' && p[2] == '\0'))
		parse_fail(ps, true);
	return p + 2;
}

static bool is_meta(char c)
{
	return c == '\0' || strchr(" \t\n;&|<>()", c) != NULL;
}

static const char *scan_word(struct parser *ps, const char *p)
{
	while (!is_meta(*p)) {
		if (*p == '\'')
			p = skip_single(ps, p);
		else if (*p == '"')
			p = skip_double(ps, p);
		else if (*p == '\\')
			p = skip_backslash(ps, p);
		else if (*p == '$' || *p == '`')
			p = skip_dollar(ps, p);
		else
			p++;
	}
	return p;
}

/* Redirection operators; p is at '<' or '>'. */
static const char *scan_redir(const char *p, struct token *t)
{
	static const struct {
		const char *op;
		enum redir_kind kind;
	} ops[] = {{">>", R_APPEND}, {">&", R_DUPOUT}, {">|", R_OUT}, {"<&", R_DUPIN},
		   {"<>", R_RDWR},   {">", R_OUT},     {"<", R_IN}};
	for (size_t i = 0;; i++) {
		size_t n = strlen(ops[i].op);
		if (!strncmp(p, ops[i].op, n)) {
			t->kind = T_REDIR;
			t->redir = ops[i].kind;
			return p + n;
		}
	}
}

static const char *scan_operator(const char *p, struct token *t)
{
	static const struct {
		const char *op;
		enum tok kind;
	} ops[] = {{"&&", T_AND}, {"||", T_OR},	   {";;", T_DSEMI}, {"&", T_AMP},     {"|", T_PIPE},
		   {";", T_SEMI}, {"(", T_LPAREN}, {")", T_RPAREN}, {"\n", T_NEWLINE}};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t n = strlen(ops[i].op);
		if (!strncmp(p, ops[i].op, n)) {
			t->kind = ops[i].kind;
			return p + n;
		}
	}
	return scan_redir(p, t);
}

static const char *skip_blanks(struct parser *ps, const char *p)
{
	for (;;) {
		if (*p == ' ' || *p == '\t')
			p++;
		else if (p[0] == '\\' && p[1] == '\n')
			p = skip_backslash(ps, p);
		else if (*p == '#')
			while (*p && *p != '\n')
				p++;
		else
			return p;
	}
}

static void next_token(struct parser *ps)
{
	struct token *t = &ps->tok;
	ps->prev_end = t->end;
	const char *p = skip_blanks(ps, ps->p);
	*t = (struct token){.start = p, .fd = -1};
	if (*p == '\0') {
		t->kind = T_EOF;
	} else if (is_meta(*p)) {
		p = scan_operator(p, t);
	} else {
		p = scan_word(ps, p);
		t->kind = T_WORD;
		size_t n = (size_t)(p - t->start);
		if ((*p == '<' || *p == '>') && strspn(t->start, "0123456789") == n && n < 3) {
			t->fd = atoi(t->start);
			p = scan_redir(p, t);
		}
	}
	t->end = ps->p = p;
}

/* --- syntax tree and parser --- */

enum node_kind {
	N_SIMPLE,
	N_PIPELINE,
	N_AND,
	N_OR,
	N_LIST,
	N_SUBSHELL,
	N_GROUP,
	N_IF,
	N_WHILE,
	N_UNTIL,
	N_FOR,
	N_CASE,
};

struct redir {
	int fd;
	enum redir_kind kind;
	char *target; /* a word, expanded when applied */
	struct redir *next;
};

struct case_item {
	struct strv patterns;
	struct node *body;
	struct case_item *next;
};

struct node {
	enum node_kind kind;
	char *text; /* the source, for jobs and traces */
	struct redir *redirs;
	struct strv words, assigns; /* N_SIMPLE; N_FOR: the list; N_CASE: words.v[0] */
	struct node **items;	    /* N_PIPELINE, N_LIST */
	bool *background;	    /* N_LIST: item i ends in & */
	int nitems;
	bool negate;		   /* N_PIPELINE: ! */
	struct node *left, *right; /* N_AND, N_OR; N_IF/N_WHILE: cond, then; */
	struct node *els;	   /* N_IF: else (or an elif N_IF) */
	char *var;		   /* N_FOR */
	bool has_in;		   /* N_FOR: "in words" given */
	struct case_item *cases;   /* N_CASE */
};

static struct node *parse_list(struct parser *ps);
static struct node *parse_command(struct parser *ps);

static struct node *new_node(enum node_kind kind)
{
	struct node *n = alloc(sizeof *n);
	n->kind = kind;
	return n;
}

static bool tok_is(struct parser *ps, const char *word)
{
	size_t n = strlen(word);
	return ps->tok.kind == T_WORD && (size_t)(ps->tok.end - ps->tok.start) == n &&
	       !strncmp(ps->tok.start, word, n);
}

static bool at_closer(struct parser *ps)
{
	static const char *const closers[] = {"then", "else", "elif", "fi", "do",
					      "done", "esac", "}",    NULL};
	for (int i = 0; closers[i]; i++)
		if (tok_is(ps, closers[i]))
			return true;
	return ps->tok.kind == T_EOF || ps->tok.kind == T_RPAREN || ps->tok.kind == T_DSEMI;
}

static void syntax_error(struct parser *ps)
{
	if (ps->tok.kind == T_EOF)
		parse_fail(ps, true);
	ps->error_at = ps->tok.kind == T_NEWLINE
			       ? "newline"
			       : astrndup(ps->tok.start, (size_t)(ps->tok.end - ps->tok.start));
	parse_fail(ps, false);
}

static char *tok_text(struct parser *ps)
{
	return astrndup(ps->tok.start, (size_t)(ps->tok.end - ps->tok.start));
}

static void expect_word(struct parser *ps, const char *word)
{
	if (!tok_is(ps, word))
		syntax_error(ps);
	next_token(ps);
}

static void skip_newlines(struct parser *ps)
{
	while (ps->tok.kind == T_NEWLINE)
		next_token(ps);
}

/* After a redirection operator: its target word. */
static struct redir *parse_redir(struct parser *ps)
{
	struct redir *r = alloc(sizeof *r);
	r->kind = ps->tok.redir;
	r->fd = ps->tok.fd >= 0						       ? ps->tok.fd
		: (r->kind == R_IN || r->kind == R_DUPIN || r->kind == R_RDWR) ? 0
									       : 1;
	next_token(ps);
	if (ps->tok.kind != T_WORD)
		syntax_error(ps);
	r->target = tok_text(ps);
	next_token(ps);
	return r;
}

static void add_redir(struct node *n, struct redir *r)
{
	struct redir **p = &n->redirs;
	while (*p)
		p = &(*p)->next;
	*p = r;
}

static bool is_assignment(const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);
	return eq && is_name(s, (size_t)(eq - s));
}

static struct node *parse_simple(struct parser *ps)
{
	struct node *n = new_node(N_SIMPLE);
	for (;;) {
		if (ps->tok.kind == T_REDIR) {
			add_redir(n, parse_redir(ps));
		} else if (ps->tok.kind == T_WORD) {
			bool is_assign =
				n->words.n == 0 &&
				is_assignment(ps->tok.start, (size_t)(ps->tok.end - ps->tok.start));
			strv_add(is_assign ? &n->assigns : &n->words, tok_text(ps));
			next_token(ps);
		} else {
			break;
		}
	}
	if (!n->words.n && !n->assigns.n && !n->redirs)
		syntax_error(ps);
	return n;
}

/* A list that must end at the reserved word end (then, do, fi...). */
static struct node *parse_body(struct parser *ps, const char *end)
{
	struct node *body = parse_list(ps);
	if (!body->nitems)
		syntax_error(ps);
	expect_word(ps, end);
	return body;
}

static struct node *parse_if(struct parser *ps)
{
	struct node *n = new_node(N_IF);
	next_token(ps); /* if or elif */
	n->left = parse_body(ps, "then");
	n->right = parse_list(ps);
	if (!n->right->nitems)
		syntax_error(ps);
	if (tok_is(ps, "elif")) {
		n->els = parse_if(ps);
		return n;
	}
	if (tok_is(ps, "else")) {
		next_token(ps);
		n->els = parse_list(ps);
	}
	expect_word(ps, "fi");
	return n;
}

static struct node *parse_loop(struct parser *ps, enum node_kind kind)
{
	struct node *n = new_node(kind);
	next_token(ps);
	n->left = parse_body(ps, "do");
	n->right = parse_body(ps, "done");
	return n;
}

static struct node *parse_for(struct parser *ps)
{
	struct node *n = new_node(N_FOR);
	next_token(ps);
	if (ps->tok.kind != T_WORD ||
	    !is_name(ps->tok.start, (size_t)(ps->tok.end - ps->tok.start)))
		syntax_error(ps);
	n->var = tok_text(ps);
	next_token(ps);
	skip_newlines(ps);
	if (tok_is(ps, "in")) {
		n->has_in = true;
		for (next_token(ps); ps->tok.kind == T_WORD; next_token(ps))
			strv_add(&n->words, tok_text(ps));
		if (ps->tok.kind != T_SEMI && ps->tok.kind != T_NEWLINE)
			syntax_error(ps);
		next_token(ps);
	} else if (ps->tok.kind == T_SEMI) {
		next_token(ps);
	}
	skip_newlines(ps);
	expect_word(ps, "do");
	n->right = parse_body(ps, "done");
	return n;
}

static struct case_item *parse_case_item(struct parser *ps)
{
	struct case_item *c = alloc(sizeof *c);
	if (ps->tok.kind == T_LPAREN)
		next_token(ps);
	for (;;) {
		if (ps->tok.kind != T_WORD)
			syntax_error(ps);
		strv_add(&c->patterns, tok_text(ps));
		next_token(ps);
		if (ps->tok.kind != T_PIPE)
			break;
		next_token(ps);
	}
	if (ps->tok.kind != T_RPAREN)
		syntax_error(ps);
	next_token(ps);
	c->body = parse_list(ps);
	if (ps->tok.kind == T_DSEMI)
		next_token(ps);
	else if (!tok_is(ps, "esac"))
		syntax_error(ps);
	skip_newlines(ps);
	return c;
}

static struct node *parse_case(struct parser *ps)
{
	struct node *n = new_node(N_CASE);
	next_token(ps);
	if (ps->tok.kind != T_WORD)
		syntax_error(ps);
	strv_add(&n->words, tok_text(ps));
	next_token(ps);
	skip_newlines(ps);
	expect_word(ps, "in");
	skip_newlines(ps);
	struct case_item **tail = &n->cases;
	while (!tok_is(ps, "esac")) {
		*tail = parse_case_item(ps);
		tail = &(*tail)->next;
	}
	next_token(ps);
	return n;
}

static struct node *parse_group(struct parser *ps)
{
	bool sub = ps->tok.kind == T_LPAREN;
	struct node *n = new_node(sub ? N_SUBSHELL : N_GROUP);
	next_token(ps);
	n->left = parse_list(ps);
	if (!n->left->nitems)
		syntax_error(ps);
	if (sub ? ps->tok.kind != T_RPAREN : !tok_is(ps, "}"))
		syntax_error(ps);
	next_token(ps);
	return n;
}

static struct node *parse_compound(struct parser *ps)
{
	if (ps->tok.kind == T_LPAREN || tok_is(ps, "{"))
		return parse_group(ps);
	if (tok_is(ps, "if"))
		return parse_if(ps);
	if (tok_is(ps, "while"))
		return parse_loop(ps, N_WHILE);
	if (tok_is(ps, "until"))
		return parse_loop(ps, N_UNTIL);
	if (tok_is(ps, "for"))
		return parse_for(ps);
	if (tok_is(ps, "case"))
		return parse_case(ps);
	return NULL;
}

static struct node *parse_command(struct parser *ps)
{
	const char *start = ps->tok.start;
	struct node *n = parse_compound(ps);
	if (n) {
		while (ps->tok.kind == T_REDIR)
			add_redir(n, parse_redir(ps));
	} else if (at_closer(ps) && ps->tok.kind != T_EOF) {
		syntax_error(ps);
	} else {
		n = parse_simple(ps);
	}
	n->text = astrndup(start, (size_t)(ps->prev_end - start));
	return n;
}

static struct node *parse_pipeline(struct parser *ps)
{
	struct node *n = new_node(N_PIPELINE);
	const char *start = ps->tok.start;
	struct strv cmds = {0};
	if (tok_is(ps, "!")) {
		n->negate = true;
		next_token(ps);
	}
	for (;;) {
		strv_add(&cmds, (char *)parse_command(ps));
		if (ps->tok.kind != T_PIPE)
			break;
		next_token(ps);
		skip_newlines(ps);
	}
	n->items = (struct node **)cmds.v;
	n->nitems = cmds.n;
	n->text = astrndup(start, (size_t)(ps->prev_end - start));
	return n;
}

static struct node *parse_and_or(struct parser *ps)
{
	const char *start = ps->tok.start;
	struct node *n = parse_pipeline(ps);
	while (ps->tok.kind == T_AND || ps->tok.kind == T_OR) {
		struct node *op = new_node(ps->tok.kind == T_AND ? N_AND : N_OR);
		next_token(ps);
		skip_newlines(ps);
		op->left = n;
		op->right = parse_pipeline(ps);
		op->text = astrndup(start, (size_t)(ps->prev_end - start));
		n = op;
	}
	return n;
}

/* and_or lists separated by ; & or newlines, up to EOF, ) or a closing
 * reserved word. */
static struct node *parse_list(struct parser *ps)
{
	struct node *n = new_node(N_LIST);
	struct strv items = {0};
	bool *bg = NULL;
	skip_newlines(ps);
	while (!at_closer(ps)) {
		strv_add(&items, (char *)parse_and_or(ps));
		bool *nbg = alloc((size_t)items.n * sizeof *nbg);
		if (bg)
			memcpy(nbg, bg, (size_t)(items.n - 1) * sizeof *nbg);
		bg = nbg;
		if (ps->tok.kind == T_AMP || ps->tok.kind == T_SEMI || ps->tok.kind == T_NEWLINE) {
			bg[items.n - 1] = ps->tok.kind == T_AMP;
			next_token(ps);
		} else if (!at_closer(ps)) {
			syntax_error(ps);
		}
		skip_newlines(ps);
	}
	n->items = (struct node **)items.v;
	n->nitems = items.n;
	n->background = bg;
	return n;
}

/* Parses a whole program. Returns NULL on error: *incomplete tells
 * whether more input could complete it (else a message was printed). */
static struct node *parse_program(const char *src, bool *incomplete)
{
	struct parser ps = {.src = src, .p = src};
	*incomplete = false;
	if (setjmp(ps.fail)) {
		*incomplete = ps.incomplete;
		if (!ps.incomplete)
			warn("syntax error near unexpected token `%s'", ps.error_at);
		return NULL;
	}
	next_token(&ps);
	struct node *n = parse_list(&ps);
	if (ps.tok.kind != T_EOF)
		syntax_error(&ps);
	return n;
}

/* --- expansion: parameters, commands, arithmetic, quotes, fields, globs --- */

struct expander {
	struct strv *out;
	struct str cur, pat; /* the field, and the same as a glob pattern */
	bool has;	     /* a field is under way (even an empty quoted one) */
	bool glob;	     /* it has unquoted glob characters */
	bool split;	     /* split fields and expand globs (not in assignments) */
};

static char *capture_output(const char *program); /* exec section */
static int glob_expand(const char *pattern, struct strv *out);
static long arith_eval(const char *expr, bool *ok);
static char *expand_string(const char *raw);
static char *expand_pattern(const char *raw);
static __attribute__((noreturn)) void child_exit(int status);
static void expand_part(struct expander *e, const char *p, const char *end, bool quoted);

static void exp_lit(struct expander *e, char c, bool quoted)
{
	if (quoted && strchr("*?[\\", c))
		str_addc(&e->pat, '\\');
	else if (!quoted && strchr("*?[", c))
		e->glob = true;
	str_addc(&e->cur, c);
	str_addc(&e->pat, c);
	e->has = true;
}

static void exp_end_field(struct expander *e)
{
	if (!e->has)
		return;
	if (!e->split || !e->glob || glob_expand(str_get(&e->pat), e->out) == 0)
		strv_add(e->out, astrdup(str_get(&e->cur)));
	e->cur.len = e->pat.len = 0;
	if (e->cur.s)
		e->cur.s[0] = e->pat.s[0] = '\0';
	e->has = e->glob = false;
}

static const char *ifs(void)
{
	const char *v = var_get("IFS");
	return v ? v : " \t\n";
}

/* An expansion's value: quoted, or split into fields at IFS characters. */
static void exp_value(struct expander *e, const char *v, bool quoted)
{
	const char *sep = ifs();
	for (; *v; v++) {
		if (!quoted && e->split && strchr(sep, *v))
			exp_end_field(e);
		else
			exp_lit(e, *v, quoted || !e->split);
	}
}

static const char *special_value(char c, char *buf, size_t size)
{
	switch (c) {
	case '?':
		snprintf(buf, size, "%d", last_status);
		return buf;
	case '$':
		snprintf(buf, size, "%d", (int)top_pid);
		return buf;
	case '!':
		snprintf(buf, size, "%d", (int)last_bg);
		return last_bg ? buf : "";
	case '#':
		snprintf(buf, size, "%d", nparams);
		return buf;
	case '-':
		snprintf(buf, size, "%s%s%s", interactive ? "i" : "", xtrace ? "x" : "",
			 errexit ? "e" : "");
		return buf;
	default: /* digits */
		if (c == '0')
			return arg0;
		return c - '0' <= nparams ? params[c - '1'] : NULL;
	}
}

/* $@ and $*: every positional parameter; "$@" as separate fields. */
static void exp_params(struct expander *e, char which, bool quoted)
{
	for (int i = 0; i < nparams; i++) {
		if (i > 0 && (!e->split || (quoted && which == '*'))) {
			exp_lit(e, ' ', true);
		} else if (i > 0) {
			e->has |= quoted;
			exp_end_field(e);
		}
		exp_value(e, params[i], quoted);
		if (quoted)
			e->has = true;
	}
}

/* The value of a name or special parameter; NULL if unset. */
static const char *param_value(const char *name, char *buf, size_t size)
{
	if (name[0] && !name[1] && strchr("?$!#-0123456789", name[0]))
		return special_value(name[0], buf, size);
	if (isdigit((unsigned char)name[0])) {
		int i = atoi(name);
		return i >= 1 && i <= nparams ? params[i - 1] : NULL;
	}
	return var_get(name);
}

/* ${NAME#pat} and friends: removes the shortest/longest matching prefix or suffix. */
static char *trim_pattern(const char *v, const char *pat, char op, bool longest)
{
	size_t n = strlen(v);
	char *tmp = astrdup(v);
	for (size_t k = 0; k <= n; k++) {
		size_t i = longest ? n - k : k; /* the length of the part tried */
		if (op == '#') {
			char save = tmp[i];
			tmp[i] = '\0';
			bool match = fnmatch(pat, tmp, 0) == 0;
			tmp[i] = save;
			if (match)
				return astrdup(v + i);
		} else if (fnmatch(pat, v + n - i, 0) == 0) {
			return astrndup(v, n - i);
		}
	}
	return tmp;
}

/* The value of ${name OP word}, where op points at OP (after a colon if
 * colon); NULL for unset. */
static const char *braced_op(const char *name, const char *v, const char *op, const char *end,
			     bool colon)
{
	char *word = astrndup(op + 1, (size_t)(end - op - 1));
	bool unset = !v || (colon && !*v);
	switch (*op) {
	case '-':
		return unset ? expand_string(word) : v;
	case '=':
		if (unset)
			var_set(name, v = expand_string(word), false);
		return v;
	case '+':
		return unset ? "" : expand_string(word);
	case '?':
		if (!unset)
			return v;
		warn("%s: %s", name, *word ? expand_string(word) : "parameter not set");
		if (!interactive)
			child_exit(1);
		return "";
	}
	if ((*op == '#' || *op == '%') && !colon) {
		bool longest = op + 1 < end && op[1] == *op;
		return trim_pattern(v ? v : "", expand_pattern(word + longest), *op, longest);
	}
	warn("${%s%s}: bad substitution", name, astrndup(op - colon, (size_t)(end - op + colon)));
	return "";
}

/* ${...}: p is at the name; end at the closing brace. */
static void exp_braced(struct expander *e, const char *p, const char *end, bool quoted)
{
	char buf[32];
	bool length = *p == '#' && p + 1 < end;
	p += length;
	const char *name_end = p;
	if (p < end && strchr("?$!#-@*", *p))
		name_end = p + 1;
	else
		while (name_end < end && (isalnum((unsigned char)*name_end) || *name_end == '_'))
			name_end++;
	char *name = astrndup(p, (size_t)(name_end - p));
	if ((!strcmp(name, "@") || !strcmp(name, "*")) && name_end == end && !length) {
		exp_params(e, name[0], quoted);
		return;
	}
	const char *v = param_value(name, buf, sizeof buf);
	if (length) {
		snprintf(buf, sizeof buf, "%zu", v ? strlen(v) : (size_t)0);
		v = buf;
	} else if (name_end < end) {
		bool colon = *name_end == ':';
		v = braced_op(name, v, name_end + colon, end, colon);
	}
	if (v)
		exp_value(e, v, quoted);
}

/* Where the construct starting at p ($(, ${, `) ends: the lexer already
 * checked it is complete. */
static const char *construct_end(const char *p)
{
	struct parser ps = {0};
	if (setjmp(ps.fail))
		return p + strlen(p);
	return skip_dollar(&ps, p);
}

static void exp_command(struct expander *e, const char *text, bool quoted)
{
	char *out = capture_output(text);
	size_t n = strlen(out);
	while (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	exp_value(e, out, quoted);
	free(out);
}

/* `...`: the text with \`, \\ and \$ unescaped. */
static char *backquote_text(const char *p, const char *end)
{
	struct str b = {0};
	for (p++; p < end - 1; p++) {
		if (*p == '\\' && strchr("`\\$", p[1]))
			p++;
		str_addc(&b, *p);
	}
	char *s = astrdup(str_get(&b));
	free(b.s);
	return s;
}

static void exp_arith(struct expander *e, const char *p, const char *end, bool quoted)
{
	char *expr = expand_string(astrndup(p, (size_t)(end - p)));
	bool ok;
	long v = arith_eval(expr, &ok);
	char buf[32];
	snprintf(buf, sizeof buf, "%ld", v);
	exp_value(e, ok ? buf : "0", quoted);
}

/* A $ or ` expansion at p; returns where it ends. */
static const char *exp_dollar(struct expander *e, const char *p, bool quoted)
{
	char buf[32];
	if (*p == '`') {
		const char *end = construct_end(p);
		exp_command(e, backquote_text(p, end), quoted);
		return end;
	}
	char c = p[1];
	if (c == '(' && p[2] == '(') {
		const char *end = construct_end(p);
		exp_arith(e, p + 3, end - 2, quoted);
		return end;
	}
	if (c == '(' || c == '{') {
		const char *end = construct_end(p);
		if (c == '(')
			exp_command(e, astrndup(p + 2, (size_t)(end - p - 3)), quoted);
		else
			exp_braced(e, p + 2, end - 1, quoted);
		return end;
	}
	if (c == '@' || c == '*') {
		exp_params(e, c, quoted);
		return p + 2;
	}
	if (c && strchr("?$!#-0123456789", c)) {
		const char *v = special_value(c, buf, sizeof buf);
		if (v)
			exp_value(e, v, quoted);
		return p + 2;
	}
	if (isalpha((unsigned char)c) || c == '_') {
		const char *q = p + 1;
		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		const char *v = var_get(astrndup(p + 1, (size_t)(q - p - 1)));
		if (v)
			exp_value(e, v, quoted);
		return q;
	}
	exp_lit(e, '$', true);
	return p + 1;
}

static const char *exp_double_quoted(struct expander *e, const char *p)
{
	e->has = true;
	for (p++; *p && *p != '"';) {
		if (*p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) {
			if (p[1] != '\n')
				exp_lit(e, p[1], true);
			p += 2;
		} else if (*p == '$' || *p == '`') {
			p = exp_dollar(e, p, true);
		} else {
			exp_lit(e, *p++, true);
		}
	}
	return *p ? p + 1 : p;
}

static void expand_part(struct expander *e, const char *p, const char *end, bool quoted)
{
	while (p < end && *p) {
		if (*p == '\'' && !quoted) {
			const char *q = strchr(p + 1, '\'');
			e->has = true;
			for (p++; p < q; p++)
				exp_lit(e, *p, true);
			p = q + 1;
		} else if (*p == '"' && !quoted) {
			p = exp_double_quoted(e, p);
		} else if (*p == '\\' && p[1]) {
			if (p[1] != '\n')
				exp_lit(e, p[1], true);
			p += 2;
		} else if (*p == '$' || *p == '`') {
			p = exp_dollar(e, p, quoted);
		} else {
			exp_lit(e, *p++, quoted);
		}
	}
}

/* ~ or ~/...: $HOME. */
static const char *expand_tilde(struct expander *e, const char *raw)
{
	if (raw[0] != '~' || (raw[1] && raw[1] != '/'))
		return raw;
	const char *home = var_get("HOME");
	exp_value(e, home ? home : "/", true);
	return raw + 1;
}

static void expand_into(const char *raw, struct strv *out, bool split)
{
	struct expander e = {.out = out, .split = split};
	if (split && !strcmp(raw, "\"$@\"") && nparams == 0)
		return;
	raw = expand_tilde(&e, raw);
	expand_part(&e, raw, raw + strlen(raw), false);
	exp_end_field(&e);
	free(e.cur.s);
	free(e.pat.s);
}

/* Words to fields: expanded, split and globbed, NULL-terminated. */
static struct strv expand_words(struct strv *words)
{
	struct strv out = {0};
	for (int i = 0; i < words->n; i++)
		expand_into(words->v[i], &out, true);
	if (!out.v)
		strv_add(&out, NULL), out.n = 0;
	return out;
}

/* One word to one string: no splitting, no globbing. */
static char *expand_string(const char *raw)
{
	struct strv out = {0};
	expand_into(raw, &out, false);
	return out.n ? out.v[0] : astrdup("");
}

static char *expand_assignment(const char *raw)
{
	const char *eq = strchr(raw, '=');
	char *value = expand_string(eq + 1);
	char *s = alloc((size_t)(eq - raw) + strlen(value) + 2);
	sprintf(s, "%.*s=%s", (int)(eq - raw), raw, value);
	return s;
}

/* A case pattern: expanded, with its quoted characters escaped. */
static char *expand_pattern(const char *raw)
{
	struct strv out = {0};
	struct expander e = {.out = &out};
	expand_part(&e, raw, raw + strlen(raw), false);
	char *pat = astrdup(str_get(&e.pat));
	free(e.cur.s);
	free(e.pat.s);
	return pat;
}

static int strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pathname expansion, one component at a time. 0 if nothing matched. */
static int glob_dir(const char *dir, const char *pattern, struct strv *out);

static int glob_matches(const char *dir, const char *comp, const char *rest, struct strv *out)
{
	DIR *d = opendir(*dir ? dir : ".");
	if (!d)
		return 0;
	struct strv names = {0};
	for (struct dirent *de; (de = readdir(d));)
		if (fnmatch(comp, de->d_name, FNM_PERIOD) == 0 && strcmp(de->d_name, ".") &&
		    strcmp(de->d_name, ".."))
			strv_add(&names, astrdup(de->d_name));
	closedir(d);
	if (names.n > 1)
		qsort(names.v, (size_t)names.n, sizeof *names.v, strcmp_ptr);
	int found = 0;
	for (int i = 0; i < names.n; i++) {
		char *path = alloc(strlen(dir) + strlen(names.v[i]) + 2);
		sprintf(path, "%s%s", dir, names.v[i]);
		if (!rest) {
			strv_add(out, path);
			found++;
		} else {
			strcat(path, "/");
			found += glob_dir(path, rest, out);
		}
	}
	return found;
}

/* Removes the backslashes that quote characters in a pattern. */
static char *unescape(const char *s, size_t n)
{
	char *d = alloc(n + 1), *q = d;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		*q++ = s[i];
	}
	return d;
}

static bool has_glob(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (strchr("*?[", s[i]))
			return true;
	}
	return false;
}

static int glob_dir(const char *dir, const char *pattern, struct strv *out)
{
	const char *slash = strchr(pattern, '/');
	size_t n = slash ? (size_t)(slash - pattern) : strlen(pattern);
	if (has_glob(pattern, n))
		return glob_matches(dir, astrndup(pattern, n), slash ? slash + 1 : NULL, out);
	char *path = alloc(strlen(dir) + n + 2);
	sprintf(path, "%s%s", dir, unescape(pattern, n));
	if (!slash) {
		struct stat st;
		if (stat(path, &st) < 0)
			return 0;
		strv_add(out, path);
		return 1;
	}
	strcat(path, "/");
	return glob_dir(path, slash + 1, out);
}

static int glob_expand(const char *pattern, struct strv *out)
{
	if (pattern[0] == '/')
		return glob_dir("/", pattern + 1, out);
	return glob_dir("", pattern, out);
}

/* --- arithmetic: $((...)), integers in C precedence --- */

struct arith {
	const char *p;
	bool ok, reported;
};

static long arith_binary(struct arith *a, int min_prec);

static void arith_skip(struct arith *a)
{
	while (isspace((unsigned char)*a->p))
		a->p++;
}

static long arith_primary(struct arith *a)
{
	arith_skip(a);
	char c = *a->p;
	if (c == '(') {
		a->p++;
		long v = arith_binary(a, 0);
		arith_skip(a);
		if (*a->p == ')')
			a->p++;
		else
			a->ok = false;
		return v;
	}
	if (c == '-' || c == '+' || c == '!' || c == '~') {
		a->p++;
		long v = arith_primary(a);
		return c == '-' ? -v : c == '+' ? v : c == '!' ? !v : ~v;
	}
	if (isdigit((unsigned char)c))
		return strtol(a->p, (char **)&a->p, 0);
	if (isalpha((unsigned char)c) || c == '_') {
		const char *q = a->p;
		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		const char *v = var_get(astrndup(a->p, (size_t)(q - a->p)));
		a->p = q;
		return v ? strtol(v, NULL, 0) : 0;
	}
	a->ok = false;
	return 0;
}

static const struct {
	const char *op;
	int prec;
} arith_ops[] = {
	{"||", 1}, {"&&", 2}, {"==", 6}, {"!=", 6}, {"<=", 7}, {">=", 7},
	{"<<", 8}, {">>", 8}, {"|", 3},	 {"^", 4},  {"&", 5},  {"<", 7},
	{">", 7},  {"+", 9},  {"-", 9},	 {"*", 10}, {"/", 10}, {"%", 10},
};

static long arith_apply(struct arith *a, const char *op, long x, long y)
{
	if ((op[0] == '/' || op[0] == '%') && y == 0) {
		if (!a->reported)
			warn("division by zero");
		a->ok = false;
		a->reported = true;
		return 0;
	}
	switch (op[0] * 256 + op[1]) {
	case '|' * 256 + '|':
		return x || y;
	case '&' * 256 + '&':
		return x && y;
	case '=' * 256 + '=':
		return x == y;
	case '!' * 256 + '=':
		return x != y;
	case '<' * 256 + '=':
		return x <= y;
	case '>' * 256 + '=':
		return x >= y;
	case '<' * 256 + '<':
		return x << y;
	case '>' * 256 + '>':
		return x >> y;
	case '|' * 256:
		return x | y;
	case '^' * 256:
		return x ^ y;
	case '&' * 256:
		return x & y;
	case '<' * 256:
		return x < y;
	case '>' * 256:
		return x > y;
	case '+' * 256:
		return x + y;
	case '-' * 256:
		return x - y;
	case '*' * 256:
		return x * y;
	case '/' * 256:
		return x / y;
	default:
		return x % y;
	}
}

static long arith_binary(struct arith *a, int min_prec)
{
	long x = arith_primary(a);
	for (;;) {
		arith_skip(a);
		size_t i = 0, n = sizeof arith_ops / sizeof arith_ops[0];
		while (i < n && strncmp(a->p, arith_ops[i].op, strlen(arith_ops[i].op)))
			i++;
		if (i == n || arith_ops[i].prec < min_prec || !a->ok)
			return x;
		a->p += strlen(arith_ops[i].op);
		long y = arith_binary(a, arith_ops[i].prec + 1);
		x = arith_apply(a, arith_ops[i].op, x, y);
	}
}

static long arith_eval(const char *expr, bool *ok)
{
	struct arith a = {.p = expr, .ok = true};
	long v = arith_binary(&a, 0);
	arith_skip(&a);
	if (*a.p)
		a.ok = false;
	if (!a.ok && !a.reported)
		warn("%s: arithmetic syntax error", expr);
	*ok = a.ok;
	return v;
}

/* --- the system: Ctrl-C, waiting, process trees, signal names --- */

/* Was Ctrl-C typed on the console since the last look? (It also takes
 * what else was typed into the console's type-ahead, echoed.) */
static bool ctrl_c_typed(void)
{
	return console_poll() == 1;
}

/* Gives the CPU away while waiting for a foreground job. */
static void idle(void)
{
	sys_yield();
}

/* Signals pid's descendants (deepest first: a parent that dies first
 * would orphan them, out of the shell's reach), then pid. */
static void kill_tree(pid_t pid, int sig)
{
	for (int i = 0; i < NENV; i++) {
		const volatile struct env_info *e = &envs[i];
		if (e->env_parent_id == pid && e->env_id != pid && e->env_status != ENV_FREE &&
		    e->env_status != ENV_ZOMBIE)
			kill_tree(e->env_id, sig);
	}
	kill(pid, sig);
}

static const char *signal_text(int sig)
{
	static const struct {
		int sig;
		const char *text;
	} texts[] = {
		{SIGHUP, "Hangup"},
		{SIGINT, "Interrupt"},
		{SIGQUIT, "Quit"},
		{SIGILL, "Illegal instruction"},
		{SIGTRAP, "Trace/breakpoint trap"},
		{SIGABRT, "Aborted"},
		{SIGBUS, "Bus error"},
		{SIGFPE, "Floating point exception"},
		{SIGKILL, "Killed"},
		{SIGSEGV, "Segmentation fault"},
		{SIGPIPE, "Broken pipe"},
		{SIGALRM, "Alarm clock"},
		{SIGTERM, "Terminated"},
		{SIGUSR1, "User defined signal 1"},
		{SIGUSR2, "User defined signal 2"},
	};
	static char buf[24];
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (texts[i].sig == sig)
			return texts[i].text;
	snprintf(buf, sizeof buf, "Signal %d", sig);
	return buf;
}

/* --- jobs: the processes the shell started and how they ended --- */

struct job {
	int id;
	pid_t *pids;
	int *status; /* wait status of each, once done */
	bool *done;
	int n;
	char *text;
	struct job *next;
};

static struct job *jobs; /* background jobs, newest first */

static struct job *job_new(const char *text)
{
	struct job *j = xmalloc(sizeof *j);
	*j = (struct job){.text = xstrdup(text)};
	return j;
}

static void job_add(struct job *j, pid_t pid)
{
	j->pids = xrealloc(j->pids, sizeof *j->pids * (size_t)(j->n + 1));
	j->status = xrealloc(j->status, sizeof *j->status * (size_t)(j->n + 1));
	j->done = xrealloc(j->done, sizeof *j->done * (size_t)(j->n + 1));
	j->pids[j->n] = pid;
	j->status[j->n] = 0;
	j->done[j->n++] = false;
}

static void job_free(struct job *j)
{
	free(j->pids);
	free(j->status);
	free(j->done);
	free(j->text);
	free(j);
}

static void job_forget(struct job *j)
{
	for (struct job **p = &jobs; *p; p = &(*p)->next) {
		if (*p == j) {
			*p = j->next;
			break;
		}
	}
	job_free(j);
}

static bool job_done(struct job *j)
{
	for (int i = 0; i < j->n; i++)
		if (!j->done[i])
			return false;
	return true;
}

/* A wait status as $? shows it. */
static int exit_code(int ws)
{
	return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
}

static int job_status(struct job *j)
{
	return j->n ? j->status[j->n - 1] : 0;
}

/* Reaps what has ended of j; with block, waits for one more to end. */
static void job_poll(struct job *j, bool block)
{
	for (int i = 0; i < j->n; i++) {
		if (j->done[i])
			continue;
		int ws;
		pid_t r = waitpid(j->pids[i], &ws, block ? 0 : WNOHANG);
		if (r == j->pids[i] || (r < 0 && errno == ECHILD)) {
			j->status[i] = r > 0 ? ws : 0;
			j->done[i] = true;
			if (block)
				return;
		}
	}
}

static void jobs_poll(void)
{
	for (struct job *j = jobs; j; j = j->next)
		job_poll(j, false);
}

/* Signals every process of j, and their descendants (deepest first). */
static void job_kill(struct job *j, int sig)
{
	for (int i = 0; i < j->n; i++)
		if (!j->done[i])
			kill_tree(j->pids[i], sig);
}

/* How a job ended, as jobs and the Done notice say it. */
static const char *job_state(struct job *j, char *buf, size_t size)
{
	if (!job_done(j))
		return "Running";
	int ws = job_status(j);
	if (WIFSIGNALED(ws))
		return signal_text(WTERMSIG(ws));
	if (WEXITSTATUS(ws) == 0)
		return "Done";
	snprintf(buf, size, "Exit %d", WEXITSTATUS(ws));
	return buf;
}

static void job_print(struct job *j)
{
	char buf[32];
	char mark = j == jobs ? '+' : jobs && j == jobs->next ? '-' : ' ';
	printf("[%d]%c  %-24s%s%s\n", j->id, mark, job_state(j, buf, sizeof buf), j->text,
	       job_done(j) ? "" : " &");
}

/* Interactive: reports background jobs that ended, and forgets them. */
static void jobs_notify(void)
{
	jobs_poll();
	for (struct job *j = jobs, *next; j; j = next) {
		next = j->next;
		if (job_done(j)) {
			job_print(j);
			job_forget(j);
		}
	}
	fflush(stdout);
}

static void job_background(struct job *j)
{
	j->id = jobs ? jobs->id + 1 : 1;
	j->next = jobs;
	jobs = j;
	last_bg = j->pids[j->n - 1];
	if (interactive)
		fprintf(stderr, "[%d] %d\n", j->id, (int)last_bg);
}

/* Waits for a foreground job; Ctrl-C interrupts it. Returns $?. */
static int job_wait(struct job *j)
{
	bool interrupted = false;
	while (!job_done(j)) {
		if (!interactive) {
			job_poll(j, true);
			continue;
		}
		job_poll(j, false);
		if (!job_done(j) && !interrupted && ctrl_c_typed()) {
			job_kill(j, SIGINT);
			interrupted = got_sigint = true;
		}
		if (!job_done(j))
			idle();
	}
	/* After Ctrl-C the console has echoed "^C" and a newline; other
	 * deaths by a signal are told, as other shells do. */
	int ws = job_status(j);
	if (interactive && WIFSIGNALED(ws) && WTERMSIG(ws) != SIGPIPE && WTERMSIG(ws) != SIGINT)
		fprintf(stderr, "%s\n", signal_text(WTERMSIG(ws)));
	return exit_code(ws);
}

/* --- redirections --- */

static int saved_fds[64]; /* copies kept to undo redirections; children close them */
static int nsaved;

struct undo {
	int fd, copy; /* copy -1: fd was closed before */
};

/* Keeps a copy of fd to restore it later. */
static void save_fd(int fd, struct undo *u)
{
	u->fd = fd;
	u->copy = fcntl(fd, F_DUPFD, SAVE_FD_MIN);
	if (u->copy >= 0 && nsaved < (int)(sizeof saved_fds / sizeof saved_fds[0]))
		saved_fds[nsaved++] = u->copy;
}

static void restore_fds(struct undo *u, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		if (u[i].copy >= 0) {
			dup2(u[i].copy, u[i].fd);
			close(u[i].copy);
			if (nsaved > 0 && saved_fds[nsaved - 1] == u[i].copy)
				nsaved--;
		} else {
			close(u[i].fd);
		}
	}
}

static int open_flags(enum redir_kind kind)
{
	switch (kind) {
	case R_IN:
		return O_RDONLY;
	case R_OUT:
		return O_WRONLY | O_CREAT | O_TRUNC;
	case R_APPEND:
		return O_WRONLY | O_CREAT | O_APPEND;
	default:
		return O_RDWR | O_CREAT;
	}
}

static bool redirect_one(struct redir *r)
{
	char *target = expand_string(r->target);
	if (r->kind == R_DUPIN || r->kind == R_DUPOUT) {
		if (!strcmp(target, "-")) {
			close(r->fd);
			return true;
		}
		char *end;
		long from = strtol(target, &end, 10);
		if (*end || end == target || from < 0 || dup2((int)from, r->fd) < 0) {
			warn("%s: bad file descriptor", target);
			return false;
		}
		return true;
	}
	int fd = open(target, open_flags(r->kind), 0666);
	if (fd < 0) {
		warn("%s: %s", target, strerror(errno));
		return false;
	}
	if (fd != r->fd) {
		dup2(fd, r->fd);
		close(fd);
	}
	return true;
}

/* Applies redirections left to right; with undo (room for each), keeps
 * what is needed to restore them. Returns how many were applied, or -1
 * (after undoing them) on an error. */
static int redirect(struct redir *r, struct undo *undo)
{
	int n = 0;
	for (; r; r = r->next) {
		fflush(stdout);
		fflush(stderr);
		if (undo)
			save_fd(r->fd, &undo[n]);
		n++;
		if (!redirect_one(r)) {
			if (undo)
				restore_fds(undo, n);
			return -1;
		}
	}
	return n;
}

static int count_redirs(struct redir *r)
{
	int n = 0;
	for (; r; r = r->next)
		n++;
	return n;
}

/* --- running commands --- */

static int run_list(struct node *list);
static int run_and_or(struct node *n);
static int run_command(struct node *n, bool in_child);
static int run_text(const char *text);
typedef int builtin_fn(int argc, char **argv);
static builtin_fn *find_builtin(const char *name);
static builtin_fn b_exec;

static void on_sigint(int sig)
{
	(void)sig;
}

/* Ctrl-C at the prompt: the console raises SIGINT in the reader; the
 * handler (not SIG_IGN) makes the read fail, and a fresh prompt follows. */
static void interactive_signals(void)
{
	struct sigaction sa = {.sa_handler = on_sigint};
	sigaction(SIGINT, &sa, NULL);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
}

/* Before exec: default signals, no shell-private descriptors. */
static void exec_setup(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (input_fd >= 0)
		close(input_fd);
	input_fd = -1;
	for (int i = 0; i < nsaved; i++)
		close(saved_fds[i]);
	nsaved = 0;
}

/* In a new child: as before exec, and no jobs (they are not its children). */
static void child_setup(void)
{
	exec_setup();
	interactive = false;
	while (jobs) {
		struct job *j = jobs;
		jobs = j->next;
		job_free(j);
	}
}

static pid_t fork_child(void)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		warn("fork: %s", strerror(errno));
	else if (pid == 0)
		child_setup();
	return pid;
}

static __attribute__((noreturn)) void child_exit(int status)
{
	fflush(stdout);
	fflush(stderr);
	_exit(status);
}

/* execve, returning its errno. exec loads programs from the boot archive
 * only: a regular file elsewhere (a script in /tmp) counts as ENOEXEC. */
static int try_exec(const char *path, char **argv, char **envp)
{
	execve(path, argv, envp);
	int err = errno;
	struct stat st;
	if ((err == ENOENT || err == ENOEXEC) && stat(path, &st) == 0)
		return S_ISDIR(st.st_mode) ? EISDIR : S_ISREG(st.st_mode) ? ENOEXEC : err;
	return err;
}

/* A file that is not a program is a script for the shell. */
static int exec_script(const char *path, char **argv, char **envp)
{
	struct strv args = {0};
	strv_add(&args, "sh");
	strv_add(&args, (char *)path);
	for (int i = 1; argv[i]; i++)
		strv_add(&args, argv[i]);
	execve("/bin/sh", args.v, envp);
	return errno;
}

/* Runs a program in this process; returns only if it could not. */
static int exec_program(char **argv, char **assigns, int nassigns)
{
	char **envp = build_environ(assigns, nassigns);
	const char *name = argv[0], *dirs = var_get("PATH");
	char *path = (char *)name;
	int err = ENOENT;
	if (strchr(name, '/'))
		err = try_exec(path, argv, envp);
	for (dirs = dirs ? dirs : "/bin"; err == ENOENT && !strchr(name, '/');) {
		size_t n = strcspn(dirs, ":");
		path = alloc(n + strlen(name) + 3);
		sprintf(path, "%.*s/%s", (int)n, n ? dirs : ".", name);
		err = try_exec(path, argv, envp);
		if (!dirs[n])
			break;
		dirs += n + 1;
	}
	if (err == ENOEXEC)
		err = exec_script(path, argv, envp);
	if (err == ENOENT && !strchr(name, '/')) {
		warn("%s: not found", name);
		return 127;
	}
	warn("%s: %s", name, strerror(err));
	return err == ENOENT ? 127 : 126;
}

/* +x tracing: the command as it runs, each word quoted when needed. */
static void trace(struct strv *assigns, struct strv *argv)
{
	const char *ps4 = var_get("PS4");
	fputs(ps4 ? ps4 : "+ ", stderr);
	for (int k = 0; k < 2; k++) {
		struct strv *w = k ? argv : assigns;
		for (int i = 0; i < w->n; i++) {
			const char *s = w->v[i];
			bool plain = *s && strcspn(s, " \t\n'\"\\$`*?[]{}()<>|&;#~") == strlen(s);
			bool first = k == 0 ? i == 0 : i == 0 && assigns->n == 0;
			fprintf(stderr, plain ? "%s%s" : "%s'%s'", first ? "" : " ", s);
		}
	}
	fputc('\n', stderr);
	fflush(stderr);
}

static int run_builtin(builtin_fn *fn, struct strv *argv, struct node *n, bool in_child)
{
	if (fn == b_exec) { /* its redirections stay */
		if (redirect(n->redirs, NULL) < 0)
			return 1;
		return fn(argv->n, argv->v);
	}
	struct undo *undo = in_child ? NULL : alloc(sizeof *undo * (size_t)count_redirs(n->redirs));
	int nundo = redirect(n->redirs, undo);
	if (nundo < 0)
		return 1;
	int status = fn(argv->n, argv->v);
	fflush(stdout);
	fflush(stderr);
	if (undo)
		restore_fds(undo, nundo);
	return status;
}

/* A simple command's external program, in this process if it is a child. */
static int run_external(struct strv *argv, struct strv *assigns, struct node *n, bool in_child)
{
	if (in_child) {
		if (redirect(n->redirs, NULL) < 0)
			return 1;
		return exec_program(argv->v, assigns->v, assigns->n);
	}
	struct job *j = job_new(n->text);
	pid_t pid = fork_child();
	if (pid == 0)
		child_exit(run_external(argv, assigns, n, true));
	if (pid > 0)
		job_add(j, pid);
	int status = pid > 0 ? job_wait(j) : 1;
	job_free(j);
	return status;
}

/* Only assignments and redirections: set the variables, make the files. */
static int run_assignments(struct strv *assigns, struct node *n)
{
	for (int i = 0; i < assigns->n; i++)
		assign(assigns->v[i], false);
	struct undo *undo = alloc(sizeof *undo * (size_t)count_redirs(n->redirs));
	int nundo = redirect(n->redirs, undo);
	if (nundo < 0)
		return 1;
	restore_fds(undo, nundo);
	return subst_status >= 0 ? subst_status : 0;
}

static int run_simple(struct node *n, bool in_child)
{
	struct mark m = arena_mark();
	subst_status = -1;
	struct strv argv = expand_words(&n->words);
	struct strv assigns = {0};
	for (int i = 0; i < n->assigns.n; i++)
		strv_add(&assigns, expand_assignment(n->assigns.v[i]));
	if (!assigns.v)
		strv_add(&assigns, NULL), assigns.n = 0;
	if (xtrace)
		trace(&assigns, &argv);
	int status;
	builtin_fn *fn = argv.n ? find_builtin(argv.v[0]) : NULL;
	if (!argv.n)
		status = run_assignments(&assigns, n);
	else if (fn)
		status = run_builtin(fn, &argv, n, in_child);
	else
		status = run_external(&argv, &assigns, n, in_child);
	arena_release(m);
	return status;
}

/* After a loop body: whether break or continue ends this loop. */
static bool loop_should_stop(void)
{
	if (!break_levels)
		return false;
	if (continuing && break_levels == 1) {
		break_levels = 0;
		continuing = false;
		return false;
	}
	break_levels--;
	return true;
}

static int run_condition(struct node *list)
{
	cond_depth++;
	int status = run_list(list);
	cond_depth--;
	return status;
}

static int run_if(struct node *n)
{
	if (run_condition(n->left) == 0)
		return run_list(n->right);
	if (!n->els)
		return 0;
	return n->els->kind == N_IF ? run_if(n->els) : run_list(n->els);
}

static int run_loop(struct node *n)
{
	int status = 0;
	loop_depth++;
	for (;;) {
		int c = run_condition(n->left);
		if (got_sigint ||
		    (break_levels ? loop_should_stop() : (c == 0) != (n->kind == N_WHILE)))
			break;
		status = run_list(n->right);
		if (got_sigint || loop_should_stop())
			break;
	}
	loop_depth--;
	return status;
}

static int run_for(struct node *n)
{
	struct mark m = arena_mark();
	struct strv words = {0};
	if (n->has_in)
		words = expand_words(&n->words);
	else
		for (int i = 0; i < nparams; i++)
			strv_add(&words, astrdup(params[i]));
	int status = 0;
	loop_depth++;
	for (int i = 0; i < words.n; i++) {
		var_set(n->var, words.v[i], false);
		status = run_list(n->right);
		if (got_sigint || loop_should_stop())
			break;
	}
	loop_depth--;
	arena_release(m);
	return status;
}

static int run_case(struct node *n)
{
	struct mark m = arena_mark();
	char *word = expand_string(n->words.v[0]);
	int status = 0;
	for (struct case_item *c = n->cases; c; c = c->next) {
		for (int i = 0; i < c->patterns.n; i++) {
			if (fnmatch(expand_pattern(c->patterns.v[i]), word, 0) == 0) {
				status = run_list(c->body);
				arena_release(m);
				return status;
			}
		}
	}
	arena_release(m);
	return status;
}

/* ( list ): in a child process. */
static int run_subshell(struct node *n, bool in_child)
{
	if (in_child)
		child_exit(run_list(n->left));
	struct job *j = job_new(n->text);
	pid_t pid = fork_child();
	if (pid == 0)
		child_exit(run_list(n->left));
	if (pid > 0)
		job_add(j, pid);
	int status = pid > 0 ? job_wait(j) : 1;
	job_free(j);
	return status;
}

static int run_compound(struct node *n, bool in_child)
{
	switch (n->kind) {
	case N_SUBSHELL:
		return run_subshell(n, in_child);
	case N_GROUP:
		return run_list(n->left);
	case N_IF:
		return run_if(n);
	case N_WHILE:
	case N_UNTIL:
		return run_loop(n);
	case N_FOR:
		return run_for(n);
	default:
		return run_case(n);
	}
}

/* One command of a pipeline; in_child: this process is its own. */
static int run_command(struct node *n, bool in_child)
{
	if (n->kind == N_SIMPLE)
		return run_simple(n, in_child);
	struct mark m = arena_mark();
	struct undo *undo = in_child ? NULL : alloc(sizeof *undo * (size_t)count_redirs(n->redirs));
	int nundo = redirect(n->redirs, undo);
	int status = 1;
	if (nundo >= 0) {
		status = run_compound(n, in_child);
		fflush(stdout);
		fflush(stderr);
		if (undo)
			restore_fds(undo, nundo);
	}
	arena_release(m);
	return status;
}

/* Starts the commands of a pipeline, each in a child, joined by pipes. */
static struct job *start_pipeline(struct node *p)
{
	struct job *j = job_new(p->text);
	int in = -1;
	for (int i = 0; i < p->nitems; i++) {
		int fds[2] = {-1, -1};
		if (i + 1 < p->nitems && pipe(fds) < 0) {
			warn("pipe: %s", strerror(errno));
			break;
		}
		pid_t pid = fork_child();
		if (pid == 0) {
			if (in >= 0 && in != 0)
				dup2(in, 0), close(in);
			if (fds[1] >= 0) {
				close(fds[0]);
				if (fds[1] != 1)
					dup2(fds[1], 1), close(fds[1]);
			}
			child_exit(run_command(p->items[i], true));
		}
		if (in >= 0)
			close(in);
		if (fds[1] >= 0)
			close(fds[1]);
		in = fds[0];
		if (pid < 0)
			break;
		job_add(j, pid);
	}
	if (in >= 0)
		close(in);
	return j;
}

static int run_pipeline(struct node *p)
{
	int status;
	if (p->nitems == 1) {
		if (p->negate)
			cond_depth++;
		status = run_command(p->items[0], false);
		if (p->negate)
			cond_depth--;
	} else {
		struct job *j = start_pipeline(p);
		status = j->n == p->nitems ? job_wait(j) : (job_kill(j, SIGKILL), job_wait(j), 1);
		job_free(j);
	}
	return p->negate ? !status : status;
}

/* cmd &: a pipeline's processes, or a child shell for anything else. */
static void run_background(struct node *n)
{
	struct job *j;
	if (n->kind == N_PIPELINE && !n->negate) {
		j = start_pipeline(n);
	} else {
		j = job_new(n->text);
		pid_t pid = fork_child();
		if (pid == 0)
			child_exit(run_and_or(n));
		if (pid > 0)
			job_add(j, pid);
	}
	if (j->n)
		job_background(j);
	else
		job_free(j);
}

static int run_and_or(struct node *n)
{
	if (n->kind == N_PIPELINE)
		return run_pipeline(n);
	cond_depth++;
	int status = run_and_or(n->left);
	cond_depth--;
	set_status(status);
	if (break_levels || got_sigint || (status == 0) != (n->kind == N_AND))
		return status;
	return run_and_or(n->right);
}

static int run_list(struct node *list)
{
	int status = 0;
	for (int i = 0; i < list->nitems && !break_levels && !got_sigint; i++) {
		struct node *n = list->items[i];
		jobs_poll();
		if (list->background[i]) {
			run_background(n);
			status = 0;
		} else {
			status = run_and_or(n);
		}
		set_status(status);
		if (errexit && status && !cond_depth && n->kind == N_PIPELINE && !n->negate)
			child_exit(status);
	}
	return status;
}

/* Parses and runs a whole text (sh -c, eval, ., $(...)). */
static int run_text(const char *text)
{
	struct mark m = arena_mark();
	bool incomplete;
	struct node *prog = parse_program(text, &incomplete);
	if (!prog && incomplete)
		warn("syntax error: unexpected end of file");
	int status = prog ? (prog->nitems ? run_list(prog) : last_status) : 2;
	arena_release(m);
	return status;
}

static char *capture_output(const char *program)
{
	struct str out = {0};
	int fds[2];
	if (pipe(fds) < 0) {
		warn("pipe: %s", strerror(errno));
		return xstrdup("");
	}
	pid_t pid = fork_child();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		close(fds[1]);
		child_exit(run_text(program));
	}
	close(fds[1]);
	char buf[512];
	for (ssize_t n; pid > 0 && (n = read(fds[0], buf, sizeof buf)) > 0;)
		str_addn(&out, buf, (size_t)n);
	close(fds[0]);
	int ws;
	if (pid > 0 && waitpid(pid, &ws, 0) == pid)
		set_status(subst_status = exit_code(ws));
	return out.s ? out.s : xstrdup("");
}

/* --- built-in commands --- */

static int b_colon(int argc, char **argv)
{
	(void)argc, (void)argv;
	return 0;
}

static void set_pwd_vars(const char *old)
{
	char buf[512];
	if (old)
		var_set("OLDPWD", old, true);
	if (getcwd(buf, sizeof buf))
		var_set("PWD", buf, true);
}

static int b_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	bool dash = argc > 1 && !strcmp(dir, "-");
	if (dash)
		dir = var_get("OLDPWD");
	if (!dir || !*dir) {
		warn("cd: %s not set", dash ? "OLDPWD" : "HOME");
		return 1;
	}
	char old[512];
	bool have_old = getcwd(old, sizeof old) != NULL;
	if (chdir(dir) < 0) {
		warn("cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	set_pwd_vars(have_old ? old : NULL);
	if (dash)
		puts(var_get("PWD") ? var_get("PWD") : dir);
	return 0;
}

static int b_pwd(int argc, char **argv)
{
	(void)argc, (void)argv;
	char buf[512];
	if (!getcwd(buf, sizeof buf)) {
		warn("pwd: %s", strerror(errno));
		return 1;
	}
	puts(buf);
	return 0;
}

/* Prints a value in single quotes, as sh reads it back. */
static void print_quoted(const char *v)
{
	putchar('\'');
	for (; *v; v++)
		fputs(*v == '\'' ? "'\\''" : (char[]){*v, 0}, stdout);
	putchar('\'');
}

static int var_cmp(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name, (*(struct var *const *)b)->name);
}

/* Lists variables sorted, as "prefixNAME='value'". */
static void list_vars(const char *prefix, bool exported_only)
{
	int n = 0;
	for (struct var *v = vars; v; v = v->next)
		n++;
	struct var **sorted = alloc(sizeof *sorted * (size_t)(n + 1));
	n = 0;
	for (struct var *v = vars; v; v = v->next)
		if (!exported_only || v->exported)
			sorted[n++] = v;
	qsort(sorted, (size_t)n, sizeof *sorted, var_cmp);
	for (int i = 0; i < n; i++) {
		printf("%s%s", prefix, sorted[i]->name);
		if (sorted[i]->value) {
			putchar('=');
			print_quoted(sorted[i]->value);
		}
		putchar('\n');
	}
}

static int b_export(int argc, char **argv)
{
	int status = 0;
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "-p")))
		list_vars("export ", true);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-p"))
			continue;
		if (assign(argv[i], true))
			continue;
		if (is_name(argv[i], strlen(argv[i]))) {
			var_set(argv[i], NULL, true);
		} else {
			warn("export: `%s': not a valid identifier", argv[i]);
			status = 1;
		}
	}
	return status;
}

static int b_unset(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-v"))
			var_unset(argv[i]);
	return 0;
}

static int b_exit(int argc, char **argv)
{
	child_exit(argc > 1 ? atoi(argv[1]) & 0xff : last_status);
}

static int b_set(int argc, char **argv)
{
	if (argc == 1) {
		list_vars("", false);
		return 0;
	}
	int i = 1;
	for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+'); i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'x')
				xtrace = argv[i][0] == '-';
			else if (*o == 'e')
				errexit = argv[i][0] == '-';
			else {
				warn("set: -%c: invalid option", *o);
				return 2;
			}
		}
	}
	if (i < argc || (i > 1 && !strcmp(argv[i - 1], "--")))
		set_params(argv + i, argc - i);
	return 0;
}

static int b_shift(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	if (n < 0 || n > nparams) {
		warn("shift: shift count out of range");
		return 1;
	}
	char **rest = params + n;
	int left = nparams - n;
	char **copy = alloc(sizeof *copy * (size_t)(left + 1));
	for (int i = 0; i < left; i++)
		copy[i] = astrdup(rest[i]);
	set_params(copy, left);
	return 0;
}

static int b_break(int argc, char **argv)
{
	if (!loop_depth) {
		warn("%s: only meaningful in a loop", argv[0]);
		return 0;
	}
	int n = argc > 1 ? atoi(argv[1]) : 1;
	if (n < 1) {
		warn("%s: %s: loop count out of range", argv[0], argv[1]);
		return 1;
	}
	break_levels = n < loop_depth ? n : loop_depth;
	continuing = !strcmp(argv[0], "continue");
	return 0;
}

/* Reads a whole file into a malloc'd string; NULL with errno on failure. */
static char *read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	struct str b = {0};
	char buf[1024];
	for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
		str_addn(&b, buf, (size_t)n);
	close(fd);
	return b.s ? b.s : xstrdup("");
}

static int b_source(int argc, char **argv)
{
	if (argc < 2) {
		warn("%s: filename argument required", argv[0]);
		return 2;
	}
	char *text = read_file(argv[1]);
	if (!text) {
		warn("%s: %s", argv[1], strerror(errno));
		return 1;
	}
	char **old = params;
	int nold = nparams;
	if (argc > 2) {
		params = NULL, nparams = 0;
		set_params(argv + 2, argc - 2);
	}
	int status = run_text(text);
	if (argc > 2) {
		set_params(old, nold);
		for (int i = 0; i < nold; i++)
			free(old[i]);
		free(old);
	}
	free(text);
	return status;
}

static int b_eval(int argc, char **argv)
{
	struct str b = {0};
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			str_addc(&b, ' ');
		str_add(&b, argv[i]);
	}
	int status = run_text(str_get(&b));
	free(b.s);
	return status;
}

/* exec CMD: replaces the shell (a script ends if it cannot); without a
 * command, its redirections stay for the shell. */
static int b_exec(int argc, char **argv)
{
	if (argc == 1)
		return 0;
	exec_setup();
	int status = exec_program(argv + 1, NULL, 0);
	if (!interactive)
		child_exit(status);
	interactive_signals(); /* still the shell at the prompt */
	return status;
}

/* read [-r] [-p PROMPT] NAME...: one line of stdin, split at IFS. */
static int b_read(int argc, char **argv)
{
	bool raw = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-r"))
			raw = true;
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			fputs(argv[++i], stderr);
		else
			break;
	}
	struct str line = {0};
	char c;
	ssize_t n;
	while ((n = read(0, &c, 1)) == 1 && c != '\n') {
		if (c == '\\' && !raw && read(0, &c, 1) == 1 && c == '\n')
			continue;
		str_addc(&line, c);
	}
	if (n < 0 && errno == EINTR) { /* Ctrl-C */
		free(line.s);
		got_sigint = true;
		return 128 + SIGINT;
	}
	const char *p = str_get(&line), *sep = ifs();
	if (i == argc)
		var_set("REPLY", p, false);
	for (; i < argc; i++) {
		p += strspn(p, sep);
		size_t len = i + 1 < argc ? strcspn(p, sep) : strlen(p);
		while (i + 1 == argc && len > 0 && strchr(sep, p[len - 1]))
			len--;
		var_set(argv[i], astrndup(p, len), false);
		p += len;
	}
	free(line.s);
	return n == 1 || line.len ? 0 : 1;
}

static struct job *find_job(const char *spec)
{
	if (spec[0] == '%') {
		int id = spec[1] == '%' || spec[1] == '+' || !spec[1] ? (jobs ? jobs->id : 0)
			 : spec[1] == '-' ? (jobs && jobs->next ? jobs->next->id : 0)
					  : atoi(spec + 1);
		for (struct job *j = jobs; j; j = j->next)
			if (j->id == id)
				return j;
		return NULL;
	}
	pid_t pid = (pid_t)atoi(spec);
	for (struct job *j = jobs; j; j = j->next)
		for (int i = 0; i < j->n; i++)
			if (j->pids[i] == pid)
				return j;
	return NULL;
}

static int b_jobs(int argc, char **argv)
{
	(void)argc, (void)argv;
	jobs_poll();
	/* oldest first */
	int n = 0;
	for (struct job *j = jobs; j; j = j->next)
		n++;
	for (int k = n - 1; k >= 0; k--) {
		struct job *j = jobs;
		for (int i = 0; i < k; i++)
			j = j->next;
		job_print(j);
	}
	for (struct job *j = jobs, *next; j; j = next) {
		next = j->next;
		if (job_done(j))
			job_forget(j);
	}
	return 0;
}

/* Waits for a background job; Ctrl-C stops waiting. false if interrupted. */
static bool wait_background(struct job *j)
{
	while (!job_done(j)) {
		if (!interactive) {
			job_poll(j, true);
			continue;
		}
		job_poll(j, false);
		if (!job_done(j) && ctrl_c_typed())
			return false;
		if (!job_done(j))
			idle();
	}
	return true;
}

static int b_wait(int argc, char **argv)
{
	int status = 0;
	if (argc == 1) {
		while (jobs) {
			if (!wait_background(jobs))
				return 128 + SIGINT;
			job_forget(jobs);
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		struct job *j = find_job(argv[i]);
		if (!j) {
			warn("wait: %s: no such job", argv[i]);
			status = 127;
			continue;
		}
		if (!wait_background(j))
			return 128 + SIGINT;
		status = exit_code(job_status(j));
		job_forget(j);
	}
	return status;
}

/* Runs the external program of the same name (for what a built-in leaves to it). */
static int exec_builtin_fallback(int argc, char **argv)
{
	(void)argc;
	struct job *j = job_new(argv[0]);
	pid_t pid = fork_child();
	if (pid == 0)
		child_exit(exec_program(argv, NULL, 0));
	if (pid > 0)
		job_add(j, pid);
	int status = pid > 0 ? job_wait(j) : 1;
	job_free(j);
	return status;
}

/* A signal by name (INT, SIGINT) or number; -1 if none. */
static int signal_number(const char *s)
{
	char up[16];
	size_t i = 0;
	for (; s[i] && i < sizeof up - 1; i++)
		up[i] = (char)toupper((unsigned char)s[i]);
	up[i] = '\0';
	const char *name = strncmp(up, "SIG", 3) ? up : up + 3;
	if (isdigit((unsigned char)*name)) {
		int v = atoi(name);
		return v >= 0 && v < NSIG ? v : -1;
	}
	int sig;
	return str2sig(name, &sig) == 0 ? sig : -1;
}

/* kill [-s SIG | -SIG] PID|%JOB...: the shell's own, since its jobs are
 * its children (an external kill is not their ancestor). */
static int b_kill(int argc, char **argv)
{
	int sig = SIGTERM, i = 1;
	if (argc > 1 && (!strcmp(argv[1], "-l") || !strcmp(argv[1], "-L")))
		return exec_builtin_fallback(argc, argv);
	if (argc > 2 && !strcmp(argv[1], "-s"))
		sig = signal_number(argv[2]), i = 3;
	else if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "--"))
		sig = signal_number(argv[1] + 1), i = 2;
	if (sig < 0) {
		warn("kill: %s: invalid signal specification", argv[i - 1]);
		return 1;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i == argc) {
		warn("kill: usage: kill [-s SIGNAL | -SIGNAL] PID | %%JOB ...");
		return 2;
	}
	int status = 0;
	for (; i < argc; i++) {
		struct job *j = argv[i][0] == '%' ? find_job(argv[i]) : NULL;
		if (j) {
			job_kill(j, sig);
		} else if (argv[i][0] == '%' || !isdigit((unsigned char)argv[i][0])) {
			warn("kill: %s: no such job", argv[i]);
			status = 1;
		} else if (kill((pid_t)atoi(argv[i]), sig) < 0) {
			warn("kill: (%s) - %s", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}

/* test / [: file, string and integer tests, with ! -a -o and parentheses. */
struct test {
	char **argv;
	int i, n;
	bool error;
};

static bool test_or(struct test *t);

static const char *test_next(struct test *t)
{
	if (t->i >= t->n) {
		t->error = true;
		return "";
	}
	return t->argv[t->i++];
}

static bool test_file(char op, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return false;
	switch (op) {
	case 'f':
		return S_ISREG(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 's':
		return st.st_size > 0;
	case 'x':
		return (st.st_mode & 0111) != 0;
	default: /* e r w */
		return true;
	}
}

static bool is_int(const char *s, long *v)
{
	char *end;
	*v = strtol(s, &end, 10);
	return *s && !*end;
}

static bool test_binary(struct test *t, const char *a, const char *op, const char *b)
{
	static const char *const int_ops[] = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
	if (!strcmp(op, "=") || !strcmp(op, "=="))
		return !strcmp(a, b);
	if (!strcmp(op, "!="))
		return strcmp(a, b) != 0;
	for (int k = 0; k < 6; k++) {
		long x, y;
		if (strcmp(op, int_ops[k]))
			continue;
		if (!is_int(a, &x) || !is_int(b, &y)) {
			warn("test: integer expression expected");
			t->error = true;
			return false;
		}
		bool r[] = {x == y, x != y, x<y, x <= y, x> y, x >= y};
		return r[k];
	}
	warn("test: %s: binary operator expected", op);
	t->error = true;
	return false;
}

static bool is_binary_op(const char *s)
{
	static const char *const ops[] = {"=",	 "==",	"!=",  "-eq", "-ne",
					  "-lt", "-le", "-gt", "-ge", NULL};
	for (int i = 0; ops[i]; i++)
		if (!strcmp(s, ops[i]))
			return true;
	return false;
}

static bool test_primary(struct test *t)
{
	const char *a = test_next(t);
	if (!strcmp(a, "!") && t->i < t->n)
		return !test_primary(t);
	if (!strcmp(a, "(") && t->i < t->n) {
		bool v = test_or(t);
		if (strcmp(test_next(t), ")"))
			t->error = true;
		return v;
	}
	if (t->i + 1 < t->n && is_binary_op(t->argv[t->i])) {
		const char *op = test_next(t);
		return test_binary(t, a, op, test_next(t));
	}
	if (a[0] == '-' && a[1] && !a[2] && strchr("nzfdesrwx", a[1]) && t->i < t->n) {
		const char *b = test_next(t);
		if (a[1] == 'n' || a[1] == 'z')
			return (*b != '\0') == (a[1] == 'n');
		return test_file(a[1], b);
	}
	return *a != '\0';
}

static bool test_and(struct test *t)
{
	bool v = test_primary(t);
	while (t->i < t->n && !strcmp(t->argv[t->i], "-a")) {
		t->i++;
		v = test_primary(t) && v;
	}
	return v;
}

static bool test_or(struct test *t)
{
	bool v = test_and(t);
	while (t->i < t->n && !strcmp(t->argv[t->i], "-o")) {
		t->i++;
		v = test_and(t) || v;
	}
	return v;
}

static int b_test(int argc, char **argv)
{
	if (!strcmp(argv[0], "[")) {
		if (strcmp(argv[argc - 1], "]")) {
			warn("[: missing `]'");
			return 2;
		}
		argc--;
	}
	struct test t = {.argv = argv, .i = 1, .n = argc};
	if (argc == 1)
		return 1;
	bool v = test_or(&t);
	if (t.i < t.n && !t.error) {
		warn("%s: %s: unexpected argument", argv[0], argv[t.i]);
		return 2;
	}
	return t.error ? 2 : !v;
}

static const struct {
	const char *name;
	builtin_fn *fn;
} builtins[] = {
	{":", b_colon},	      {".", b_source},	     {"[", b_test},	 {"break", b_break},
	{"cd", b_cd},	      {"continue", b_break}, {"eval", b_eval},	 {"exec", b_exec},
	{"exit", b_exit},     {"export", b_export},  {"jobs", b_jobs},	 {"kill", b_kill},
	{"pwd", b_pwd},	      {"read", b_read},	     {"set", b_set},	 {"shift", b_shift},
	{"source", b_source}, {"test", b_test},	     {"unset", b_unset}, {"wait", b_wait},
};

static builtin_fn *find_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (!strcmp(builtins[i].name, name))
			return builtins[i].fn;
	return NULL;
}

/* --- reading commands: a script, a string, or the terminal --- */

struct input {
	int fd;	       /* -1: only what is in buf */
	bool bytewise; /* read stdin a byte at a time, leaving the rest to commands */
	const char *buf;
	char store[1024];
	size_t pos, len;
};

#define INTERRUPTED (-2) /* input_getc: Ctrl-C */

static int input_getc(struct input *in)
{
	if (in->pos == in->len) {
		if (in->fd < 0)
			return EOF;
		ssize_t n = read(in->fd, in->store, in->bytewise ? 1 : sizeof in->store);
		if (n < 0 && errno == EINTR)
			return INTERRUPTED;
		if (n <= 0)
			return EOF;
		in->buf = in->store;
		in->pos = 0;
		in->len = (size_t)n;
	}
	return (unsigned char)in->buf[in->pos++];
}

enum got { GOT_LINE, GOT_END, GOT_INTERRUPT };

/* Appends a line (with its newline) to line. */
static enum got read_line(struct input *in, struct str *line)
{
	bool any = false;
	for (int c; (c = input_getc(in)) != EOF;) {
		if (c == INTERRUPTED)
			return GOT_INTERRUPT;
		any = true;
		str_addc(line, (char)c);
		if (c == '\n')
			return GOT_LINE;
	}
	return any ? GOT_LINE : GOT_END;
}

static void prompt(const char *var, const char *dflt)
{
	const char *p = var_get(var);
	fputs(p ? p : dflt, stderr);
	fflush(stderr);
}

/* Reads and runs commands until the input ends. */
static void run_input(struct input *in)
{
	struct str buf = {0};
	for (;;) {
		if (interactive) {
			if (buf.len == 0)
				jobs_notify();
			prompt(buf.len ? "PS2" : "PS1", buf.len ? "> " : "$ ");
		}
		enum got got = read_line(in, &buf);
		if (got == GOT_INTERRUPT) { /* Ctrl-C: the line is dropped */
			buf.len = 0;
			set_status(128 + SIGINT);
			continue;
		}
		bool more = got == GOT_LINE;
		if (!more && buf.len == 0)
			break;
		struct mark m = arena_mark();
		bool incomplete;
		struct node *prog = parse_program(str_get(&buf), &incomplete);
		if (!prog && incomplete && more) {
			arena_release(m);
			continue;
		}
		got_sigint = false;
		if (prog && prog->nitems)
			set_status(run_list(prog));
		else if (!prog && incomplete)
			warn("syntax error: unexpected end of file");
		if (!prog) {
			set_status(2);
			if (!interactive)
				child_exit(2);
		}
		arena_release(m);
		buf.len = 0;
		if (!more)
			break;
	}
	free(buf.s);
	if (interactive)
		fputs("exit\n", stderr);
}

static __attribute__((noreturn)) void usage(void)
{
	fputs("usage: sh [-eix] [-c COMMAND [NAME [ARG...]] | FILE [ARG...]]\n", stderr);
	exit(2);
}

/* Options before the command or file; returns the index after them. */
static int options(int argc, char **argv, bool *command, bool *force_interactive)
{
	int i = 1;
	for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--"))
			return i + 1;
		bool on = argv[i][0] == '-';
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'c')
				*command = true;
			else if (*o == 'x')
				xtrace = on;
			else if (*o == 'e')
				errexit = on;
			else if (*o == 'i')
				*force_interactive = on;
			else if (*o != 's')
				usage();
		}
	}
	return i;
}

static void run_script(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		warn("%s: %s", path, strerror(errno));
		exit(127);
	}
	input_fd = fcntl(fd, F_DUPFD, SAVE_FD_MIN);
	if (input_fd < 0)
		input_fd = fd;
	else
		close(fd);
	struct input in = {.fd = input_fd};
	run_input(&in);
	close(input_fd);
	input_fd = -1;
}

int main(int argc, char **argv)
{
	top_pid = getpid();
	import_environment(environ);
	if (!var_get("PATH"))
		var_set("PATH", "/bin", true);
	set_pwd_vars(NULL);
	bool command = false, force_interactive = false;
	int i = options(argc, argv, &command, &force_interactive);
	if (command) {
		if (i == argc)
			usage();
		const char *text = argv[i++];
		if (i < argc)
			arg0 = argv[i++];
		set_params(argv + i, argc - i);
		child_exit(run_text(text));
	}
	if (i < argc) {
		arg0 = argv[i];
		set_params(argv + i + 1, argc - i - 1);
		run_script(argv[i]);
		child_exit(last_status);
	}
	set_params(argv + i, 0);
	interactive = force_interactive || isatty(0);
	if (interactive)
		interactive_signals();
	struct input in = {.fd = 0, .bytewise = true};
	run_input(&in);
	child_exit(last_status);
}
