/*
 * console.h: the console's static files, embedded in sankaku-desk at
 * build time from desk/console/ (scripts/embed.py): served with a
 * Content-Security-Policy that lets nothing come from another origin.
 * They hold no data and need no token: the page signs in and asks the
 * API.
 */
#ifndef SANKAKU_CONSOLE_H
#define SANKAKU_CONSOLE_H

#include <stddef.h>

#include <event2/http.h>

struct console_file {
	const char *path; /* "/", "/console.js" ... */
	const char *type;
	const unsigned char *data;
	size_t len;
};

extern const struct console_file console_files[];
extern const size_t console_nfiles;

/* GET / and the files beside it. */
void console_route(struct evhttp_request *, void *arg);

#endif
