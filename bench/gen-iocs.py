#!/usr/bin/python3
"""gen-iocs.py N OUTDIR: a CSV feed of N synthetic indicators (30% domains,
30% IPv4 addresses, 10% URLs, 10% address:port, 20% MD5 hashes) and a
config naming it, for the rule-generation benchmark."""
import hashlib
import os
import sys

n = int(sys.argv[1])
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "iocs.csv"), "w") as f:
    f.write("type,value\n")
    for i in range(n):
        k = i % 10
        a = 0x0b000000 + i  # 11.0.0.0 upwards
        ip = "%d.%d.%d.%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255,
                              a & 255)
        if k < 3:
            f.write("domain,h%d.ioc%d.bench.example\n" % (i, i % 97))
        elif k < 6:
            f.write("ip,%s\n" % ip)
        elif k < 7:
            f.write("url,http://u%d.bench.example/dl/%d.bin?id=%d\n"
                    % (i % 5000, i, i % 13))
        elif k < 8:
            f.write("ip-port,%s:%d\n" % (ip, (443, 8080, 4443, 2222)[i % 4]))
        else:
            f.write("md5,%s\n" % hashlib.md5(b"%d" % i).hexdigest())
with open(os.path.join(out, "sankaku.json"), "w") as f:
    f.write('{"sources": [{"id": "bench", "triangle": "speed-coverage", '
            '"tlp": "green", "feeds": [{"path": "iocs.csv", '
            '"format": "csv"}]}]}\n')
