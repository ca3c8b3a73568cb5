/*
 * argvb.h: a Redis command of any length built argument by argument (for
 * redisAsyncCommandArgv): borrowed bytes, or copies it owns.
 */
#ifndef SANKAKU_ARGVB_H
#define SANKAKU_ARGVB_H

#include <stddef.h>

struct argvb {
	const char **v;
	size_t *len;
	size_t n, cap;
	char **owned;
	size_t nowned, capowned;
};

/* Borrowed: p must live until the command is sent. */
void argvb_add(struct argvb *, const char *p, size_t len);
void argvb_adds(struct argvb *, const char *s);
/* Owned: freed by argvb_free. */
void argvb_take(struct argvb *, char *p, size_t len);
void argvb_addf(struct argvb *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void argvb_free(struct argvb *);

#endif
