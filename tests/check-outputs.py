# SPDX-License-Identifier: ISC
"""Checks the CSV and OSCAL reports of one run against its standard output.

Usage: check-outputs.py RUN_DIR CSV OSCAL STDOUT

The CSV is read back with the csv module: a header, CRLF line ends, one row
per subscription and rule; every row of an audited subscription is a
verdict line of standard output (status and reason), and the counts of
each control are those of the Total line. The OSCAL document has one
finding per audited subscription and rule whose status is the one the
verdict maps to, with the same counts; every evidence link resolves to a
back-matter resource whose SHA-256 is that of the file (paths relative to
RUN_DIR). Prints what it checked; exits 1 on the first failure.
"""
import csv
import hashlib
import json
import re
import sys
import urllib.parse

COLUMNS = ["subscription_id", "display_name", "rule", "control_id", "edition", "verdict",
           "reason", "contacts", "addresses", "evidence", "evidence_sha256", "waiver_ticket",
           "waiver_expires", "collection_date", "baseline_change"]
TRIGGERS = "=+-@\t\r"
UUID5 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def die(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def plain(cell):
    """A cell as the evidence had it: the neutralising quote taken off."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in TRIGGERS else cell


def verdict_lines(path, controls):
    """(sub, control) -> (status, reason), and sub -> the display name the
    line shows in parentheses after the id (None when it shows none)."""
    lines, names = {}, {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^(PASS|FAIL|ERROR|WAIVED)  (\S+)  (?:\((.*?)\)  )?(.*)$", line.rstrip("\n"))
        if not m:
            continue
        status, sub, name, reason = m.groups()
        control = controls[0]
        if len(controls) > 1:
            control, reason = reason.split(": ", 1)
        lines[(sub, control)] = (status, reason)
        names[sub] = name
    return lines, names


def total_counts(path):
    total = [l for l in open(path, encoding="utf-8") if l.startswith("Total: ")]
    if len(total) != 1:
        die("no single Total line")
    line = total[0]
    subs = int(re.match(r"Total: (\d+) subscription", line).group(1))
    counts = {}
    for m in re.finditer(r"(?:(\d[\d.]*): )?(\d+) PASS, (\d+) FAIL, (\d+) ERROR, (\d+) WAIVED"
                         r"(?:, (\d+) not audited)?", line):
        counts[m.group(1)] = dict(zip(["PASS", "FAIL", "ERROR", "WAIVED"],
                                      map(int, m.group(2, 3, 4, 5))))
        counts[m.group(1)]["NOT-AUDITED"] = int(m.group(6) or 0)
    return subs, counts


def check_csv(path, stdout):
    raw = open(path, "rb").read()
    if raw.count(b"\n") != raw.count(b"\r\n") or not raw.endswith(b"\r\n"):
        die("CSV lines do not all end in CRLF")
    raw.decode("utf-8")
    rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
    if rows[0] != COLUMNS:
        die("CSV header is %r" % rows[0])
    rows = [dict(zip(COLUMNS, r)) for r in rows[1:] if len(r) == len(COLUMNS) or die("row width")]
    for r in rows:
        for k, cell in r.items():
            if cell[:1] in TRIGGERS and cell:
                die("CSV cell %s starts a formula: %r" % (k, cell))
    controls = list(dict.fromkeys(r["control_id"] for r in rows))
    lines, names = verdict_lines(stdout, controls)
    audited = [r for r in rows if r["verdict"] != "NOT-AUDITED"]
    if len(audited) != len(lines):
        die("%d audited CSV rows, %d verdict lines" % (len(audited), len(lines)))
    for r in audited:
        shown = names.get(r["subscription_id"])
        if (shown or "") != " ".join(plain(r["display_name"]).split()):
            die("CSV row %s names %r, the verdict line %r" % (r["subscription_id"],
                                                            r["display_name"], shown))
        want = lines.get((r["subscription_id"], r["control_id"]))
        got = (r["verdict"], plain(r["reason"]))
        if want != got:
            die("CSV row %s %s is %r, the verdict line %r" % (r["subscription_id"],
                                                              r["control_id"], got, want))
    subs, counts = total_counts(stdout)
    if len(rows) != subs * len(controls):
        die("%d CSV rows for %d subscriptions x %d rules" % (len(rows), subs, len(controls)))
    for control in controls:
        key = control if len(controls) > 1 else None
        got = {v: sum(1 for r in rows if r["control_id"] == control and r["verdict"] == v)
               for v in counts[key]}
        if got != counts[key]:
            die("CSV counts of %s %r, the Total line %r" % (control, got, counts[key]))
    print("ok: %d CSV rows, %d verdict lines, counts as the Total line" % (len(rows), len(lines)))
    return controls, lines, counts


def check_evidence(doc, run_dir):
    resources = {r["uuid"]: r for r in doc["back-matter"]["resources"]}
    result = doc["results"][0]
    links = 0
    for o in result.get("observations", []):
        for e in o.get("relevant-evidence", []):
            res = resources.get(e["href"].lstrip("#"))
            if res is None:
                die("evidence link %s resolves to nothing" % e["href"])
            rlink = res["rlinks"][0]
            path = run_dir + "/" + urllib.parse.unquote(rlink["href"])
            digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
            hashes = [h["value"] for h in rlink.get("hashes", []) if h["algorithm"] == "SHA-256"]
            if hashes != [digest]:
                die("%s: back-matter SHA-256 %r, the file's %s" % (path, hashes, digest))
            links += 1
    return links


def finding_verdict(f, risks):
    status = f["target"]["status"]
    props = {p["name"]: p["value"] for p in f.get("props", [])}
    state, reason = status["state"], status.get("reason")
    if state == "satisfied" and reason == "pass":
        return "PASS"
    if state == "not-satisfied" and reason == "fail":
        return "FAIL"
    if state == "not-satisfied" and reason == "other" and props.get("undecided") == "true":
        return "ERROR"
    related = [r["risk-uuid"] for r in f.get("related-risks", [])]
    if state == "not-satisfied" and reason == "other" and related and \
            all(risks[u]["status"] == "deviation-approved" for u in related):
        return "WAIVED"
    die("finding %s: state %s reason %s props %r" % (f["uuid"], state, reason, props))


def check_oscal(path, run_dir, controls, lines, counts):
    doc = json.load(open(path, encoding="utf-8"))["assessment-results"]
    if doc["metadata"]["oscal-version"] != "1.0.6":
        die("oscal-version is %s" % doc["metadata"]["oscal-version"])
    result = doc["results"][0]
    risks = {r["uuid"]: r for r in result.get("risks", [])}
    observations = {o["uuid"] for o in result.get("observations", [])}
    seen = {}
    for f in result.get("findings", []):
        control = f["target"]["target-id"]
        if not control.startswith("cis-azure-"):
            die("target-id %s" % control)
        for rel in f["related-observations"]:
            if rel["observation-uuid"] not in observations:
                die("finding %s names a missing observation" % f["uuid"])
        verdict = finding_verdict(f, risks)
        key = control[len("cis-azure-"):]
        seen.setdefault(key, {}).setdefault(verdict, 0)
        seen[key][verdict] += 1
    findings = len(result.get("findings", []))
    if findings != len(lines):
        die("%d OSCAL findings, %d verdict lines" % (findings, len(lines)))
    for control in controls:
        want = {k: v for k, v in counts[control if len(controls) > 1 else None].items()
                if v and k != "NOT-AUDITED"}
        if seen.get(control, {}) != want:
            die("OSCAL counts of %s %r, the Total line %r" % (control, seen.get(control), want))
    ids = re.findall(r'"(?:uuid|[a-z-]+-uuid)": "([^"]+)"', open(path, encoding="utf-8").read())
    for u in ids:
        if not UUID5.match(u):
            die("%s is not a version 5 UUID" % u)
    links = check_evidence(doc, run_dir)
    print("ok: %d OSCAL findings with the Total line's counts, %d evidence links verified"
          % (findings, links))


def main():
    run_dir, csv_path, oscal_path, stdout = sys.argv[1:5]
    controls, lines, counts = check_csv(csv_path, stdout)
    check_oscal(oscal_path, run_dir, controls, lines, counts)


main()
