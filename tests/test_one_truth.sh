#!/bin/sh
# SPDX-License-Identifier: ISC
# One truth in every output: for every combination of --rule, --waivers,
# --subscriptions and --redact over the fixtures, the exit status, the
# Total line, the JUnit counts and the HTML "Overall result" tell the same
# story. Also the two ERROR wordings of an unreadable file (one that cannot
# be opened, one that breaks while read) have one form.
. "${srcdir:-.}/tests/lib.sh"
cd "$srcdir" || exit 99
export SOURCE_DATE_EPOCH=1767225600
if ! command -v "$PYTHON3" >/dev/null 2>&1; then
	skip_all "python3 is needed to read the reports"
fi

# keep WHAT: files the last run's stdout, exit status, JUnit and HTML as
# case N, for agree to check; run them with --junit "$tmp/j.xml" --html
# "$tmp/r.html".
cases=0
keep() {
	cases=$((cases + 1))
	mkdir "$tmp/case$cases"
	mv "$tmp/j.xml" "$tmp/r.html" "$tmp/case$cases/"
	cp "$tmp/out" "$tmp/case$cases/out"
	echo "$rc" >"$tmp/case$cases/rc"
	echo "$1" >"$tmp/case$cases/what"
}

# agree: in every case kept, the stdout Total line, exit status, JUnit and
# HTML agree (one python3 for all of them: it prints what does not).
agree() {
	"$PYTHON3" - "$tmp" "$cases" >"$tmp/why" 2>&1 <<'PY'
import os, re, sys, xml.etree.ElementTree as ET

def check(out, rc, junit, html):
    total = open(out).read().splitlines()[-1]
    problems = []
    m = re.match(r"Total: (\d+) subscriptions?[:;] (.*); (\d+) evidence files?, (\d+) unreadable((?:; \d+ (?:waiver|other) errors?)*)$", total)
    if not m:
        return ["no Total line: " + total]
    subs, body, unreadable = int(m.group(1)), m.group(2), int(m.group(4))
    # Errors that are no subscription's (refused waivers, no evidence).
    others = sum(int(n) for n in re.findall(r"; (\d+) ", m.group(5)))
    rules = {}
    for part in body.split("; "):
        cid, _, counts = part.partition(": ") if re.match(r"[0-9.]+: ", part) else ("", "", part)
        c = dict((w, int(n)) for n, w in re.findall(r"(\d+) (PASS|FAIL|ERROR|WAIVED|not audited)", counts))
        rules[cid] = c
    fail = any(c.get("FAIL", 0) for c in rules.values())
    error = any(c.get("ERROR", 0) for c in rules.values()) or unreadable > 0 or others > 0
    for cid, c in rules.items():
        if sum(c.values()) != subs:
            problems.append("rule %s counts %d, Total says %d subscriptions" % (cid, sum(c.values()), subs))
    want = 2 if error else 1 if fail else 0
    if rc != want:
        problems.append("exit %d, the Total line says %d" % (rc, want))
    word = {0: "PASS", 1: "FAIL", 2: "ERROR"}.get(rc, "?")
    root = ET.parse(junit).getroot()
    suites = [s for s in root.iter("testsuite") if s.get("name") != "inputs"]
    if len(suites) != len(rules):
        problems.append("%d JUnit rule suites for %d rules" % (len(suites), len(rules)))
    for s, (cid, c) in zip(suites, rules.items()):
        got = (int(s.get("tests")), int(s.get("failures")), int(s.get("errors")), int(s.get("skipped")))
        exp = (subs, c.get("FAIL", 0), c.get("ERROR", 0), c.get("WAIVED", 0) + c.get("not audited", 0))
        if got != exp:
            problems.append("suite %s tests/failures/errors/skipped %s, Total %s" % (s.get("name"), got, exp))
        if len(s.findall("testcase")) != subs:
            problems.append("suite %s has %d testcases for %d subscriptions" % (s.get("name"), len(s.findall("testcase")), subs))
    inputs = [s for s in root.iter("testsuite") if s.get("name") == "inputs"]
    if len(inputs) != 1 or int(inputs[0].get("errors")) != others or len(inputs[0].findall("testcase")) != others:
        problems.append("the inputs suite does not hold the %d errors that are no subscription's" % others)
    errors = sum(int(s.get("errors")) for s in root.iter("testsuite"))
    if (errors > 0) != (rc == 2):
        problems.append("JUnit errors %d with exit status %d" % (errors, rc))
    page = open(html, encoding="utf-8").read()
    m = re.search(r"Overall result: <span[^>]*>([A-Z]+)</span>", page)
    if not m or m.group(1) != word:
        problems.append("HTML overall %s, exit status says %s" % (m.group(1) if m else None, word))
    return problems

tmp, cases = sys.argv[1], int(sys.argv[2])
bad = 0
for n in range(1, cases + 1):
    d = os.path.join(tmp, "case%d" % n)
    what = open(os.path.join(d, "what")).read().strip()
    rc = int(open(os.path.join(d, "rc")).read())
    problems = check(os.path.join(d, "out"), rc, os.path.join(d, "j.xml"), os.path.join(d, "r.html"))
    print(("not ok %s: " % what + "; ".join(problems)) if problems else "ok " + what)
    bad += bool(problems)
sys.exit(1 if bad else 0)
PY
	status=$?
	checks=$((checks + cases))
	[ $status -eq 0 ] || fail "the outputs disagree: $(grep '^not ok' "$tmp/why" | head -20)"
}

