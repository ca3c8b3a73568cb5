/*
 * recode.h: a feed's bytes in another character set (the Shift_JIS or
 * CP932 of a spreadsheet saved in Japan, EUC-JP) made UTF-8 before it is
 * read (see recode.c).
 */
#ifndef SANKAKU_RECODE_H
#define SANKAKU_RECODE_H

#include <stddef.h>

/* text[0, len) in the character set from, as UTF-8 (NUL-terminated, its
 * length in *outlen; the caller frees it); NULL with "not FROM at byte N"
 * or why in err. */
char *recode_utf8(char *text, size_t len, const char *from, size_t *outlen,
    char *err, size_t errlen);

#endif
