/*
 * evstr.h: string values of an EVE event as the scanner found them (bytes
 * between the quotes, escapes not yet decoded), and the UTF-8 checks the
 * scanner and the feeds share.  Pure.
 */
#ifndef SANKAKU_EVSTR_H
#define SANKAKU_EVSTR_H

#include <stddef.h>

/* A string value: its bytes in the event, between the quotes. */
struct evstr {
	const char *p; /* NULL: absent or not a string */
	size_t len;
	int escaped; /* has backslash escapes: unescape before use */
};

/* Unescape into out (outlen bytes, NUL-terminated); the length, or -1 if
 * it does not fit or holds a NUL (\u0000: no C string can carry it). */
long evstr_copy(const struct evstr *, char *out, size_t outlen);
/* As a C string in buf: the bytes themselves when there is no escape;
 * NULL if absent, too long, or holding a NUL. */
const char *evstr_cstr(const struct evstr *, char *buf, size_t len);
/* The same, but what does not fit (or follows a NUL) is cut off, between
 * two characters; NULL if absent. */
const char *evstr_cstr_cut(const struct evstr *, char *buf, size_t len);
/* Compare a string value with a C string (no escapes: bytes compared). */
int evstr_eq(const struct evstr *, const char *);
/* Whether s[0, n) is valid UTF-8 without control characters. */
int evstr_text_ok(const char *s, size_t n);
/* Length of the valid UTF-8 sequence at p (n bytes left), or 0. */
size_t evstr_utf8_len(const unsigned char *p, size_t n);
/* The length of s[0, n) without a UTF-8 character its last bytes begin
 * and do not finish (n, or less). */
size_t evstr_utf8_whole(const char *s, size_t n);
/* At most max bytes of s, ended between two characters: for "%.*s", so
 * that a text cut to fit stays UTF-8. */
size_t evstr_prefix(const char *s, size_t max);
/* Make s valid UTF-8 in place: a character cut at its end is dropped, and
 * any other byte that is not UTF-8 becomes '?'. */
void evstr_utf8_fix(char *s);
/* Four hex digits at b; -1 if not. */
long evstr_hex4(const char *b);

#endif
