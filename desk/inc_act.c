/*
 * inc_act.c: people acting on an incident (see incident.h).  The flow
 * chart's decisions are the only way forward (advance); a decision the
 * chart does not have in the current phase is refused with 409, as is
 * anything but a note, a share or a reopen on a closed incident.
 *
 *   triage ──response-needed──► detection-analysis ──detected──►
 *     │                           │
 *     no-response-needed          not-detected
 *     ▼                           ▼
 *   closed (back to preparation) ◄┘
 *   containment-eradication-recovery ──recovered──► post-incident
 *     ──lessons-learned──► closed (back to preparation)
 *
 *   share: any phase (情報共有 sits at the centre); close with a verdict:
 *   any phase; reopen: back to the phase it was closed in.
 */

#include <stdio.h>
#include <string.h>

#include "evstr.h"
#include "incident.h"
#include "isog.h"
#include "isog_flow.h"

static const char *const verdicts[] = {
    "true-positive", "false-positive", "benign", "duplicate", NULL};

/* The current phase's id, copied: the phase object is replaced as the
 * incident moves, and a pointer into it would dangle. */
static const char *
cur_phase(const json_t *inc, char buf[48])
{
	const char *p = json_string_value(
	    json_object_get(json_object_get(inc, "phase"), "id"));

	snprintf(buf, 48, "%s", p != NULL ? p : "");
	return buf;
}

/* Close: state, time, where it was, back to preparation. */
static void
close_it(json_t *inc, const char *verdict, time_t now)
{
	char t[32];

	time_format(now, t, sizeof(t));
	json_object_set(inc, "closed_from", json_object_get(inc, "phase"));
	json_object_set_new(inc, "state", json_string("closed"));
	json_object_set_new(inc, "closed_at", json_string(t));
	if (verdict != NULL)
		json_object_set_new(inc, "verdict", json_string(verdict));
	json_object_set_new(inc, "phase", inc_phase_obj("preparation"));
}

#define REFUSE(code, ...)                                                      \
	do {                                                                   \
		snprintf(err, errlen, __VA_ARGS__);                            \
		return (code);                                                 \
	} while (0)

static int
act_advance(json_t *inc, const struct inc_action *a, const struct desk_who *who,
    const struct cfg *cfg, time_t now, char *err, size_t errlen)
{
	char buf[48];
	const char *from = cur_phase(inc, buf);
	const struct isog_decision *d;
	json_t *dj;

	if (a->decision == NULL)
		REFUSE(400, "advance needs a decision");
	if ((d = isog_decision_find(from, a->decision)) == NULL)
		REFUSE(409, "the flow chart has no decision \"%.40s\" in %s",
		    a->decision, from);
	dj =
	    json_pack("{s:s, s:s, s:s}", "id", d->id, "ja", d->ja, "en", d->en);
	if (strcmp(d->to, FLOW_CLOSED) == 0) {
		close_it(inc, NULL, now);
		inc_history(
		    inc, who, "advance", from, "preparation", dj, a->note, now);
	} else {
		json_object_set_new(inc, "phase", inc_phase_obj(d->to));
		inc_history(inc, who, "advance", from, d->to, dj, a->note, now);
	}
	inc_refresh(inc, cfg);
	return 200;
}

static int
act_close(json_t *inc, const struct inc_action *a, const struct desk_who *who,
    const struct cfg *cfg, time_t now, char *err, size_t errlen)
{
	char buf[48];
	const char *from = cur_phase(inc, buf);
	size_t i;

	for (i = 0; verdicts[i] != NULL; i++)
		if (a->verdict != NULL && strcmp(a->verdict, verdicts[i]) == 0)
			break;
	if (verdicts[i] == NULL)
		REFUSE(400,
		    "close needs a verdict: true-positive, "
		    "false-positive, benign or duplicate");
	close_it(inc, a->verdict, now);
	json_object_set_new(inc_history(inc, who, "close", from, "preparation",
				NULL, a->note, now),
	    "verdict", json_string(a->verdict));
	inc_refresh(inc, cfg);
	return 200;
}

static int
act_reopen(json_t *inc, const struct inc_action *a, const struct desk_who *who,
    const struct cfg *cfg, time_t now, char *err, size_t errlen)
{
	json_t *back = json_object_get(inc, "closed_from");
	const char *to;

	if (inc_is_open(inc))
		REFUSE(409, "the incident is open");
	to = json_is_object(back)
	    ? json_string_value(json_object_get(back, "id"))
	    : "triage";
	if (isog_flow_rank(to) < 0)
		to = "triage";
	json_object_set_new(inc, "state", json_string("open"));
	json_object_set_new(inc, "closed_at", json_null());
	json_object_set_new(inc, "verdict", json_null());
	json_object_set_new(inc, "merged_into", json_null());
	json_object_set_new(inc, "phase", inc_phase_obj(to));
	inc_history(inc, who, "reopen", "preparation", to, NULL, a->note, now);
	inc_refresh(inc, cfg);
	return 200;
}

