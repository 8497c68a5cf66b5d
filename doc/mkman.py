#!/usr/bin/env python3
"""Build certscope(1): replace the FINDINGS_TABLE line of the scdoc source
with every row of src/core/findings.c (code, severity, summary), so the
man page can never miss a finding code, then run scdoc.

usage: mkman.py FINDINGS.C PAGE.SCD OUTPUT [SCDOC]
"""
import re
import subprocess
import sys


def findings(path):
    src = open(path, encoding="utf-8").read()
    body = src[src.index("cs_finding_defs[] = {"):]
    body = body[:body.index("\n};")]
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    rows = []
    for m in re.finditer(r'\{\s*"([a-z0-9-]+)",\s*CS_SEV_(\w+),\s*'
                         r'((?:"(?:[^"\\]|\\.)*"\s*)+)\}', body):
        summary = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(3)))
        rows.append((m.group(1), m.group(2).lower(), summary))
    if not rows:
        sys.exit("mkman: no finding rows found in " + path)
    return rows


def main():
    fc, page, out = sys.argv[1:4]
    scdoc = sys.argv[4] if len(sys.argv) > 4 else "scdoc"
    table = "\n".join(f"*{c}* ({s})\n\t{t}.\n" for c, s, t in findings(fc))
    text = open(page, encoding="utf-8").read()
    if "\nFINDINGS_TABLE\n" not in text:
        sys.exit("mkman: no FINDINGS_TABLE line in " + page)
    text = text.replace("\nFINDINGS_TABLE\n", "\n" + table + "\n")
    res = subprocess.run([scdoc], input=text.encode(), capture_output=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr.decode())
        sys.exit(res.returncode)
    open(out, "wb").write(res.stdout)


if __name__ == "__main__":
    main()
