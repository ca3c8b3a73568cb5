/*
 * recode.c: a feed's bytes made UTF-8 with iconv (see recode.h).  One
 * byte becomes at most three (a half-width katakana of Shift_JIS), so the
 * output is sized once; a byte that is not of the character set, or a
 * character cut at the end, stops it with the byte's offset.
 */

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recode.h"

char *
recode_utf8(char *text, size_t len, const char *from, size_t *outlen, char *err,
    size_t errlen)
{
	size_t cap = len * 3 + 4, left = len, room = cap;
	char *in = text, *out, *o; /* iconv reads in, never writes it */
	iconv_t cd;

	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1) {
		snprintf(
		    err, errlen, "cannot read %s: %s", from, strerror(errno));
		return NULL;
	}
	if ((o = out = malloc(cap + 1)) == NULL) {
		iconv_close(cd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (iconv(cd, &in, &left, &o, &room) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &o, &room) == (size_t)-1) {
		snprintf(err, errlen, "not %s at byte %zu%s", from, len - left,
		    errno == EINVAL ? " (a character cut at the end)" : "");
		iconv_close(cd);
		free(out);
		return NULL;
	}
	iconv_close(cd);
	*outlen = (size_t)(o - out);
	out[*outlen] = '\0';
	return out;
}
