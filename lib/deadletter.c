/*
 * deadletter.c: dead-letter entries (see deadletter.h).
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "b64.h"
#include "deadletter.h"
#include "evstr.h"
#include "sha1.h"

/* The fixed members; NULL on OOM. */
static json_t *
dl_base(
    const char *reason, const char *detail, const char *consumer, time_t now)
{
	char at[32];
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_pack("{s:s, s:s, s:s, s:s}", "reason", reason, "detail",
	    detail, "at", at, "consumer", consumer);
}

/* Set name (text) or name_base64 to the bytes: text when they are UTF-8
 * without NUL (json_stringn refuses anything else).  0 or -1. */
static int
dl_bytes(json_t *o, const char *name, const char *raw, size_t len)
{
	json_t *v;
	char key[32], *enc;

	if (memchr(raw, '\0', len) == NULL &&
	    (v = json_stringn(raw, len)) != NULL)
		return json_object_set_new(o, name, v);
	if ((enc = malloc(B64_LEN(len))) == NULL)
		return -1;
	b64_encode(raw, len, enc);
	snprintf(key, sizeof(key), "%s_base64", name);
	v = json_string(enc);
	free(enc);
	return v == NULL ? -1 : json_object_set_new(o, key, v);
}

/* Serialise and free. */
static char *
dl_dump(json_t *o, size_t *outlen)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(o);
	if (s != NULL && outlen != NULL)
		*outlen = strlen(s);
	return s;
}

/* The whole event. */
char *
dl_entry(const char *reason, const char *detail, const char *raw, size_t len,
    const char *consumer, time_t now, size_t *outlen)
{
	json_t *o = dl_base(reason, detail, consumer, now);

	if (o == NULL || dl_bytes(o, "raw", raw, len) != 0) {
		json_decref(o);
		return NULL;
	}
	return dl_dump(o, outlen);
}

/* The longest prefix of at most max bytes that does not cut a UTF-8
 * sequence in two (the head must stay text when the event was). */
static size_t
dl_cut(const char *s, size_t n, size_t max)
{
	size_t i = 0, k;

	if (n > max)
		n = max;
	while (i < n) {
		k = evstr_utf8_len((const unsigned char *)s + i, n - i);
		if (k == 0)
			return i < n && n - i < 4 ? i
						  : n; /* cut, or not text */
		i += k;
	}
	return i;
}

/* An event known by its head. */
char *
dl_entry_head(const char *reason, const char *detail, const char *head,
    size_t headlen, long long total, const char *sha1, const char *consumer,
    time_t now, size_t *outlen)
{
	json_t *o = dl_base(reason, detail, consumer, now);
	char digest[41];

	if (sha1 == NULL) {
		sha1_hex(head, headlen, digest);
		sha1 = digest;
	}
	if (o == NULL ||
	    dl_bytes(o, "raw_head", head, dl_cut(head, headlen, DL_HEAD)) !=
		0 ||
	    json_object_set_new(o, "length", json_integer(total)) != 0 ||
	    json_object_set_new(o, "sha1", json_string(sha1)) != 0) {
		json_decref(o);
		return NULL;
	}
	return dl_dump(o, outlen);
}
