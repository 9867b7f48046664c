/* The boot archive (cpio newc, mapped read-only at UINITRD) as a file
 * tree: lookup by path and iteration. */
#include <errno.h>
#include <string.h>

#include "archive.h"

static uint64_t hex_field(const char *s)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v * 16 + (uint64_t)(s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
	return v;
}

/* Reads the entry at *pos (an offset in the archive) and advances *pos.
 * newc: a 110-byte header ("070701", 13 8-digit hex fields), the name,
 * padding to 4 bytes, the data, padding to 4 bytes. False at the end. */
bool archive_next(size_t *pos, struct archive_entry *ent)
{
	const char *base = (const char *)UINITRD;
	size_t total = sysinfo->initrd_size;
	size_t off = *pos;
	if (off + 110 > total || memcmp(base + off, "070701", 6) != 0)
		return false;
	const char *h = base + off;
	size_t namesize = hex_field(h + 94), filesize = hex_field(h + 54);
	size_t data = ROUNDUP(off + 110 + namesize, 4);
	if (data + filesize > total)
		return false;
	ent->name = h + 110;
	if (namesize == 11 && strcmp(ent->name, "TRAILER!!!") == 0)
		return false;
	ent->mode = (unsigned)hex_field(h + 14);
	ent->data = (const uint8_t *)base + data;
	ent->size = filesize;
	*pos = ROUNDUP(data + filesize, 4);
	return true;
}

/* Archive names have no leading "/" or "./"; neither need a path. */
static const char *strip_root(const char *path)
{
	for (;;) {
		if (path[0] == '/')
			path++;
		else if (path[0] == '.' && path[1] == '/')
			path += 2;
		else
			return path;
	}
}

/* Compares the name first and parses only the sizes needed to step on:
 * spawn and exec look a program up every time. */
int archive_lookup(const char *path, struct archive_entry *ent)
{
	path = strip_root(path);
	const char *base = (const char *)UINITRD;
	size_t total = sysinfo->initrd_size;
	for (size_t off = 0; off + 110 <= total && base[off] == '0';) {
		const char *h = base + off;
		size_t namesize = hex_field(h + 94), filesize = hex_field(h + 54);
		size_t next = ROUNDUP(ROUNDUP(off + 110 + namesize, 4) + filesize, 4);
		if (strcmp(strip_root(h + 110), path) == 0) {
			size_t pos = off;
			return archive_next(&pos, ent) ? 0 : -ENOENT;
		}
		off = next;
	}
	return -ENOENT;
}
