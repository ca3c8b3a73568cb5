/*
 * keyfile.h: an API key from the file a config names (a MISP instance's
 * key, a TAXII server's "Basic ..." or "Bearer ..."): its first line,
 * blanks around it removed.  When systemd hands the service a credential
 * of the same name ($CREDENTIALS_DIRECTORY/NAME, from
 * LoadCredential=NAME:PATH), that copy is read instead, so a key file
 * can stay root's alone.  The key is never repeated in a message.
 */
#ifndef SANKAKU_KEYFILE_H
#define SANKAKU_KEYFILE_H

#include <stddef.h>

/* The key, malloc'd (free it with keyfile_free); NULL with err: the file
 * unreadable, empty, or a control character in the key (it goes into a
 * header line as it is). */
char *keyfile_read(const char *path, char *err, size_t errlen);

/* Where a secret file named path is read from: systemd's copy of the
 * same name when there is one (then written into buf), else path. */
const char *keyfile_path(const char *path, char *buf, size_t len);

/* Wipe and free a key; NULL is fine. */
void keyfile_free(char *key);

#endif
