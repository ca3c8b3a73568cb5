/*
 * keyfile.c: an API key from a file (see keyfile.h).
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyfile.h"

const char *
keyfile_path(const char *path, char *buf, size_t len)
{
	const char *creds = getenv("CREDENTIALS_DIRECTORY"),
		   *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	if (creds != NULL && creds[0] != '\0' && base[0] != '\0' &&
	    (size_t)snprintf(buf, len, "%s/%s", creds, base) < len &&
	    access(buf, F_OK) == 0)
		return buf; /* systemd's copy (LoadCredential=) */
	return path;
}

char *
keyfile_read(const char *path, char *err, size_t errlen)
{
	char buf[1024], cred[4096], *s, *e, *key = NULL;
	FILE *fp;

	path = keyfile_path(path, cred, sizeof(cred));
	fp = fopen(path, "r");

	if (fp == NULL) {
		snprintf(err, errlen, "%.300s: %s", path, strerror(errno));
		return NULL;
	}
	s = fgets(buf, sizeof(buf), fp);
	fclose(fp);
	if (s == NULL)
		s = buf, buf[0] = '\0';
	s[strcspn(s, "\n")] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	if (*s == '\0')
		snprintf(err, errlen, "%.300s: no key on its first line", path);
	else {
		for (e = s; *e != '\0' && (unsigned char)*e >= 0x20 &&
		     (unsigned char)*e != 0x7f;
		     e++)
			;
		if (*e != '\0')
			snprintf(err, errlen,
			    "%.300s: a control character in the key", path);
		else if ((key = strdup(s)) == NULL)
			snprintf(err, errlen, "out of memory");
	}
	explicit_bzero(buf, sizeof(buf));
	return key;
}

void
keyfile_free(char *key)
{
	if (key == NULL)
		return;
	explicit_bzero(key, strlen(key));
	free(key);
}
