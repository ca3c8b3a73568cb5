/*
 * prom.c: the Prometheus text exposition format (see prom.h).
 */

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"

void
prom_init(struct prom *p, const char *prefix)
{
	memset(p, 0, sizeof(*p));
	p->prefix = prefix;
}

static void
put(struct prom *p, const char *s)
{
	buf_put(&p->b, s, strlen(s));
}

/* A number as the format reads it: integers whole, others in the fewest
 * digits that give back the same double, NaN and infinities by name. */
static void
put_number(struct prom *p, double v)
{
	char s[40];
	int prec;

	if (isnan(v)) {
		put(p, "NaN");
		return;
	}
	if (isinf(v)) {
		put(p, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (v > -9007199254740992.0 && v < 9007199254740992.0 && /* 2^53 */
	    v == (double)(long long)v) {
		snprintf(s, sizeof(s), "%lld", (long long)v);
		put(p, s);
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(s, sizeof(s), "%.17g", v);
	put(p, s);
}

/* A label value between its quotes. */
static void
put_label_value(struct prom *p, const char *v)
{
	const char *run = v;

	for (; *v != '\0'; v++) {
		unsigned char c = (unsigned char)*v;
		const char *esc = c == '\\' ? "\\\\"
		    : c == '"'		    ? "\\\""
		    : c == '\n'		    ? "\\n"
		    : c < 0x20 || c == 0x7f ? "?"
					    : NULL;

		if (esc == NULL)
			continue;
		buf_put(&p->b, run, (size_t)(v - run));
		put(p, esc);
		run = v + 1;
	}
	buf_put(&p->b, run, (size_t)(v - run));
}

void
prom_family(
    struct prom *p, const char *name, const char *type, const char *help)
{
	if (help != NULL) {
		put(p, "# HELP ");
		put(p, p->prefix);
		put(p, name);
		put(p, " ");
		put(p, help);
		put(p, "\n");
	}
	put(p, "# TYPE ");
	put(p, p->prefix);
	put(p, name);
	put(p, " ");
	put(p, type);
	put(p, "\n");
}

void
prom_sample(struct prom *p, const char *name, double v, ...)
{
	va_list ap;
	const char *label, *sep = "{";

	put(p, p->prefix);
	put(p, name);
	va_start(ap, v);
	while ((label = va_arg(ap, const char *)) != NULL) {
		put(p, sep);
		put(p, label);
		put(p, "=\"");
		put_label_value(p, va_arg(ap, const char *));
		put(p, "\"");
		sep = ",";
	}
	va_end(ap);
	if (sep[0] == ',')
		put(p, "}");
	put(p, " ");
	put_number(p, v);
	put(p, "\n");
}

void
prom_scalar(struct prom *p, const char *name, const char *type,
    const char *help, double v)
{
	prom_family(p, name, type, help);
	prom_sample(p, name, v, (const char *)NULL);
}

char *
prom_text(struct prom *p)
{
	char *s = p->b.oom ? NULL : p->b.s;

	if (s == NULL && !p->b.oom)
		s = strdup("");
	else if (s == NULL)
		free(p->b.s);
	memset(&p->b, 0, sizeof(p->b));
	return s;
}
