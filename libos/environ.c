/* The environment: getenv, setenv, unsetenv and putenv, as POSIX says
 * (picolibc's accept empty names and copy putenv's string). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;
static char **owned; /* the array environ points to, once we made one */

static bool name_ok(const char *name)
{
	return name && *name && !strchr(name, '=');
}

/* The index of NAME=... in environ, or -1. */
static int find(const char *name, size_t n)
{
	for (int i = 0; environ && environ[i]; i++)
		if (strncmp(environ[i], name, n) == 0 && environ[i][n] == '=')
			return i;
	return -1;
}

char *getenv(const char *name)
{
	if (!name_ok(name))
		return NULL;
	size_t n = strlen(name);
	int i = find(name, n);
	return i < 0 ? NULL : environ[i] + n + 1;
}

/* Puts entry ("NAME=value", name length n) in the environment, replacing
 * the old NAME. The first change copies environ into an array we own. */
static int put(char *entry, size_t n)
{
	int i = find(entry, n);
	if (i >= 0) {
		environ[i] = entry;
		return 0;
	}
	size_t count = 0;
	while (environ && environ[count])
		count++;
	char **grown = malloc((count + 2) * sizeof *grown);
	if (!grown) {
		errno = ENOMEM;
		return -1;
	}
	if (count)
		memcpy(grown, environ, count * sizeof *grown);
	grown[count] = entry;
	grown[count + 1] = NULL;
	free(owned);
	environ = owned = grown;
	return 0;
}

int setenv(const char *name, const char *value, int overwrite)
{
	if (!name_ok(name)) {
		errno = EINVAL;
		return -1;
	}
	size_t n = strlen(name);
	if (!overwrite && find(name, n) >= 0)
		return 0;
	char *entry = malloc(n + strlen(value) + 2);
	if (!entry) {
		errno = ENOMEM;
		return -1;
	}
	strcpy(stpcpy(stpcpy(entry, name), "="), value);
	return put(entry, n);
}

/* The string itself becomes part of the environment: changing it later
 * changes the variable. */
int putenv(char *string)
{
	char *eq = string ? strchr(string, '=') : NULL;
	if (!eq || eq == string) {
		errno = EINVAL;
		return -1;
	}
	return put(string, (size_t)(eq - string));
}

int unsetenv(const char *name)
{
	if (!name_ok(name)) {
		errno = EINVAL;
		return -1;
	}
	size_t n = strlen(name);
	for (int i; (i = find(name, n)) >= 0;)
		do
			environ[i] = environ[i + 1];
		while (environ[i++]);
	return 0;
}
