/*
 * isog_flow.c: the incident flow's tables (see isog_flow.h).
 */

#include <string.h>

#include "isog_flow.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const flow[] = {"triage", "detection-analysis",
    "containment-eradication-recovery", "post-incident"};

/* The flow chart's branches (5W1H P4); recovered and lessons-learned
 * name the chart's unlabelled arrows in sankaku's words. */
static const struct isog_decision decisions[] = {
    {"triage", "response-needed", "detection-analysis", "対応が必要",
	"Response needed"},
    {"triage", "no-response-needed", FLOW_CLOSED, "対応不要",
	"No response needed"},
    {"detection-analysis", "detected", "containment-eradication-recovery",
	"検知あり", "Detected"},
    {"detection-analysis", "not-detected", FLOW_CLOSED, "検知なし",
	"Not detected"},
    {"containment-eradication-recovery", "recovered", "post-incident",
	"復旧完了", "Recovered"},
    {"post-incident", "lessons-learned", FLOW_CLOSED, "教訓を準備へ反映",
	"Lessons fed back to preparation"},
};

static const struct isog_need needs_triage[] = {
    {"脆弱性の識別子（CVE番号、パッチ番号）",
	"The vulnerability's identifier (CVE or patch number)"},
    {"影響を受ける対象（システムの種類、バージョン、設定条件）",
	"What is affected: system type, versions, configuration"},
    {"自組織での該当システムの有無",
	"Whether the organisation runs an affected system"},
    {"各セキュリティ製品での対応状況（IDS/FW/WAFのシグネチャの有無）",
	"Coverage per security product: is there an IDS/FW/WAF signature?"},
};

static const struct isog_need needs_detection[] = {
    {"攻撃の特徴（攻撃コード：パッチや公開された実証コードから推測）",
	"The attack's characteristics (code: from the patch or a public "
	"proof of concept)"},
    {"検知の手段（例：HTTPリクエスト中の特定の文字列）",
	"How to detect it (e.g. a string in the HTTP request)"},
    {"製品ごとの対応状況（ベンダーのシグネチャ、なければ独自シグネチャ）",
	"Coverage per product: vendor signatures, custom ones where none "
	"exist"},
    {"攻撃の成否の判断（応答、攻撃後の通信）",
	"Whether the attack succeeded (responses, traffic after it)"},
};

static const struct isog_need needs_containment[] = {
    {"攻撃の痕跡（侵害後の通信、ログ、サーバ・端末上の特徴的な変更）",
	"Traces of the attack: traffic after the compromise, logs, changes "
	"on servers and clients"},
    {"各製品での検知・遮断（IDS/FW/WAFのシグネチャ適用）",
	"Detection and blocking in each product (IDS/FW/WAF signatures)"},
    {"攻撃の無効化（パッチ適用）", "Neutralise the attack (patch)"},
    {"被害を受けたシステムの復旧（バックアップからの復元など）",
	"Recover damaged systems (e.g. restore from backup)"},
};

static const struct isog_need needs_post[] = {
    {"インシデント報告書", "The incident report"},
    {"確定した侵害指標（IoC）と情報提供元へのフィードバック",
	"Confirmed indicators, and feedback to the sources"},
    {"教訓とルール・手順の見直し",
	"Lessons learned, and the rule and process changes"},
};

static const struct isog_need needs_preparation[] = {
    {"攻撃を検知・遮断する手段（例：HTTPリクエスト中の特定の文字列）",
	"How to detect or block the attack (e.g. a string in the HTTP "
	"request)"},
    {"パッチ・ベンダーのアドバイザリ", "The patch, the vendor's advisory"},
    {"各製品での検知・遮断（シグネチャ適用）",
	"Detection and blocking in each product (apply signatures)"},
    {"脆弱なシステムへのパッチ適用", "Patch the vulnerable systems"},
};

static const struct isog_need needs_sharing[] = {
    {"何のために（Why）、いつ（When）", "Why (the purpose), When"},
    {"どの情報を（What）、どこで（Where）", "What information, Where"},
    {"誰が（Who）、どのように（How）", "Who, How"},
};

static const struct {
	const char *phase;
	const struct isog_need *needs;
	size_t n;
} phase_needs[] = {
    {"triage", needs_triage, NELEM(needs_triage)},
    {"detection-analysis", needs_detection, NELEM(needs_detection)},
    {"containment-eradication-recovery", needs_containment,
	NELEM(needs_containment)},
    {"post-incident", needs_post, NELEM(needs_post)},
    {"preparation", needs_preparation, NELEM(needs_preparation)},
    {"information-sharing", needs_sharing, NELEM(needs_sharing)},
};

/* ISOMM's preparation sheet: the four organisation patterns. */
static const struct isog_pattern patterns[] = {
    {"minimum_insource", "ミニマムインソース", "Minimum insource"},
    {"hybrid", "ハイブリッド", "Hybrid"},
    {"minimum_outsource", "ミニマムアウトソース", "Minimum outsource"},
    {"full_insource", "フルインソース", "Full insource"},
};

int
isog_flow_rank(const char *phase)
{
	size_t i;

	for (i = 0; phase != NULL && i < NELEM(flow); i++)
		if (strcmp(flow[i], phase) == 0)
			return (int)i;
	return -1;
}

const char *
isog_flow_phase(int rank)
{
	return rank >= 0 && (size_t)rank < NELEM(flow) ? flow[rank] : NULL;
}

size_t
isog_ndecisions(void)
{
	return NELEM(decisions);
}

const struct isog_decision *
isog_decision_at(size_t i)
{
	return i < NELEM(decisions) ? &decisions[i] : NULL;
}

const struct isog_decision *
isog_decision_find(const char *phase, const char *id)
{
	size_t i;

	for (i = 0; i < NELEM(decisions); i++)
		if (strcmp(decisions[i].phase, phase) == 0 &&
		    strcmp(decisions[i].id, id) == 0)
			return &decisions[i];
	return NULL;
}

const struct isog_need *
isog_phase_needs(const char *phase, size_t *n)
{
	size_t i;

	for (i = 0; i < NELEM(phase_needs); i++)
		if (strcmp(phase_needs[i].phase, phase) == 0) {
			*n = phase_needs[i].n;
			return phase_needs[i].needs;
		}
	*n = 0;
	return NULL;
}

size_t
isog_npatterns(void)
{
	return NELEM(patterns);
}

const struct isog_pattern *
isog_pattern_at(size_t i)
{
	return i < NELEM(patterns) ? &patterns[i] : NULL;
}

const struct isog_pattern *
isog_pattern_find(const char *id)
{
	size_t i;

	for (i = 0; i < NELEM(patterns); i++)
		if (strcmp(patterns[i].id, id) == 0)
			return &patterns[i];
	return NULL;
}
