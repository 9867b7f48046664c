/* Directory entries for <dirent.h>: picolibc leaves them to the system
 * (its own sys/dirent.h is an #error); the library OS implements opendir,
 * readdir and closedir in libos/dir.c. */
#ifndef _SYS_DIRENT_H
#define _SYS_DIRENT_H

#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8

struct dirent {
	ino_t d_ino;
	unsigned char d_type; /* DT_* */
	char d_name[256];
};

typedef struct __dirstream DIR;

#endif
