/*
 * isog.c: the ISOG-J textbook facts sankaku needs, as constant tables.
 *
 * Source: ISOG-J "Textbook for security response organisations (SOC/CSIRT)"
 * v2.1: 9 functions (A-I), 54 roles, the incident flow phases, and the
 * information-sharing triangle.  Japanese names are exactly as the textbook
 * writes them; English names are translations (see tests/fixtures/
 * isog_reference.json, which tests/unit/test_isog.c checks this file against).
 * Who acts in each phase is the reference's inference from the 5W1H flow.
 */

#include <stddef.h>
#include <string.h>

#include "isog.h"

static const struct isog_function functions[] = {
    {"A", "セキュリティ対応組織運営",
	"Security response organization management"},
    {"B", "リアルタイムアナリシス（即時分析）", "Real-time analysis"},
    {"C", "ディープアナリシス（深掘分析）", "Deep analysis"},
    {"D", "インシデント対応", "Incident response"},
    {"E", "セキュリティ対応状況の診断と評価",
	"Diagnosis and evaluation of security response status"},
    {"F", "脅威情報の収集および分析と評価",
	"Collection, analysis and evaluation of threat intelligence"},
    {"G", "セキュリティ対応システム運用・開発",
	"Security response system operation and development"},
    {"H", "内部統制・内部不正対応支援",
	"Internal control and internal fraud response support"},
    {"I", "外部組織との積極的連携",
	"Active collaboration with external organizations"},
    {"X", "事業部門・システム運用部門",
	"Business departments / system operation departments"},
};

static const struct isog_role roles[] = {
    {"A-1", "A", "全体方針管理", "Overall policy management"},
    {"A-2", "A", "トリアージ基準管理", "Triage criteria management"},
    {"A-3", "A", "アクション方針管理", "Action policy management"},
    {"A-4", "A", "品質管理", "Quality management"},
    {"A-5", "A", "セキュリティ対応効果測定",
	"Security response effectiveness measurement"},
    {"A-6", "A", "リソース管理", "Resource management"},
    {"B-1", "B", "リアルタイム基本分析", "Real-time basic analysis"},
    {"B-2", "B", "リアルタイム高度分析", "Real-time advanced analysis"},
    {"B-3", "B", "トリアージ情報収集", "Triage information collection"},
    {"B-4", "B", "リアルタイム分析報告", "Real-time analysis reporting"},
    {"B-5", "B", "分析結果問合受付", "Analysis result inquiry handling"},
    {"C-1", "C", "ネットワークフォレンジック", "Network forensics"},
    {"C-2", "C", "デジタルフォレンジック", "Digital forensics"},
    {"C-3", "C", "検体解析", "Malware sample analysis"},
    {"C-4", "C", "攻撃全容解析", "Overall attack analysis"},
    {"C-5", "C", "証拠保全", "Evidence preservation"},
    {"D-1", "D", "インシデント受付", "Incident intake"},
    {"D-2", "D", "インシデント管理", "Incident management"},
    {"D-3", "D", "インシデント分析", "Incident analysis"},
    {"D-4", "D", "リモート対処", "Remote response"},
    {"D-5", "D", "オンサイト対処", "On-site response"},
    {"D-6", "D", "インシデント対応内部連携",
	"Internal coordination for incident response"},
    {"D-7", "D", "インシデント対応外部連携",
	"External coordination for incident response"},
    {"D-8", "D", "インシデント対応報告", "Incident response reporting"},
    {"E-1", "E", "ネットワーク情報収集", "Network information collection"},
    {"E-2", "E", "アセット情報収集", "Asset information collection"},
    {"E-3", "E", "脆弱性管理・対応", "Vulnerability management and handling"},
    {"E-4", "E", "自動脆弱性診断", "Automated vulnerability assessment"},
    {"E-5", "E", "手動脆弱性診断", "Manual vulnerability assessment"},
    {"E-6", "E", "標的型攻撃耐性評価", "Targeted attack resilience evaluation"},
    {"E-7", "E", "サイバー攻撃対応力評価",
	"Cyberattack response capability evaluation"},
    {"F-1", "F", "内部脅威情報の整理・分析",
	"Organization and analysis of internal threat information"},
    {"F-2", "F", "外部脅威情報の収集・評価",
	"Collection and evaluation of external threat information"},
    {"F-3", "F", "脅威情報報告", "Threat information reporting"},
    {"F-4", "F", "脅威情報の活用", "Utilization of threat information"},
    {"G-1", "G", "ネットワークセキュリティ製品基本運用",
	"Basic operation of network security products"},
    {"G-2", "G", "ネットワークセキュリティ製品高度運用",
	"Advanced operation of network security products"},
    {"G-3", "G", "エンドポイントセキュリティ製品基本運用",
	"Basic operation of endpoint security products"},
    {"G-4", "G", "エンドポイントセキュリティ製品高度運用",
	"Advanced operation of endpoint security products"},
    {"G-5", "G", "ディープアナリシス(深掘分析)ツール運用",
	"Deep analysis tool operation"},
    {"G-6", "G", "分析基盤基本運用", "Basic operation of analysis platform"},
    {"G-7", "G", "分析基盤高度運用", "Advanced operation of analysis platform"},
    {"G-8", "G", "既設セキュリティ対応ツール検証",
	"Verification of existing security response tools"},
    {"G-9", "G", "新規セキュリティ対応ツール調査、開発",
	"Research and development of new security response tools"},
    {"G-10", "G", "業務基盤運用", "Operation of work platform"},
    {"H-1", "H", "内部統制監査データの収集と管理",
	"Collection and management of internal control audit data"},
    {"H-2", "H", "内部不正対応の調査・分析支援",
	"Investigation and analysis support for internal fraud"},
    {"H-3", "H", "内部不正検知・防止支援",
	"Internal fraud detection and prevention support"},
    {"I-1", "I", "社員のセキュリティ対する意識啓発",
	"Employee security awareness"},
    {"I-2", "I", "社内研修・勉強会の実施や支援",
	"Internal training and study sessions"},
    {"I-3", "I", "社内セキュリティアドバイザーとしての活動",
	"Internal security advisory"},
    {"I-4", "I", "セキュリティ人材の確保", "Security talent acquisition"},
    {"I-5", "I", "セキュリティベンダーとの連携",
	"Collaboration with security vendors"},
    {"I-6", "I", "セキュリティ関連団体との連携",
	"Collaboration with security-related organizations"},
    {"X", "X", "事業部門・システム運用部門",
	"Business departments / system operation departments"},
};

