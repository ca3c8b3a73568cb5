/*
 * log.c: one line per event on stderr, "level=... msg" with key=value
 * fields, which journald stores with its own timestamp.  sd-daemon style
 * "<N>" prefixes give journald the priority.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char *log_progname = "sankaku";
static enum log_level log_current = LOG_LVL_INFO;

static const struct {
	const char *name;
	const char *prefix; /* sd-daemon(3) priority for journald */
} log_levels[] = {
    [LOG_LVL_ERROR] = {"error", "<3>"},
    [LOG_LVL_WARN] = {"warn", "<4>"},
    [LOG_LVL_INFO] = {"info", "<6>"},
    [LOG_LVL_DEBUG] = {"debug", "<7>"},
};

/* Set the program name and the most verbose level written. */
void
log_init(const char *progname, enum log_level level)
{
	log_progname = progname;
	log_current = level;
}

/* Change the level at run time. */
void
log_set_level(enum log_level level)
{
	log_current = level;
}

/* Parse a level name; 0 on success, -1 if unknown. */
int
log_level_parse(const char *name, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++) {
		if (strcmp(name, log_levels[i].name) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/* Write one line; errtext, if not NULL, is appended as err="...". */
static void
log_vwrite(
    enum log_level level, const char *errtext, const char *fmt, va_list ap)
{
	char buf[2048];

	if (level > log_current)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (errtext != NULL)
		fprintf(stderr, "%s%s: level=%s %s err=\"%s\"\n",
		    log_levels[level].prefix, log_progname,
		    log_levels[level].name, buf, errtext);
	else
		fprintf(stderr, "%s%s: level=%s %s\n", log_levels[level].prefix,
		    log_progname, log_levels[level].name, buf);
}

/* Warn, appending strerror(errno). */
void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_WARN, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

/* Warn without errno. */
void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_WARN, NULL, fmt, ap);
	va_end(ap);
}

/* An error the daemon survives. */
void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_ERROR, NULL, fmt, ap);
	va_end(ap);
}

/* Informational, shown by default: state changes, never per alert. */
void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_INFO, NULL, fmt, ap);
	va_end(ap);
}

/* Debug, per-alert detail allowed. */
void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

/* Log with errno and exit 1: only at start-up or on a broken invariant. */
void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_ERROR, strerror(saved), fmt, ap);
	va_end(ap);
	exit(1);
}

/* Log and exit 1. */
void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
