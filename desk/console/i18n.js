// i18n.js: the console's own words in Japanese and English.  Names from
// the textbook (phases, roles, decisions, KPIs) come from the desk, in
// both languages, exactly as the textbook writes them.

const WORDS = {
  title: ["sankaku インシデントデスク", "sankaku incident desk"],
  flow: ["フロー", "Flow"],
  queue: ["キュー", "Queue"],
  ciso: ["CISOダッシュボード", "CISO dashboard"],
  organisation: ["組織", "Organisation"],
  signin: ["サインイン", "Sign in"],
  signout: ["サインアウト", "Sign out"],
  token: ["トークン", "Token"],
  badToken: ["トークンが違います。何も変わっていません。", "That token is not known. Nothing has changed."],
  offline: ["デスクに接続できません。再接続中…", "The desk cannot be reached. Reconnecting…"],
  live: ["ライブ", "live"],
  open: ["未完了", "open"],
  all: ["すべて", "all"],
  asset: ["資産 / CVE", "Asset / CVE"],
  phase: ["フェーズ", "Phase"],
  alerts: ["アラート", "Alerts"],
  firstSeen: ["初検知", "First seen"],
  lastSeen: ["最終検知", "Last seen"],
  sources: ["情報源", "Sources"],
  owner: ["担当", "Owner"],
  team: ["チーム", "Team"],
  source: ["情報源", "Source"],
  kpi: ["KPI", "KPI"],
  none: ["なし", "none"],
  nobody: ["未割当", "nobody"],
  keys: ["j/k: 移動, Enter: 開く, a: 引き受け, e: 次へ進める, f: 誤検知として完了",
         "j/k: move, Enter: open, a: acknowledge, e: escalate, f: close as false positive"],
  history: ["履歴", "History"],
  who: ["誰が（このフェーズ）", "Who (this phase)"],
  what: ["何が必要か", "What is needed"],
  indicators: ["指標", "Indicators"],
  signatures: ["シグネチャ", "Signatures"],
  recent: ["最近のアラート", "Recent alerts"],
  peers: ["攻撃側のアドレス（自組織の検知）", "Hostile addresses (our own detections)"],
  peerSrc: ["送信元として", "as source"],
  peerDst: ["宛先として", "as destination"],
  sendOut: ["発信（コミュニティへの共有）", "Send out (share with the community)"],
  sendOutHint: ["自分たちで見つけたものだけを発信します。自組織のホスト、プライベートアドレス、情報源から受け取った指標（それは情報源へのフィードバックで返します）は含めません。",
    "Only what we found ourselves: no host of ours, no private address, no indicator a source gave us (that goes back to the source as a sighting)."],
  download: ["ダウンロード", "Download"],
  send: ["送る", "Send"],
  cancel: ["やめる", "Cancel"],
  col_when: ["日時", "When"],
  col_rule: ["シグネチャ", "Rule"],
  col_ends: ["送信元 → 宛先", "From → to"],
  col_proto: ["プロトコル", "Protocol"],
  col_about: ["対象", "About"],
  col_evidence: ["証拠", "Evidence"],
  col_alertJson: ["アラート本体", "Alert"],
  actions: ["できること", "What can be done"],
  ack: ["引き受ける", "Acknowledge"],
  share: ["情報共有", "Share"],
  note: ["メモ", "Note"],
  addNote: ["メモを追加", "Add note"],
  close: ["完了", "Close"],
  reopen: ["再開", "Reopen"],
  weak: ["停滞の恐れ", "will stall"],
  insource: ["内製", "in-house"],
  outsource: ["外部委託", "outsourced"],
  maturity: ["成熟度", "maturity"],
  closed: ["完了", "closed"],
  verdict: ["判定", "Verdict"],
  "true-positive": ["正検知", "true positive"],
  "false-positive": ["誤検知", "false positive"],
  benign: ["問題なし", "benign"],
  duplicate: ["重複", "duplicate"],
  kpiTitle: ["KPI（CISOダッシュボード）", "KPI (CISO dashboard)"],
  h24: ["24時間", "24 h"],
  d7: ["7日", "7 d"],
  d30: ["30日", "30 d"],
  tta: ["引き受けまでの時間", "Time to acknowledge"],
  ttc: ["封じ込めまでの時間", "Time to contain"],
  median: ["中央値", "median"],
  p90: ["90パーセンタイル", "p90"],
  byPhase: ["フェーズ別の未完了", "Open by phase"],
  triangle: ["情報共有の三角形", "The sharing triangle"],
  strong: ["強み", "strong"],
  weakAt: ["弱み", "weak"],
  declared: ["申告", "declared"],
  accuracy: ["正確性（実測）", "accuracy (measured)"],
  coverage: ["網羅性（実測）", "coverage (measured)"],
  speed: ["速報性（実測）", "speed (measured)"],
  medianLead: ["先行時間の中央値", "median lead"],
  side_speed: ["速報性", "speed"],
  side_accuracy: ["正確性", "accuracy"],
  side_coverage: ["網羅性", "coverage"],
  fetched: ["最終取得", "last fetched"],
  ago: ["前", "ago"],
  neverFetched: ["未取得", "never"],
  notFetched: ["取得なし（各組織が配置）", "not fetched (placed by the site)"],
  notEnough: ["データ不足", "not enough data"],
  disagrees: ["申告と実測が異なる", "measured differs from declared"],
  triangleHint: ["直近%d日に完了したインシデントの判定から。%n件未満は「データ不足」。", "From the verdicts of incidents closed in the last %d days; under %n samples: not enough data."],
  radar: ["ISOMM 成熟度（機能別）と現在の負荷", "ISOMM maturity per function, and the current load"],
  load: ["負荷（未完了インシデント）", "load (open incidents)"],
  pattern: ["組織パターン", "Organisation pattern"],
  roles: ["役割", "Roles"],
  loading: ["読み込み中…", "Loading…"],
  notFound: ["インシデントが見つかりません", "No such incident"],
  refused: ["拒否されました", "Refused"],
  json: ["JSON（全体）", "full JSON"],
  retro: ["遡及ハント", "retro-hunt"],
  trimmed: ["ストリームから削除済み（上限を超えた古いアラート）", "no longer in the stream (trimmed by its cap)"],
  // the kinds of evidence an alert carries (sankaku.evidence)
  ev_vulnerability: ["脆弱性", "vulnerability"],
  ev_recon: ["偵察", "reconnaissance"],
  ev_policy: ["ポリシー違反", "policy"],
  ev_indicator: ["共有された指標", "shared indicator"],
  "ev_attack-attempt": ["攻撃の試行", "attack attempt"],
  ev_blocked: ["遮断された攻撃", "blocked attack"],
  ev_compromise: ["侵害", "compromise"],
  // what a history entry's action did
  did_open: ["起票", "opened"],
  did_evidence: ["証拠によりフェーズ前進", "moved on by evidence"],
  did_ack: ["引き受け", "acknowledged"],
  did_assign: ["担当を割当", "assigned"],
  did_note: ["メモ", "note"],
  did_advance: ["判断", "decided"],
  did_share: ["情報共有", "shared"],
  did_close: ["完了", "closed"],
  did_reopen: ["再開", "reopened"],
  did_check: ["必要事項を確認", "checked a need"],
  did_verdict: ["指標を判定", "judged an indicator"],
  did_merge: ["統合", "merged"],
  did_mute: ["抑止", "muted"],
  signedInAs: ["サインイン中", "signed in as"],
  lang: ["English", "日本語"],
};

