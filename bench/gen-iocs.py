#!/usr/bin/python3
"""gen-iocs.py N OUTDIR: a CSV feed of N synthetic indicators (40% domains,
40% IPv4 addresses, 20% MD5 hashes) and a config naming it, for the
rule-generation benchmark."""
import hashlib
import os
import sys

n = int(sys.argv[1])
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "iocs.csv"), "w") as f:
    f.write("type,value\n")
    for i in range(n):
        k = i % 5
        if k < 2:
            f.write("domain,h%d.ioc%d.bench.example\n" % (i, i % 97))
        elif k < 4:
            a = 0x0b000000 + i  # 11.0.0.0 upwards
            f.write("ip,%d.%d.%d.%d\n" % (a >> 24, (a >> 16) & 255,
                                          (a >> 8) & 255, a & 255))
        else:
            f.write("md5,%s\n" % hashlib.md5(b"%d" % i).hexdigest())
with open(os.path.join(out, "sankaku.json"), "w") as f:
    f.write('{"sources": [{"id": "bench", "triangle": "speed-coverage", '
            '"tlp": "green", "feeds": [{"path": "iocs.csv", '
            '"format": "csv"}]}]}\n')
