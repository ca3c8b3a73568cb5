/*
 * console.c: serve the embedded console (see console.h).
 */

#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "console.h"
#include "http.h"

/* Nothing from another origin; no inline script or style; no framing. */
#define CSP                                                                    \
	"default-src 'none'; script-src 'self'; style-src 'self'; "            \
	"img-src 'self'; connect-src 'self'; form-action 'self'; "             \
	"base-uri 'none'; frame-ancestors 'none'"

void
console_route(struct evhttp_request *req, void *arg)
{
	const char *uri = evhttp_request_get_uri(req);
	size_t plen = strcspn(uri, "?#"), i;

	(void)arg;
	for (i = 0; i < console_nfiles; i++) {
		const struct console_file *f = &console_files[i];
		struct evkeyvalq *h;
		struct evbuffer *b;

		if (strlen(f->path) != plen || strncmp(uri, f->path, plen) != 0)
			continue;
		h = evhttp_request_get_output_headers(req);
		evhttp_add_header(h, "Content-Type", f->type);
		evhttp_add_header(h, "Content-Security-Policy", CSP);
		evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
		evhttp_add_header(h, "Referrer-Policy", "no-referrer");
		evhttp_add_header(h, "Cache-Control", "no-cache");
		if ((b = evbuffer_new()) == NULL) {
			evhttp_send_error(req, 500, "out of memory");
			return;
		}
		evbuffer_add(b, f->data, f->len);
		evhttp_send_reply(req, 200, "OK", b);
		evbuffer_free(b);
		return;
	}
	http_reply(req, 404, "text/plain; charset=utf-8", "not found\n");
}
