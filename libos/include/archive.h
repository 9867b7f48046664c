/* The boot archive as read-only files. */
#ifndef LIBOS_ARCHIVE_H
#define LIBOS_ARCHIVE_H

#include <stddef.h>

#include "libos.h"

struct archive_entry {
	const char *name; /* e.g. "bin/hello" */
	unsigned mode;	  /* st_mode bits as the archive stores them */
	const uint8_t *data;
	size_t size;
};

/* Iterates: size_t pos = 0; while (archive_next(&pos, &e)) ... */
bool archive_next(size_t *pos, struct archive_entry *ent);

/* Finds path ("/bin/hello", "bin/hello"); 0 or -ENOENT. */
int archive_lookup(const char *path, struct archive_entry *ent);

#endif