/* check: tick (or untick) one need of the current phase. */
static int
act_check(json_t *inc, const struct inc_action *a, const struct desk_who *who,
    const struct cfg *cfg, time_t now, char *err, size_t errlen)
{
	char buf[48];
	const char *phase = cur_phase(inc, buf);
	json_t *cl = json_object_get(inc, "checklist"), *list;
	size_t n, i;
	char note[64];

	(void)isog_phase_needs(phase, &n);
	if (a->item < 0 || (size_t)a->item >= n)
		REFUSE(400, "check: item is 0 to %zu in %s", n - 1, phase);
	if ((list = json_object_get(cl, phase)) == NULL) {
		list = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(list, json_false());
		json_object_set_new(cl, phase, list);
	}
	json_array_set_new(list, (size_t)a->item, json_boolean(a->done));
	snprintf(note, sizeof(note), "item %ld %s", a->item,
	    a->done ? "done" : "not done");
	inc_history(inc, who, "check", NULL, NULL, NULL, note, now);
	inc_refresh(inc, cfg);
	return 200;
}

/* verdict: one indicator of the incident judged on its own (one true hit
 * among false ones), open or closed; it overrides the incident's
 * verdict for that indicator in the sources' measured accuracy. */
static int
act_verdict(json_t *inc, const struct inc_action *a, const struct desk_who *who,
    time_t now, char *err, size_t errlen)
{
	json_t *x, *list = json_object_get(inc, "indicator_verdicts"), *v;
	char t[32], note[400];
	size_t i;
	int found = 0;

	if (a->verdict == NULL ||
	    (strcmp(a->verdict, "true-positive") != 0 &&
		strcmp(a->verdict, "false-positive") != 0 &&
		strcmp(a->verdict, "benign") != 0))
		REFUSE(400,
		    "verdict needs \"verdict\": true-positive, "
		    "false-positive or benign");
	if (a->ind_type == NULL || a->ind_value == NULL)
		REFUSE(400,
		    "verdict needs \"indicator\": {\"type\", "
		    "\"value\"}");
	json_array_foreach (json_object_get(inc, "indicators"), i, x)
		if (strcmp(json_string_value(json_object_get(x, "type")),
			a->ind_type) == 0 &&
		    strcmp(json_string_value(json_object_get(x, "value")),
			a->ind_value) == 0)
			found = 1;
	if (!found)
		REFUSE(404, "the incident has no indicator %.20s %.*s",
		    a->ind_type, (int)evstr_prefix(a->ind_value, 200),
		    a->ind_value);
	if (!json_is_array(list)) {
		list = json_array();
		json_object_set_new(inc, "indicator_verdicts", list);
	}
	time_format(now, t, sizeof(t));
	json_array_foreach (list, i, v)
		if (strcmp(json_string_value(json_object_get(v, "type")),
			a->ind_type) == 0 &&
		    strcmp(json_string_value(json_object_get(v, "value")),
			a->ind_value) == 0) {
			json_array_remove(list, i);
			break;
		}
	json_array_append_new(list,
	    json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", a->ind_type, "value",
		a->ind_value, "verdict", a->verdict, "by", who->user, "at", t));
	snprintf(note, sizeof(note), "%.20s %.*s: %s", a->ind_type,
	    (int)evstr_prefix(a->ind_value, 300), a->ind_value, a->verdict);
	json_object_set_new(inc_history(inc, who, "verdict", NULL, NULL, NULL,
				a->note != NULL ? a->note : note, now),
	    "verdict", json_string(a->verdict));
	return 200;
}

int
inc_act(json_t *inc, const struct inc_action *a, const struct desk_who *who,
    const struct cfg *cfg, time_t now, char *err, size_t errlen)
{
	const char *act = a->action != NULL ? a->action : "";
	char buf[48];

	if (a->note != NULL && strlen(a->note) > INC_MAX_NOTE)
		REFUSE(400, "note: at most %d bytes", INC_MAX_NOTE);
	if (strcmp(act, "note") == 0) {
		if (a->note == NULL || a->note[0] == '\0')
			REFUSE(400, "note needs a note");
		inc_history(inc, who, "note", NULL, NULL, NULL, a->note, now);
		return 200;
	}
	if (strcmp(act, "share") == 0) {
		inc_history(inc, who, "share", cur_phase(inc, buf),
		    "information-sharing", NULL, a->note, now);
		return 200;
	}
	if (strcmp(act, "reopen") == 0)
		return act_reopen(inc, a, who, cfg, now, err, errlen);
	if (strcmp(act, "verdict") == 0)
		return act_verdict(inc, a, who, now, err, errlen);
	if (strcmp(act, "ack") != 0 && strcmp(act, "assign") != 0 &&
	    strcmp(act, "advance") != 0 && strcmp(act, "close") != 0 &&
	    strcmp(act, "check") != 0)
		REFUSE(400, "unknown action \"%.40s\"", act);
	if (!inc_is_open(inc))
		REFUSE(409, "the incident is closed: reopen it first");
	if (strcmp(act, "ack") == 0 || strcmp(act, "assign") == 0) {
		const char *owner =
		    strcmp(act, "ack") == 0 ? who->user : a->user;

		if (owner == NULL || owner[0] == '\0' || strlen(owner) > 64)
			REFUSE(400, "assign needs a user (at most 64 bytes)");
		json_object_set_new(inc, "owner", json_string(owner));
		inc_history(inc, who, act, NULL, NULL, NULL, a->note, now);
		return 200;
	}
	if (strcmp(act, "advance") == 0)
		return act_advance(inc, a, who, cfg, now, err, errlen);
	if (strcmp(act, "check") == 0)
		return act_check(inc, a, who, cfg, now, err, errlen);
	return act_close(inc, a, who, cfg, now, err, errlen);
}
