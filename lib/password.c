/*
 * password.c: the Redis password from a file (see password.h).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "password.h"

/* The password file's path: absolute, in $CREDENTIALS_DIRECTORY, or next
 * to the config file. */
static void
password_path(const char *cfgpath, const char *f, char *path, size_t len)
{
	const char *creds, *slash;
	size_t dlen;

	if (f[0] == '/')
		snprintf(path, len, "%s", f);
	else if ((creds = getenv("CREDENTIALS_DIRECTORY")) != NULL)
		snprintf(path, len, "%s/%s", creds, f);
	else if ((slash = strrchr(cfgpath, '/')) != NULL) {
		dlen = (size_t)(slash - cfgpath);
		snprintf(path, len, "%.*s/%s", (int)dlen, cfgpath, f);
	} else
		snprintf(path, len, "%s", f);
}

int
password_read(const char *cfgpath, const char *file, struct redis_url *url,
    char *err, size_t errlen)
{
	char path[4096];
	FILE *fp;

	if (file == NULL || file[0] == '\0')
		return 0;
	password_path(cfgpath, file, path, sizeof(path));
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%.200s: redis_password_file: %.200s: %s",
		    cfgpath, path, strerror(errno));
		return -1;
	}
	if (fgets(url->password, sizeof(url->password), fp) == NULL)
		url->password[0] = '\0';
	fclose(fp);
	url->password[strcspn(url->password, "\r\n")] = '\0';
	if (url->password[0] == '\0') {
		snprintf(err, errlen,
		    "%.200s: redis_password_file: %.200s: empty", cfgpath,
		    path);
		return -1;
	}
	return 0;
}
