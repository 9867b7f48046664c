/* The boot archive (cpio newc, mapped read-only at UINITRD) as a file
 * tree: lookup by path and iteration, by bootfmt.c's checked readers. */
#include "archive.h"

bool archive_next(size_t *pos, struct archive_entry *ent)
{
	return cpio_next((const char *)UINITRD, sysinfo->initrd_size, pos, ent);
}

int archive_lookup(const char *path, struct archive_entry *ent)
{
	return cpio_lookup((const char *)UINITRD, sysinfo->initrd_size, path, ent);
}
