/*
 * uuid.c: a UUID's form (see uuid.h).
 */

#include <string.h>

#include "uuid.h"

int
uuid_ok(const char *s)
{
	static const char form[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	for (i = 0; form[i] != '\0'; i++) {
		int hex = s[i] != '\0' &&
		    strchr("0123456789abcdefABCDEF", s[i]) != NULL;

		if (form[i] == '-' ? s[i] != '-' : !hex)
			return 0;
	}
	return s[i] == '\0';
}
