/*
 * hclient.h: a small HTTPS client on libevent's evhttp and OpenSSL, for
 * pushing to another system's API (the desk's sightings to a MISP
 * instance).  One session is one connection to one https:// origin;
 * requests on it go one after another (keep-alive).  The peer's
 * certificate is verified against the system's trust store or a CA file,
 * and its name against the URL's host.  Nothing it logs or returns
 * carries a header value.
 */
#ifndef SANKAKU_HCLIENT_H
#define SANKAKU_HCLIENT_H

#include <stddef.h>

#include <event2/event.h>

struct hclient;

/* status: the HTTP status, or 0 when there is none (err says why: no
 * connection, a certificate refused, a timeout); body: the reply's. */
typedef void (*hclient_cb)(
    int status, const char *body, size_t len, const char *err, void *arg);

/* Split an https:// URL: host (no brackets), port (443 by default) and
 * path prefix (no trailing slash; "" for the root).  0, or -1 with err:
 * not https, no host, a bad port, a user name or password in it. */
int hclient_parse_url(const char *url, char *host, size_t hostlen, int *port,
    char *path, size_t pathlen, char *err, size_t errlen);

/* A session to url's origin (ca_file "" for the system's trust store);
 * NULL with err. */
struct hclient *hclient_new(struct event_base *, const char *url,
    const char *ca_file, int timeout_s, char *err, size_t errlen);
/* POST body (JSON) to the URL's path + path, with the Authorization
 * header auth (NULL: none); cb once.  0, or -1 (cb not called). */
int hclient_post(struct hclient *, const char *path, const char *auth,
    const char *body, size_t len, hclient_cb cb, void *arg);
/* The same, a GET when post is 0 (body unused). */
int hclient_request(struct hclient *, int post, const char *path,
    const char *auth, const char *body, size_t len, hclient_cb cb, void *arg);
/* Requests not answered yet are given up (their cb is not called).
 * Not from inside a cb: evhttp is still using the connection there. */
void hclient_free(struct hclient *);

#endif
