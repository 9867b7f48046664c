/* The boot archive as read-only files. */
#ifndef LIBOS_ARCHIVE_H
#define LIBOS_ARCHIVE_H

#include <stddef.h>

#include "bootfmt.h"
#include "libos.h"

/* Iterates: size_t pos = 0; while (archive_next(&pos, &e)) ... (stops at
 * a malformed entry). */
bool archive_next(size_t *pos, struct archive_entry *ent);

/* Finds path ("/bin/hello", "bin/hello"); 0 or -ENOENT (also for a
 * malformed archive). */
int archive_lookup(const char *path, struct archive_entry *ent);

#endif
