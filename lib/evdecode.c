/*
 * evdecode.c: an EVE event whose member names are written with escapes
 * ("\u0065vent_type"), which the scanner matches by bytes and so cannot
 * read (evscan gives -2): jansson decodes the names, and the scanner
 * reads its compact text instead.  sankakud and sankaku-hunt read such
 * an event the same way through here.
 */

#include <string.h>

#include <jansson.h>

#include "evscan.h"

int
evscan_decoded(const char *buf, size_t len, struct evscan *ev, char **canon)
{
	json_t *j =
	    json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);

	*canon = NULL;
	if (j == NULL)
		return -1;
	*canon = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (*canon == NULL)
		return -2;
	return evscan(*canon, strlen(*canon), ev) != 0 ? -3 : 0;
}
