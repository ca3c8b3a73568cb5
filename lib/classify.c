/*
 * classify.c: evidence kinds from rule tactics, ET categories and
 * classtypes (see classify.h).
 */

#include <string.h>
#include <strings.h>

#include "classify.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* MITRE ATT&CK tactics as ET Open writes them. */
static const struct {
	const char *id, *name;
	enum evidence ev;
} tactics[] = {
    {"TA0043", "reconnaissance", EV_RECON},
    {"TA0007", "discovery", EV_RECON},
    {"TA0001", "initial_access", EV_ATTACK_ATTEMPT},
    {"TA0002", "execution", EV_ATTACK_ATTEMPT},
    {"TA0042", "resource_development", EV_INDICATOR},
    {"TA0003", "persistence", EV_COMPROMISE},
    {"TA0004", "privilege_escalation", EV_COMPROMISE},
    {"TA0005", "defense_evasion", EV_COMPROMISE},
    {"TA0006", "credential_access", EV_COMPROMISE},
    {"TA0008", "lateral_movement", EV_COMPROMISE},
    {"TA0009", "collection", EV_COMPROMISE},
    {"TA0010", "exfiltration", EV_COMPROMISE},
    {"TA0011", "command_and_control", EV_COMPROMISE},
    {"TA0040", "impact", EV_COMPROMISE},
};

/* ET Open signature prefixes ("ET MALWARE ..."), i.e. its categories. */
static const struct {
	const char *prefix;
	enum evidence ev;
} et_categories[] = {
    {"MALWARE", EV_COMPROMISE},
    {"TROJAN", EV_COMPROMISE},
    {"CNC", EV_COMPROMISE},
    {"MOBILE_MALWARE", EV_COMPROMISE},
    {"COINMINING", EV_COMPROMISE},
    {"ATTACK_RESPONSE", EV_COMPROMISE},
    {"EXFIL", EV_COMPROMISE},
    {"EXPLOIT", EV_ATTACK_ATTEMPT},
    {"EXPLOIT_KIT", EV_ATTACK_ATTEMPT},
    {"WEB_SERVER", EV_ATTACK_ATTEMPT},
    {"WEB_SPECIFIC_APPS", EV_ATTACK_ATTEMPT},
    {"WEB_CLIENT", EV_ATTACK_ATTEMPT},
    {"SHELLCODE", EV_ATTACK_ATTEMPT},
    {"SQL", EV_ATTACK_ATTEMPT},
    {"DOS", EV_ATTACK_ATTEMPT},
    {"PHISHING", EV_ATTACK_ATTEMPT},
    {"SCAN", EV_RECON},
    {"POLICY", EV_POLICY},
    {"INFO", EV_POLICY},
    {"P2P", EV_POLICY},
    {"CHAT", EV_POLICY},
    {"GAMES", EV_POLICY},
    {"USER_AGENTS", EV_POLICY},
    {"DROP", EV_INDICATOR},
    {"DSHIELD", EV_INDICATOR},
    {"CINS", EV_INDICATOR},
    {"COMPROMISED", EV_INDICATOR},
    {"TOR", EV_INDICATOR},
    {"HUNTING", EV_INDICATOR},
};

/* Suricata classtype descriptions (alert.category). */
static const struct {
	const char *category;
	enum evidence ev;
} classtypes[] = {
    {"A Network Trojan was detected", EV_COMPROMISE},
    {"Malware Command and Control Activity Detected", EV_COMPROMISE},
    {"Successful Administrator Privilege Gain", EV_COMPROMISE},
    {"Successful User Privilege Gain", EV_COMPROMISE},
    {"Large Scale Information Leak", EV_COMPROMISE},
    {"Web Application Attack", EV_ATTACK_ATTEMPT},
    {"Attempted Administrator Privilege Gain", EV_ATTACK_ATTEMPT},
    {"Attempted User Privilege Gain", EV_ATTACK_ATTEMPT},
    {"Executable code was detected", EV_ATTACK_ATTEMPT},
    {"Exploit Kit Activity Detected", EV_ATTACK_ATTEMPT},
    {"Attempted Denial of Service", EV_ATTACK_ATTEMPT},
    {"Denial of Service", EV_ATTACK_ATTEMPT},
    {"Possible Social Engineering Attempted", EV_ATTACK_ATTEMPT},
    {"Crypto Currency Mining Activity Detected", EV_COMPROMISE},
    {"Detection of a Network Scan", EV_RECON},
    {"Attempted Information Leak", EV_RECON},
    {"Information Leak", EV_RECON},
    {"Potential Corporate Privacy Violation", EV_POLICY},
    {"Potentially Bad Traffic", EV_INDICATOR},
    {"Misc activity", EV_POLICY},
    {"Not Suspicious Traffic", EV_POLICY},
};

/* Evidence from a third-party rule's metadata, prefix and classtype. */
int
classify_rule(const struct evscan *sc, enum evidence *ev)
{
	char buf[256];
	const char *s;
	size_t i, j;

	for (j = 0; j < sc->nm[M_META_TACTIC_ID]; j++) {
		if ((s = evstr_cstr(&sc->m[M_META_TACTIC_ID][j], buf,
			 sizeof(buf))) == NULL)
			continue;
		for (i = 0; i < NELEM(tactics); i++) {
			if (strcasecmp(s, tactics[i].id) == 0) {
				*ev = tactics[i].ev;
				return 0;
			}
		}
	}
	for (j = 0; j < sc->nm[M_META_TACTIC_NAME]; j++) {
		if ((s = evstr_cstr(&sc->m[M_META_TACTIC_NAME][j], buf,
			 sizeof(buf))) == NULL)
			continue;
		for (i = 0; i < NELEM(tactics); i++) {
			if (strcasecmp(s, tactics[i].name) == 0) {
				*ev = tactics[i].ev;
				return 0;
			}
		}
	}
	if ((s = evstr_cstr(&sc->f[F_SIGNATURE], buf, sizeof(buf))) != NULL &&
	    (strncmp(s, "ET ", 3) == 0 || strncmp(s, "GPL ", 4) == 0)) {
		const char *w = strchr(s, ' ') + 1;
		size_t n = strcspn(w, " ");

		for (i = 0; i < NELEM(et_categories); i++) {
			if (strlen(et_categories[i].prefix) == n &&
			    strncmp(w, et_categories[i].prefix, n) == 0) {
				*ev = et_categories[i].ev;
				return 0;
			}
		}
	}
	if ((s = evstr_cstr(&sc->f[F_CATEGORY], buf, sizeof(buf))) != NULL) {
		for (i = 0; i < NELEM(classtypes); i++) {
			if (strcmp(s, classtypes[i].category) == 0) {
				*ev = classtypes[i].ev;
				return 0;
			}
		}
	}
	return -1;
}
