# show-alerts.jq: one enriched alert (sankaku.phase ...) as a few lines a
# person reads at a glance.  Input: the enriched alert JSON.
def tlp: "TLP:" + (.tlp | ascii_upcase);
def where:
  if .dns.query then (.dns.query[0].rrname // "")
  elif .tls.sni then .tls.sni
  elif .http then ((.http.hostname // "") + (.http.url // ""))
  else "" end;
"──────────────────────────────────────────────────────────────────────",
"\(.timestamp)  \(.alert.signature)",
"  flow     : \(.src_ip) → \(.dest_ip)  \(.app_proto // .proto)  action=\(.alert.action)",
"  phase    : \(.sankaku.phase.ja)  /  \(.sankaku.phase.en)   [evidence: \(.sankaku.evidence), KPI: \(.sankaku.kpi)]",
"  roles    : " + ([.sankaku.roles[] | "\(.code) \(.ja)"] | join(", ")),
(if .sankaku.indicator then
  "  indicator: \(.sankaku.indicator.type) \(.sankaku.indicator.value)" +
  (if .sankaku.indicator.published then "  (published \(.sankaku.indicator.published))" else "" end)
 else empty end),
(if (.sankaku.sources | length) == 0 then "  sources  : none (a rule of our own, not a shared indicator)"
 else (.sankaku.sources[] |
  "  source   : \(.id) [\(tlp)] strong: \(.triangle.strong | join("+")), weak: \(.triangle.weak)",
  "             \(.triangle.caveat.ja) / \(.triangle.caveat.en)",
  "             → \(.triangle.advice.ja) / \(.triangle.advice.en)")
 end)
