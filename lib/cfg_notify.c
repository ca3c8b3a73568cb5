/*
 * cfg_notify.c: desk.notify, the team chats the desk tells when an
 * incident opens or reaches another phase (desk/dnotify.c):
 *
 *   "notify": [{"url_file": "soc-chat.url", "teams": ["csirt"],
 *               "lang": "ja", "link": "https://soc.example/sankaku/",
 *               "ca_file": ""}]
 *
 * The webhook's URL is a secret (whoever has it posts to the channel):
 * it stays in its file, read by the desk at start, never in the config
 * nor in a message.  Teams are checked against organisation.teams once
 * the whole file is read (cfg_notify_check).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_parse.h"

/* A console link: http(s)://, printable ASCII without spaces or the
 * characters a chat message would read as markup. */
static int
link_ok(const char *s)
{
	size_t i;

	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || strchr("<>|\"'`", s[i]))
			return 0;
	return i <= 200;
}

int
cfg_parse_notify(
    struct cfg *c, json_t *v, const char *path, char *err, size_t errlen)
{
	json_t *t, *teams, *x;
	size_t i, k;

	if (!json_is_array(v) || json_array_size(v) > CFG_NOTIFY_MAX)
		ERR("desk.notify: an array of at most %d webhooks",
		    CFG_NOTIFY_MAX);
	json_array_foreach (v, i, t) {
		struct cfg_notify *n = &c->notify[i];
		const char *url_file = NULL, *ca = "", *lang = "ja", *link = "";

		c->nnotify = i + 1;
		teams = NULL;
		if (json_unpack(t, "{s:s, s?s, s?s, s?s, s?o !}", "url_file",
			&url_file, "ca_file", &ca, "lang", &lang, "link", &link,
			"teams", &teams) != 0 ||
		    url_file[0] == '\0')
			ERR("desk.notify[%zu]: must be {\"url_file\": the file "
			    "holding the webhook's URL} (and \"teams\", "
			    "\"lang\", \"link\", \"ca_file\")",
			    i);
		if (strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0)
			ERR("desk.notify[%zu].lang: ja or en", i);
		if (link[0] != '\0' && !link_ok(link))
			ERR("desk.notify[%zu].link: the console's http(s):// "
			    "URL, without spaces or <>|\"'`",
			    i);
		if (teams != NULL && !json_is_array(teams))
			ERR("desk.notify[%zu].teams: an array of team ids", i);
		n->en = strcmp(lang, "en") == 0;
		if ((n->url_file = cfg_resolve_path(path, url_file)) == NULL ||
		    (n->ca_file = cfg_resolve_path(path, ca)) == NULL ||
		    (n->link = strdup(link)) == NULL ||
		    (n->teams = calloc(json_array_size(teams) + 1,
			 sizeof(*n->teams))) == NULL)
			ERR("out of memory");
		json_array_foreach (teams, k, x) {
			if (!json_is_string(x))
				ERR("desk.notify[%zu].teams[%zu]: a team id", i,
				    k);
			if ((n->teams[n->nteams++] =
				    strdup(json_string_value(x))) == NULL)
				ERR("out of memory");
		}
	}
	return 0;
fail:
	return -1;
}

int
cfg_notify_check(
    const struct cfg *c, const char *path, char *err, size_t errlen)
{
	size_t i, k, t;

	for (i = 0; i < c->nnotify; i++)
		for (k = 0; k < c->notify[i].nteams; k++) {
			for (t = 0; t < c->org.nteams &&
			     strcmp(c->org.teams[t].id,
				 c->notify[i].teams[k]) != 0;
			     t++)
				;
			if (t == c->org.nteams)
				ERR("desk.notify[%zu].teams[%zu]: '%.40s' is "
				    "not "
				    "a team of organisation.teams",
				    i, k, c->notify[i].teams[k]);
		}
	return 0;
fail:
	return -1;
}

void
cfg_notify_free(struct cfg *c)
{
	size_t i, k;

	for (i = 0; i < c->nnotify; i++) {
		struct cfg_notify *n = &c->notify[i];

		free(n->url_file);
		free(n->ca_file);
		free(n->link);
		for (k = 0; k < n->nteams; k++)
			free(n->teams[k]);
		free(n->teams);
	}
	c->nnotify = 0;
}
