#!/usr/bin/python3
"""gen-stix.py N OUTDIR: a STIX 2.1 bundle of N synthetic indicators
(domains, IPv4 addresses, URLs, SHA-256 hashes, each TLP:AMBER marked)
and a config naming it, for the rule-generation benchmark."""
import json
import os
import sys

n = int(sys.argv[1])
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
with open(os.path.join(out, "bundle.json"), "w") as f:
    f.write('{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-'
            '000000000000", "objects": [\n')
    for i in range(n):
        k = i % 4
        if k == 0:
            pat = "[domain-name:value = 'd%d.stix.bench.example']" % i
        elif k == 1:
            pat = "[ipv4-addr:value = '12.%d.%d.%d']" % (
                (i >> 16) & 255, (i >> 8) & 255, i & 255)
        elif k == 2:
            pat = "[url:value = 'http://u%d.stix.bench.example/p/%d']" % (
                i % 1000, i)
        else:
            pat = "[file:hashes.'SHA-256' = '%064x']" % i
        obj = {"type": "indicator", "spec_version": "2.1",
               "id": "indicator--%08x-0000-4000-8000-%012x" % (i, i),
               "created": "2026-11-20T00:00:00Z",
               "modified": "2026-11-20T00:00:00Z",
               "name": "bench indicator %d" % i, "pattern": pat,
               "pattern_type": "stix", "valid_from": "2026-11-20T00:00:00Z",
               "object_marking_refs": [AMBER]}
        f.write(("," if i else "") + json.dumps(obj) + "\n")
    f.write("]}\n")
with open(os.path.join(out, "sankaku.json"), "w") as f:
    f.write('{"sources": [{"id": "bench", "triangle": "speed-accuracy", '
            '"tlp": "green", "feeds": [{"path": "bundle.json", '
            '"format": "stix2"}]}]}\n')
