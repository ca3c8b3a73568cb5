/*
 * fuzz_fetch.c: libFuzzer harness for what sankaku-fetch reads from a
 * server: a TAXII 2.1 page, a reply's first and last bytes, a header's
 * value.  The first byte picks which.  Invariants: never crash; a page
 * either fails with a reason or gives only objects, and a "next" only
 * when it said "more"; a cleaned value is printable ASCII or empty, and
 * of two dates in it neither is later than itself, nor each later than
 * the other.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fpage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	char err[256] = "", *next = NULL, *url;
	size_t n = size > 0 ? size - 1 : 0, i;

	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0: {
		json_t *objs = json_array(), *o;

		if (fpage_taxii_take(text, n, objs, &next, err, sizeof(err)) !=
		    0) {
			if (err[0] == '\0' || next != NULL)
				abort();
		} else {
			json_array_foreach (objs, i, o)
				if (!json_is_object(o))
					abort();
			if (next != NULL) {
				url =
				    fpage_url_add("https://t/o/", "next", next);
				if (url == NULL || strchr(url, ' ') != NULL)
					abort();
				free(url);
			}
		}
		free(next);
		json_decref(objs);
		break;
	}
	case 1: {
		size_t h = n / 2;

		if (fpage_looks_json(text, h, text + h, n - h,
			data[0] & 4	  ? "response"
			    : data[0] & 8 ? "Event"
					  : NULL,
			err, sizeof(err)) != 0 &&
		    err[0] == '\0')
			abort();
		break;
	}
	default: {
		char v[64];
		size_t k = n < sizeof(v) ? n : sizeof(v);

		memcpy(v, text, k);
		if (k < sizeof(v))
			v[k] = '\0';
		fpage_clean_value(v, sizeof(v));
		for (i = 0; v[i] != '\0'; i++)
			if ((unsigned char)v[i] < 0x20 ||
			    (unsigned char)v[i] >= 0x7f)
				abort();
		/* two server dates, split at the middle: neither later than
		 * itself, nor each later than the other */
		if (v[0] != '\0') {
			char a[64], b[64];
			size_t h = strlen(v) / 2;

			memcpy(a, v, h);
			a[h] = '\0';
			strcpy(b, v + h);
			if (fpage_taxii_later(a, a) ||
			    fpage_taxii_later(b, b) ||
			    (fpage_taxii_later(a, b) &&
				fpage_taxii_later(b, a)))
				abort();
		}
		break;
	}
	}
	return 0;
}
