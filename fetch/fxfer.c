/*
 * fxfer.c: one HTTPS request on libcurl (see fxfer.h).
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "fxfer.h"
#include "keyfile.h"

#ifndef SANKAKU_VERSION
#define SANKAKU_VERSION "0.0.0"
#endif

struct sink {
	const struct fxfer_req *req;
	struct fxfer_res *res;
	size_t cap;
	int too_big, write_failed;
};

int
fxfer_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
fxfer_cleanup(void)
{
	curl_global_cleanup();
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	struct fxfer_res *res = s->res;

	n *= size;
	if (res->len + n > s->req->max_bytes) {
		s->too_big = 1;
		return 0;
	}
	if (s->req->out != NULL) {
		if (fwrite(data, 1, n, s->req->out) != n) {
			s->write_failed = 1;
			return 0;
		}
	} else {
		if (res->len + n + 1 > s->cap) {
			size_t cap = s->cap != 0 ? s->cap : 65536;
			char *nb;

			while (cap < res->len + n + 1)
				cap *= 2;
			if ((nb = realloc(res->body, cap)) == NULL)
				return 0;
			res->body = nb;
			s->cap = cap;
		}
		memcpy(res->body + res->len, data, n);
		res->body[res->len + n] = '\0';
	}
	res->len += n;
	return n;
}

/* Copy a header's value, cleaned, when name matches the line. */
static void
take(const char *line, size_t n, const char *name, char *dst, size_t room)
{
	size_t k = strlen(name), v;

	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return;
	line += k + 1;
	n -= k + 1;
	while (n > 0 && (*line == ' ' || *line == '\t'))
		line++, n--;
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		n--;
	v = n < room ? n : room - 1;
	memcpy(dst, line, v);
	dst[v] = '\0';
	if (n >= room) /* a value too long is not a value */
		dst[0] = '\0';
	fpage_clean_value(dst, room);
}

static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct fxfer_res *res = ((struct sink *)arg)->res;

	n *= size;
	if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) { /* a new reply */
		memset(&res->got, 0, sizeof(res->got));
		res->content_type[0] = '\0';
		res->added_first[0] = res->added_last[0] = '\0';
	}
	take(line, n, "ETag", res->got.etag, sizeof(res->got.etag));
	take(line, n, "Last-Modified", res->got.last_modified,
	    sizeof(res->got.last_modified));
	take(line, n, "Content-Type", res->content_type,
	    sizeof(res->content_type));
	take(line, n, "X-TAXII-Date-Added-First", res->added_first,
	    sizeof(res->added_first));
	take(line, n, "X-TAXII-Date-Added-Last", res->added_last,
	    sizeof(res->added_last));
	return n;
}

/* A header line "Name: value", malloc'd; NULL: out of memory. */
static char *
header(const char *name, const char *value)
{
	char *h = malloc(strlen(name) + strlen(value) + 3);

	if (h != NULL)
		sprintf(h, "%s: %s", name, value);
	return h;
}

int
fxfer_run(const struct fxfer_req *req, struct fxfer_res *res)
{
	struct sink s;
	struct curl_slist *hs = NULL, *l;
	char *line = NULL, ebuf[CURL_ERROR_SIZE] = "";
	CURL *c;
	CURLcode rc;
	int follow = 0;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	s.req = req;
	s.res = res;
	if ((c = curl_easy_init()) == NULL) {
		snprintf(res->err, sizeof(res->err), "out of memory");
		return -1;
	}
	if (req->auth_header == NULL ||
	    strcasecmp(req->auth_header, "Authorization") == 0)
		follow = 1; /* libcurl keeps Authorization to its host */
	if (req->auth != NULL &&
	    (line = header(follow ? "Authorization" : req->auth_header,
		 req->auth)) != NULL)
		hs = curl_slist_append(hs, line); /* first: wiped below */
	keyfile_free(line);			  /* curl keeps its own copy */
	line = header("Accept", req->accept);
	if (line != NULL && (l = curl_slist_append(hs, line)) != NULL)
		hs = l;
	free(line);
	if (req->post != NULL &&
	    (l = curl_slist_append(hs, "Content-Type: application/json")) !=
		NULL)
		hs = l;
	if (req->since != NULL && req->since->etag[0] != '\0' &&
	    (line = header("If-None-Match", req->since->etag)) != NULL) {
		if ((l = curl_slist_append(hs, line)) != NULL)
			hs = l;
		free(line);
	}
	if (req->since != NULL && req->since->last_modified[0] != '\0' &&
	    (line = header("If-Modified-Since", req->since->last_modified)) !=
		NULL) {
		if ((l = curl_slist_append(hs, line)) != NULL)
			hs = l;
		free(line);
	}
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, (long)follow);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(
	    c, CURLOPT_USERAGENT, "sankaku-fetch/" SANKAKU_VERSION);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	/* a server that stalls is given up after a minute, not --timeout */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)FXFER_STALL_S);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, req->timeout_s);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(
	    c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_bytes);
	if (req->ca_file != NULL && req->ca_file[0] != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, req->ca_file);
	if (req->client_cert != NULL && req->client_cert[0] != '\0')
		curl_easy_setopt(c, CURLOPT_SSLCERT, req->client_cert);
	if (req->client_key != NULL && req->client_key[0] != '\0')
		curl_easy_setopt(c, CURLOPT_SSLKEY, req->client_key);
	if (req->post != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->post);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	rc = curl_easy_perform(c);
	if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(res->err, sizeof(res->err),
		    "the reply is larger than %zu bytes", req->max_bytes);
	else if (s.write_failed)
		snprintf(res->err, sizeof(res->err), "cannot write the file");
	else if (rc != CURLE_OK)
		snprintf(res->err, sizeof(res->err), "%s",
		    ebuf[0] != '\0' ? ebuf : curl_easy_strerror(rc));
	else
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	if (req->auth != NULL && hs != NULL) /* the key, not left behind */
		explicit_bzero(hs->data, strlen(hs->data));
	curl_slist_free_all(hs);
	curl_easy_cleanup(c);
	return res->status != 0 ? 0 : -1;
}