for rule in "" "--rule alert-severity" "--rule notify-owners" "--rule all"; do
	for waivers in "" "--waivers tests/data/waivers.json"; do
		for inventory in "" "--subscriptions fixtures/shapes/inventory-rest.json"; do
			for redact in "" "--redact"; do
				for dir in bundle shapes; do
					# shellcheck disable=SC2086
					run $rule $waivers $inventory $redact --junit "$tmp/j.xml" --html "$tmp/r.html" \
						"fixtures/$dir"
					keep "fixtures/$dir $rule $waivers $inventory $redact"
				done
			done
		done
	done
done

# A refused waiver entry and a file that is no waiver file make the run
# incomplete in every output.
printf '[{"subscription": "3fd65c5f-c586-49d2-adb2-0b8dc425eaed", "rule": "*", "reason": "", "ticket": "T", "expires": "2099-12-31"}]\n' >"$tmp/refused.json"
printf '{"subscription": "3fd65c5f-c586-49d2-adb2-0b8dc425eaed"}\n' >"$tmp/object.json"
for waivers in "$tmp/refused.json" "$tmp/object.json"; do
	for rule in "" "--rule all"; do
		# shellcheck disable=SC2086
		run $rule --waivers "$waivers" --junit "$tmp/j.xml" --html "$tmp/r.html" fixtures/shapes/rest-2023-get.json
		expect_rc 2 "$waivers $rule"
		keep "refused waivers $waivers $rule"
	done
done
# With a baseline (the bundle's own report) the outputs still agree.
run --junit "$tmp/base.xml" fixtures/bundle
for rule in "" "--rule all"; do
	# shellcheck disable=SC2086
	run $rule --baseline "$tmp/base.xml" --junit "$tmp/j.xml" --html "$tmp/r.html" fixtures/bundle fixtures/shapes
	keep "baseline $rule"
done
mkdir "$tmp/nothing"
run --junit "$tmp/j.xml" --html "$tmp/r.html" "$tmp/nothing"
expect_rc 2 "no evidence"
keep "no evidence found"

# A sibling rule's FAIL reaches the exit status and the Total line: a
# contact with a deliverable address and both switches off.
G=11111111-2222-4333-8444-555555555555
mkdir -p "$tmp/sib/$G"
cat >"$tmp/sib/$G/c.json" <<EOF
{"id": "/subscriptions/$G/providers/Microsoft.Security/securityContacts/default", "name": "default",
 "properties": {"emails": "soc@acme-corp.com", "alertNotifications": {"state": "Off", "minimalSeverity": "High"},
  "notificationsByRole": {"state": "Off", "roles": ["Owner"]}}}
EOF
run --rule all --junit "$tmp/j.xml" --html "$tmp/r.html" "$tmp/sib"
expect_rc 1 "a sibling rule fails"
expect_line "$tmp/out" "Total: 1 subscription; 2.3.2: 1 PASS, 0 FAIL, 0 ERROR, 0 WAIVED; 2.3.3: 0 PASS, 1 FAIL, 0 ERROR, 0 WAIVED; 2.3.1: 0 PASS, 1 FAIL, 0 ERROR, 0 WAIVED; 1 evidence file, 0 unreadable" "sibling FAIL in the Total line"
keep "sibling rule FAIL"
agree
run --rule alert-severity "$tmp/sib"
expect_rc 1 "--rule alert-severity alone fails"

# One wording for an unreadable file, whether it cannot be opened or
# breaks while it is read.
U=22222222-2222-4333-8444-555555555555
mkdir -p "$tmp/words/$U"
run "$tmp/words/$U/missing.json"
expect_rc 2 "missing file"
expect_line "$tmp/out" "ERROR  $U  unreadable evidence $tmp/words/$U/missing.json: cannot open: No such file or directory" "missing file wording"
printf '{"id": "x' >"$tmp/words/$U/cut.json"
run "$tmp/words/$U/cut.json"
expect_rc 2 "cut file"
expect_line "$tmp/out" "ERROR  $U  unreadable evidence $tmp/words/$U/cut.json:1:10: file ends early at 1:10 (truncated?)" "cut file wording"
# A waiver file that breaks after a valid entry: no waiver of it applies.
printf '[{"subscription": "e413be40-ded3-45c8-8302-9fbb74439ff6", "rule": "*", "reason": "accepted", "ticket": "CHG-2", "expires": "2099-12-31"},' >"$tmp/cut-waivers.json"
run --waivers "$tmp/cut-waivers.json" --junit "$tmp/cut.xml" fixtures/bundle
expect_rc 2 "waiver file cut after a valid entry"
expect_line "$tmp/out" "FAIL  e413be40-ded3-45c8-8302-9fbb74439ff6  (Contoso Test)  emails is null" "the entry before the break does not apply"
expect_err_text "$tmp/cut-waivers.json:1:138: error: invalid waiver file: file ends early at 1:138 (truncated?)" "the cut waiver file is said"
check "JUnit: no WAIVED testcase from the cut waiver file"
[ "$(xmllint --xpath 'count(//testcase/skipped[starts-with(@message, "waived")])' "$tmp/cut.xml")" = 0 ] || fail "a waiver applied"
finish