static const char *const roles_preparation[] = {
    "G-1", "G-2", "G-3", "G-4", "G-6", "G-7", "E-3", "F-4", "X", NULL};
static const char *const roles_triage[] = {
    "F-2", "F-3", "E-1", "E-2", "E-3", "A-2", "D-1", "D-2", NULL};
static const char *const roles_detection_analysis[] = {"B-1", "B-2", "B-3",
    "B-4", "B-5", "D-1", "D-2", "D-3", "D-6", "G-2", "X", NULL};
static const char *const roles_containment_eradication_recovery[] = {"C-1",
    "C-2", "C-3", "C-4", "C-5", "D-2", "D-4", "D-5", "D-6", "D-7", "G-1", "G-2",
    "X", NULL};
static const char *const roles_post_incident[] = {
    "F-1", "F-3", "F-4", "I-5", "I-6", "D-8", "D-7", "A-5", NULL};
static const char *const roles_information_sharing[] = {
    "I-6", "I-5", "D-7", "F-2", "F-3", NULL};

static const struct isog_phase phases[] = {
    {"preparation", "準備（予防）", "Preparation (prevention)",
	roles_preparation},
    {"triage", "初動対応要否判断",
	"Initial response decision (is a response needed?)", roles_triage},
    {"detection-analysis", "検知および分析", "Detection and analysis",
	roles_detection_analysis},
    {"containment-eradication-recovery", "封じ込め/根絶/復旧",
	"Containment / eradication / recovery",
	roles_containment_eradication_recovery},
    {"post-incident", "事件後の対応", "Post-incident activity",
	roles_post_incident},
    {"information-sharing", "情報共有", "Information sharing",
	roles_information_sharing},
};

const char *const isog_sides[ISOG_NSIDES] = {"accuracy", "coverage", "speed"};

static const struct isog_triangle triangles[] = {
    {"speed-accuracy", {"speed", "accuracy"}, "coverage",
	"早くて正確なものは網羅性に問題が出る",
	"Fast and accurate information is incomplete.",
	"Act on it right away (block/alert on the given indicators), but treat "
	"the list as partial: keep watching for updates and hunt for related "
	"indicators."},
    {"speed-coverage", {"speed", "coverage"}, "accuracy",
	"早くて網羅的なものは正確性に問題が出る",
	"Fast and comprehensive information contains errors.",
	"Prefer alert/monitor over hard block; check against allowlists and "
	"own asset context before blocking; report false positives back to the "
	"sender."},
    {"accuracy-coverage", {"accuracy", "coverage"}, "speed",
	"正確で網羅的なものは早さに問題が出る",
	"Accurate and comprehensive information arrives late.",
	"Use for retrospective searches of past logs, confirming scope, "
	"post-incident review and long-term rules/blocklists."},
};

