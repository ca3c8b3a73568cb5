/*
 * password.h: the Redis password from the file a config names
 * (redis_password_file): its first line, the file found absolute, in
 * $CREDENTIALS_DIRECTORY (systemd's LoadCredential=) when set, else next
 * to the config file.  The password is never repeated in a message.
 */
#ifndef SANKAKU_PASSWORD_H
#define SANKAKU_PASSWORD_H

#include <stddef.h>

#include "redisurl.h"

/* Into url->password; file "" or NULL: nothing to do.  0, or -1 with
 * "CFGPATH: redis_password_file: PATH: reason" in err. */
int password_read(const char *cfgpath, const char *file, struct redis_url *url,
    char *err, size_t errlen);

#endif
