/*
 * measured.c: the desk's measured figures, as sankakud takes them (see
 * measured.h).  What comes from Redis is read as hostile: only the
 * configured sources, only the three figures, only numbers in [0, 1].
 */

#include <math.h>

#include "isog.h"
#include "measured.h"

json_t *
measured_clean(const struct cfg *cfg, const char *text, size_t len)
{
	json_t *doc = json_loadb(text, len, 0, NULL), *src, *out;
	size_t i, f;

	src = json_object_get(doc, "sources");
	if (!json_is_object(src)) {
		json_decref(doc);
		return NULL;
	}
	out = json_object();
	for (i = 0; i < cfg->nsources; i++) {
		json_t *m = json_object_get(src, cfg->sources[i].id),
		       *clean = json_object();

		for (f = 0; f < ISOG_NSIDES; f++) {
			json_t *v = json_object_get(m, isog_sides[f]);
			double x =
			    json_is_number(v) ? json_number_value(v) : NAN;

			if (x >= 0 && x <= 1)
				json_object_set_new(
				    clean, isog_sides[f], json_real(x));
		}
		if (json_object_size(clean) > 0)
			json_object_set_new(out, cfg->sources[i].id, clean);
		else
			json_decref(clean);
	}
	json_decref(doc);
	return out;
}