static const struct isog_kpi kpis[] = {
    {"attack-condition", "攻撃検出状況に関するKPI", "Attack condition"},
    {"protect-condition", "対策状況に関するKPI", "Protect condition"},
    {"suspicious-activity", "侵入が疑われる状況のKPI", "Suspicious activity"},
    {"indirect-activity", "人事的、物理的等、直接ITとは関係しない状況のKPI",
	"Indirect activity"},
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Return the number of functions, X included. */
size_t
isog_nfunctions(void)
{
	return NELEM(functions);
}

/* Return function i, or NULL past the end. */
const struct isog_function *
isog_function_at(size_t i)
{
	return i < NELEM(functions) ? &functions[i] : NULL;
}

/* Return the number of roles: the textbook's 54 and X. */
size_t
isog_nroles(void)
{
	return NELEM(roles);
}

/* Return role i, or NULL past the end. */
const struct isog_role *
isog_role_at(size_t i)
{
	return i < NELEM(roles) ? &roles[i] : NULL;
}

/* Find a role by its code ("D-3", "X"); NULL if there is none. */
const struct isog_role *
isog_role_find(const char *code)
{
	size_t i;

	for (i = 0; i < NELEM(roles); i++)
		if (strcmp(roles[i].code, code) == 0)
			return &roles[i];
	return NULL;
}

/* Position of a role of this table in isog_role_at() order. */
size_t
isog_role_index(const struct isog_role *r)
{
	return (size_t)(r - roles);
}

/* Return the number of phases of the incident flow. */
size_t
isog_nphases(void)
{
	return NELEM(phases);
}

/* Return phase i, or NULL past the end. */
const struct isog_phase *
isog_phase_at(size_t i)
{
	return i < NELEM(phases) ? &phases[i] : NULL;
}

/* Index of a phase among isog_phase_at(). */
size_t
isog_phase_index(const struct isog_phase *p)
{
	size_t i;

	for (i = 0; i < NELEM(phases); i++)
		if (&phases[i] == p)
			return i;
	return 0;
}

/* Find a phase by id; NULL if there is none. */
const struct isog_phase *
isog_phase_find(const char *id)
{
	size_t i;

	for (i = 0; i < NELEM(phases); i++)
		if (strcmp(phases[i].id, id) == 0)
			return &phases[i];
	return NULL;
}

/* Return the number of triangle profiles (3). */
size_t
isog_ntriangles(void)
{
	return NELEM(triangles);
}

/* Return triangle profile i, or NULL past the end. */
const struct isog_triangle *
isog_triangle_at(size_t i)
{
	return i < NELEM(triangles) ? &triangles[i] : NULL;
}

/* Find a triangle profile by id ("speed-accuracy"); NULL if none. */
const struct isog_triangle *
isog_triangle_find(const char *id)
{
	size_t i;

	for (i = 0; i < NELEM(triangles); i++)
		if (strcmp(triangles[i].id, id) == 0)
			return &triangles[i];
	return NULL;
}

/* Return the number of KPI categories (4). */
size_t
isog_nkpis(void)
{
	return NELEM(kpis);
}

/* Return KPI category i, or NULL past the end. */
const struct isog_kpi *
isog_kpi_at(size_t i)
{
	return i < NELEM(kpis) ? &kpis[i] : NULL;
}

/* Find a KPI category by id; NULL if none. */
const struct isog_kpi *
isog_kpi_find(const char *id)
{
	size_t i;

	for (i = 0; i < NELEM(kpis); i++)
		if (strcmp(kpis[i].id, id) == 0)
			return &kpis[i];
	return NULL;
}

static const char *const evidence_names[EV_MAX] = {
    [EV_VULNERABILITY] = "vulnerability",
    [EV_RECON] = "recon",
    [EV_POLICY] = "policy",
    [EV_INDICATOR] = "indicator",
    [EV_ATTACK_ATTEMPT] = "attack-attempt",
    [EV_BLOCKED] = "blocked",
    [EV_COMPROMISE] = "compromise",
};

/* Name of an evidence kind. */
const char *
isog_evidence_name(enum evidence ev)
{
	return ev < EV_MAX ? evidence_names[ev] : "unknown";
}

/* Parse an evidence kind; 0 or -1. */
int
isog_evidence_parse(const char *s, enum evidence *out)
{
	int i;

	for (i = 0; i < EV_MAX; i++) {
		if (strcmp(s, evidence_names[i]) == 0) {
			*out = (enum evidence)i;
			return 0;
		}
	}
	return -1;
}
