/*
 * hclient.c: a small HTTPS client (see hclient.h).
 *
 * evhttp speaks HTTP over any bufferevent: here an OpenSSL one, made
 * with SNI and the peer's name to check (a DNS name, or an address for
 * an address URL).  The certificate is verified during the handshake;
 * a refusal ends the request with status 0 and OpenSSL's reason.
 */

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "hclient.h"

struct hclient {
	struct event_base *base;
	SSL_CTX *ctx;
	struct bufferevent *bev;
	struct evhttp_connection *conn;
	char host[256], path[512];
	int port;
	struct hreq *reqs; /* not answered yet (evhttp frees its own) */
};

struct hreq {
	struct hreq *next, **prevp;
	struct hclient *c;
	hclient_cb cb;
	void *arg;
	enum evhttp_request_error error;
	int failed;
};

int
hclient_parse_url(const char *url, char *host, size_t hostlen, int *port,
    char *path, size_t pathlen, char *err, size_t errlen)
{
	const char *h, *end, *slash, *colon;
	size_t n;

	if (strncmp(url, "https://", 8) != 0) {
		snprintf(err, errlen, "not an https:// URL");
		return -1;
	}
	h = url + 8;
	slash = strchr(h, '/');
	end = slash != NULL ? slash : h + strlen(h);
	if (memchr(h, '@', (size_t)(end - h)) != NULL) {
		snprintf(err, errlen,
		    "no user or password in the URL (the "
		    "key goes in its own file)");
		return -1;
	}
	*port = 443;
	if (*h == '[') { /* [v6]:port */
		const char *rb = memchr(h, ']', (size_t)(end - h));

		if (rb == NULL) {
			snprintf(err, errlen, "an unclosed [ in the host");
			return -1;
		}
		n = (size_t)(rb - h - 1);
		colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
		h++;
	} else {
		colon = memchr(h, ':', (size_t)(end - h));
		n = (size_t)((colon != NULL ? colon : end) - h);
	}
	if (n == 0 || n >= hostlen) {
		snprintf(err, errlen, "no host, or a host too long");
		return -1;
	}
	memcpy(host, h, n);
	host[n] = '\0';
	if (colon != NULL) {
		char *e;
		long p = strtol(colon + 1, &e, 10);

		if (e != end || p < 1 || p > 65535) {
			snprintf(err, errlen, "a bad port");
			return -1;
		}
		*port = (int)p;
	}
	n = slash != NULL ? strlen(slash) : 0;
	while (n > 0 && slash[n - 1] == '/')
		n--;
	if (n >= pathlen) {
		snprintf(err, errlen, "a path too long");
		return -1;
	}
	memcpy(path, slash != NULL ? slash : "", n);
	path[n] = '\0';
	return 0;
}

/* OpenSSL's last reason, or what evhttp said. */
static void
why(struct hreq *r, char *buf, size_t len)
{
	unsigned long e =
	    r->c->bev != NULL ? bufferevent_get_openssl_error(r->c->bev) : 0;
	static const char *const names[] = {"timed out", "connection closed",
	    "connection refused or lost", "request cancelled",
	    "reply too large or malformed"};

	if (e != 0) {
		char s[200];

		ERR_error_string_n(e, s, sizeof(s));
		snprintf(buf, len, "TLS: %s", s);
	} else if (r->failed && (size_t)r->error < 5)
		snprintf(buf, len, "%s", names[r->error]);
	else
		snprintf(buf, len, "no reply");
}

static void
on_error(enum evhttp_request_error e, void *arg)
{
	struct hreq *r = arg;

	r->failed = 1;
	r->error = e;
}

static void
unlink_req(struct hreq *r)
{
	if (r->next != NULL)
		r->next->prevp = r->prevp;
	*r->prevp = r->next;
}

static void
on_done(struct evhttp_request *req, void *arg)
{
	struct hreq *r = arg;
	int status = req != NULL ? evhttp_request_get_response_code(req) : 0;
	char err[256] = "";

	unlink_req(r); /* answered: hclient_free leaves it alone */
	if (status == 0) {
		why(r, err, sizeof(err));
		r->cb(0, NULL, 0, err, r->arg);
	} else {
		struct evbuffer *in = evhttp_request_get_input_buffer(req);
		size_t n = evbuffer_get_length(in);
		char *body = malloc(n + 1);

		if (body != NULL) {
			evbuffer_copyout(in, body, n);
			body[n] = '\0';
		}
		r->cb(status, body, body != NULL ? n : 0, NULL, r->arg);
		free(body);
	}
	free(r);
}

