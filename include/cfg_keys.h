/*
 * cfg_keys.h: the configuration's scalar keys as a table (cfg_keys.c),
 * for config.c, which reads a file by it.  Internal to lib/.
 */
#ifndef SANKAKU_CFG_KEYS_H
#define SANKAKU_CFG_KEYS_H

#include <stddef.h>

/* T_CHOICE: a string among choices, kept as the choice's enum value. */
enum cfg_type { T_STR, T_INT, T_BOOL, T_CHOICE };

struct cfg_choice {
	const char *name;
	int value;
};

struct cfg_key {
	const char *name; /* dotted path */
	enum cfg_type type;
	size_t offset;
	const char *def_str;
	long def_int;
	long min, max;
	/* T_STR: the allowed values, or NULL; T_CHOICE: the values kept */
	const struct cfg_choice *choices;
	const char *help;
};

extern const struct cfg_key cfg_keys[];
extern const size_t cfg_nkeys;

#endif
