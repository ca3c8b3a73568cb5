/*
 * fuzz_enrich.c: libFuzzer harness for the EVE enrichment path (the
 * scanner, the classification, the splice, the dead letter) and
 * sankaku-hunt's reading of the same bytes.  Invariant: never crash; an
 * enriched alert is valid JSON holding the original event.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "deadletter.h"
#include "enrich.h"
#include "evscan.h"
#include "hunt.h"

static struct cfg *cfg;
static struct idx *idx;
static struct render *tables;

static const char cfg_text[] =
    "{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\"},"
    "{\"id\": \"b\", \"triangle\": \"speed-coverage\", \"tlp\": \"green\"}],"
    "\"home_net\": [\"10.0.0.0/8\", \"fd00::/8\"]}";
static const char idx_text[] =
    "domain\tevil.example\ta,b\t2026-01-01T00:00:00Z\tcompromise\n"
    "ip\t10.9.9.9\tb\t-\tindicator\n"
    "cidr\t203.0.113.0/24\ta\t-\tindicator\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct enrich_ctx ctx = {0};
	struct enrich_out out;
	char err[256], *dl;
	size_t dlen;

	if (cfg == NULL) {
		cfg = cfg_parse(
		    "f", cfg_text, strlen(cfg_text), err, sizeof(err));
		idx = idx_parse(
		    "i", idx_text, strlen(idx_text), err, sizeof(err));
		tables = render_new(cfg);
		if (cfg == NULL || idx == NULL || tables == NULL)
			abort();
	}
	ctx.cfg = cfg;
	ctx.idx = idx;
	ctx.render = tables;
	{
		/* the scanner accepts exactly what jansson accepts (\u0000
		 * included: Suricata writes it for a NUL on the wire), but for
		 * its own limits, escaped names (a slow path decides) and a
		 * raw NUL byte (jansson takes it for the end of the text, the
		 * scanner refuses it) */
		struct evscan ev;
		int rv = evscan((const char *)data, size, &ev);
		json_t *j = json_loadb((const char *)data, size,
		    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
		    NULL);
		int limit = rv == -1 && ev.err != NULL &&
		    (strcmp(ev.err, "nesting too deep") == 0 ||
			strcmp(ev.err, "too many members in one object") == 0);

		if (rv != -2 && !limit && memchr(data, 0, size) == NULL &&
		    (rv == 0) != (j != NULL))
			abort();
		json_decref(j);
		/* sankaku-hunt reads every object the scanner reads, and
		 * counts what it found */
		{
			struct hunt_filter f = {NULL, (time_t)-1, NULL};
			struct hunt_event hv;
			struct hunt_stats st;
			char herr[256];
			int hr = hunt_event((const char *)data, size, idx, cfg,
			    &f, &hv, herr, sizeof(herr));

			if (rv == 0 && !ev.not_object && hr != 0)
				abort();
			memset(&st, 0, sizeof(st));
			if (hr == 0)
				hunt_count(&st, &hv);
			if (st.hits != (hr == 0 ? hv.nhits : 0))
				abort();
		}
		/* the desk's lax scan stays inside the bytes whatever they
		 * are; where the strict one accepts, it accepts, finds
		 * nothing the strict one did not, and the alert's own
		 * members where the strict one does */
		{
			static const int own[] = {F_TIMESTAMP, F_SRC_IP,
			    F_DEST_IP, F_SIGNATURE, F_SK_ID, F_SK_PHASE,
			    F_SK_IND_VALUE};
			struct evscan lx;
			int lrv = evscan_lax((const char *)data, size, &lx);
			size_t f;

			if (rv == 0 && lrv != 0)
				abort();
			for (f = 0; rv == 0 && f < F_MAX; f++)
				if (lx.f[f].p != NULL &&
				    (lx.f[f].p != ev.f[f].p ||
					lx.f[f].len != ev.f[f].len))
					abort();
			for (f = 0; rv == 0 && f < sizeof(own) / sizeof(own[0]);
			     f++)
				if (lx.f[own[f]].p != ev.f[own[f]].p)
					abort();
		}
	}
	if (enrich_event(&ctx, (const char *)data, size, &out) == ENRICH_OK) {
		json_t *j = json_loadb(out.json, out.len, JSON_ALLOW_NUL, NULL);

		if (j == NULL || !json_is_object(json_object_get(j, "sankaku")))
			abort(); /* the output must be valid JSON */
		json_decref(j);
	}
	dl = dl_entry(
	    "bad-json", "fuzz", (const char *)data, size, "c", 0, &dlen);
	{
		json_t *j = dl != NULL ? json_loadb(dl, dlen, 0, NULL) : NULL;

		if (j == NULL) /* a dead letter is always valid JSON */
			abort();
		json_decref(j);
	}
	free(dl);
	enrich_out_free(&out);
	return 0;
}