let lang = pickLang();

function pickLang() {
  const q = new URLSearchParams(location.search).get("lang");
  if (q === "ja" || q === "en") return q;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  return nav.toLowerCase().startsWith("ja") ? "ja" : "en";
}

export function getLang() {
  return lang;
}

export function setLang(l) {
  lang = l === "ja" ? "ja" : "en";
  document.documentElement.lang = lang;
  const u = new URL(location.href);
  u.searchParams.set("lang", lang);
  history.replaceState(null, "", u.pathname + u.search + u.hash);
}

// t("queue"): a word of the console.
export function t(key) {
  const w = WORDS[key];
  if (!w) return key;
  return lang === "ja" ? w[0] : w[1];
}

// side("speed"): a side of the sharing triangle (speed, accuracy,
// coverage) in the reader's language.
export function side(id) {
  return id ? word("side_", id) : "-";
}

// word("did_", "merge"): the console's word for an id of a kind (the
// id itself when it has none: a value a later desk may send).
export function word(kind, id) {
  const w = t(kind + id);
  return w === kind + id ? id : w;
}

// n({ja, en}): a name the desk sent in both languages.
export function n(o) {
  if (!o) return "-";
  if (typeof o === "string") return o;
  return (lang === "ja" ? o.ja : o.en) || o.en || o.ja || o.id || "-";
}