struct hclient *
hclient_new(struct event_base *base, const char *url, const char *ca_file,
    int timeout_s, char *err, size_t errlen)
{
	struct hclient *c = calloc(1, sizeof(*c));
	unsigned char addr[16];
	SSL *ssl = NULL;
	int ip;

	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->base = base;
	if (hclient_parse_url(url, c->host, sizeof(c->host), &c->port, c->path,
		sizeof(c->path), err, errlen) != 0)
		goto fail;
	ip = inet_pton(AF_INET, c->host, addr) == 1 ||
	    inet_pton(AF_INET6, c->host, addr) == 1;
	if ((c->ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION) != 1) {
		snprintf(err, errlen, "TLS: cannot set up");
		goto fail;
	}
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	if (ca_file != NULL && ca_file[0] != '\0'
		? SSL_CTX_load_verify_locations(c->ctx, ca_file, NULL) != 1
		: SSL_CTX_set_default_verify_paths(c->ctx) != 1) {
		snprintf(err, errlen, "TLS: cannot read the CA file %.200s",
		    ca_file != NULL ? ca_file : "");
		goto fail;
	}
	if ((ssl = SSL_new(c->ctx)) == NULL ||
	    (ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), c->host)
		: (SSL_set_tlsext_host_name(ssl, c->host) &&
		      SSL_set1_host(ssl, c->host))) != 1) {
		snprintf(
		    err, errlen, "TLS: cannot check the name %.100s", c->host);
		SSL_free(ssl);
		goto fail;
	}
	c->bev = bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_CONNECTING,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (c->bev == NULL) { /* ssl was freed with it */
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
	c->conn = evhttp_connection_base_bufferevent_new(
	    base, NULL, c->bev, c->host, (unsigned short)c->port);
	if (c->conn == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	evhttp_connection_set_timeout(c->conn, timeout_s);
	evhttp_connection_set_max_body_size(c->conn, 1 << 20);
	return c;
fail:
	hclient_free(c);
	return NULL;
}

int
hclient_post(struct hclient *c, const char *path, const char *auth,
    const char *body, size_t len, hclient_cb cb, void *arg)
{
	return hclient_request(c, 1, path, auth, body, len, cb, arg);
}

int
hclient_request(struct hclient *c, int post, const char *path, const char *auth,
    const char *body, size_t len, hclient_cb cb, void *arg)
{
	struct hreq *r = calloc(1, sizeof(*r));
	struct evhttp_request *req;
	struct evkeyvalq *h;
	char uri[1024], hosthdr[300];

	if (r == NULL)
		return -1;
	r->c = c;
	r->cb = cb;
	r->arg = arg;
	if ((req = evhttp_request_new(on_done, r)) == NULL) {
		free(r);
		return -1;
	}
	evhttp_request_set_error_cb(req, on_error);
	h = evhttp_request_get_output_headers(req);
	snprintf(hosthdr, sizeof(hosthdr),
	    strchr(c->host, ':') != NULL ? "[%s]:%d" : "%s:%d", c->host,
	    c->port);
	evhttp_add_header(h, "Host", hosthdr);
	if (post)
		evhttp_add_header(h, "Content-Type", "application/json");
	evhttp_add_header(h, "Accept", "application/json");
	evhttp_add_header(h, "User-Agent", "sankaku-desk");
	if (auth != NULL)
		evhttp_add_header(h, "Authorization", auth);
	if (post)
		evbuffer_add(evhttp_request_get_output_buffer(req), body, len);
	snprintf(uri, sizeof(uri), "%s%s", c->path, path);
	if (evhttp_make_request(c->conn, req,
		post ? EVHTTP_REQ_POST : EVHTTP_REQ_GET, uri) != 0) {
		/* evhttp freed the request */
		free(r);
		return -1;
	}
	r->next = c->reqs;
	r->prevp = &c->reqs;
	if (c->reqs != NULL)
		c->reqs->prevp = &r->next;
	c->reqs = r;
	return 0;
}

void
hclient_free(struct hclient *c)
{
	if (c == NULL)
		return;
	while (c->reqs != NULL) {
		struct hreq *r = c->reqs;

		unlink_req(r);
		free(r);
	}
	if (c->conn != NULL)
		evhttp_connection_free(c->conn); /* and its bufferevent */
	else if (c->bev != NULL)
		bufferevent_free(c->bev);
	SSL_CTX_free(c->ctx);
	free(c);
}
