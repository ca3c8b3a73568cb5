/*
 * tlp.c: TLP labels (see tlp.h).
 */

#include <string.h>
#include <strings.h>

#include "tlp.h"

static const char *const names[TLP_MAX] = {
    [TLP_CLEAR] = "clear",
    [TLP_GREEN] = "green",
    [TLP_AMBER] = "amber",
    [TLP_AMBER_STRICT] = "amber+strict",
    [TLP_RED] = "red",
};

/* Name of a level. */
const char *
tlp_name(enum tlp t)
{
	return t < TLP_MAX ? names[t] : "red";
}

/* Parse a label. */
int
tlp_parse(const char *s, size_t n, enum tlp *out)
{
	int i;

	if (n >= 4 && strncasecmp(s, "tlp:", 4) == 0) {
		s += 4;
		n -= 4;
	}
	if (n == 5 && strncasecmp(s, "white", 5) == 0) {
		*out = TLP_CLEAR;
		return 0;
	}
	for (i = 0; i < TLP_MAX; i++) {
		if (strlen(names[i]) == n && strncasecmp(s, names[i], n) == 0) {
			*out = (enum tlp)i;
			return 0;
		}
	}
	return -1;
}
