/*
 * fxfer.h: one HTTPS request of sankaku-fetch, on libcurl.  https only,
 * redirects included; the server's certificate checked against the
 * system's trust store or a CA file; the reply's body kept in memory or
 * written to a file, up to a limit.  The key is never sent to another
 * host on a redirect (libcurl drops Authorization there; a key in a
 * header of its own stops redirects from being followed), and never
 * appears in a message.
 */
#ifndef SANKAKU_FXFER_H
#define SANKAKU_FXFER_H

#include <stdio.h>

#include "fpage.h"

/* Seconds without a byte before a transfer is given up. */
#define FXFER_STALL_S 60

struct fxfer_req {
	const char *url;
	const char *auth;	 /* the key, or NULL */
	const char *auth_header; /* its header: NULL for Authorization */
	const char *ca_file;	 /* "" or NULL: the system's trust store */
	const char *client_cert; /* a TLS client certificate, "" or NULL */
	const char *client_key;	 /* its key ("": in the certificate's file) */
	const char *accept;	 /* the Accept header */
	const char *post;	 /* a JSON body to POST, or NULL: GET */
	const struct fpage_validators *since; /* conditional GET, or NULL */
	FILE *out;	  /* the body goes here, or NULL: into body */
	size_t max_bytes; /* a longer body fails the request */
	long timeout_s;	  /* the whole transfer */
};

struct fxfer_res {
	long status; /* HTTP status, 0 when none came */
	char *body;  /* when req.out is NULL: malloc'd, NUL-terminated */
	size_t len;
	struct fpage_validators got; /* ETag, Last-Modified of the reply */
	char content_type[128];
	/* a TAXII page's X-TAXII-Date-Added-First and -Last, "" if none */
	char added_first[64], added_last[64];
	char err[256]; /* why, when status is 0 */
};

/* Once per process, before any request. */
int fxfer_init(void);
void fxfer_cleanup(void);

/* 0 when a reply came (any status), -1 with res->err otherwise.
 * free(res->body) after. */
int fxfer_run(const struct fxfer_req *, struct fxfer_res *);

#endif
