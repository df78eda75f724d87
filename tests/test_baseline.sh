#!/bin/sh
# SPDX-License-Identifier: ISC
# --baseline FILE: a JUnit report of an earlier run of this tool, read back;
# every subscription and rule is marked (new FAIL, new ERROR, fixed, still
# failing, new subscription, no longer in the evidence) on standard output
# and in JUnit properties. Tested with real previous reports: the tool runs
# on a bundle, the bundle changes, the tool runs again. Reports of other
# producers, of an older format of this tool, broken XML are refused (64).
. "${srcdir:-.}/tests/lib.sh"
srcdir=$(cd "$srcdir" && pwd)
export SOURCE_DATE_EPOCH=1767225600
cd "$tmp" || exit 99
cp -r "$srcdir/fixtures/bundle" q3
run --junit q3.xml q3
expect_rc 2 "the first quarter"

# The next quarter: one fixed, one broken, one unreadable, one new.
cp -r q3 q4
sed 's/"emails": *""/"emails": "dev-sec@acme-corp.com"/' q3/tenant-contoso/3fd65c5f-c586-49d2-adb2-0b8dc425eaed/securityContacts.json \
	>q4/tenant-contoso/3fd65c5f-c586-49d2-adb2-0b8dc425eaed/securityContacts.json
sed 's/"emails": "cloud-security@acme-corp.com;soc@acme-corp.com"/"emails": ""/' q3/az-cli/contact-list-54cae10f-1d90-4a2e-affe-0fcca9f7ab4a.json \
	>q4/az-cli/contact-list-54cae10f-1d90-4a2e-affe-0fcca9f7ab4a.json
head -c 60 q3/tenant-contoso/600754d1-f5ee-4284-a75c-18aa6aeab770/securityContacts.json \
	>q4/tenant-contoso/600754d1-f5ee-4284-a75c-18aa6aeab770/securityContacts.json
N=77777777-7777-4777-8777-777777777777
mkdir -p "q4/new/$N"
printf '{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default", "properties": {"emails": "soc@acme-corp.com"}}\n' "$N" >"q4/new/$N/c.json"
run --baseline q3.xml --junit q4.xml --html q4.html --csv q4.csv q4
expect_rc 2 "the second quarter"
expect_line "$tmp/out" "PASS  3fd65c5f-c586-49d2-adb2-0b8dc425eaed  (Contoso Dev)  1 deliverable address in contact 'default'  [fixed]" "fixed"
expect_line "$tmp/out" "FAIL  54cae10f-1d90-4a2e-affe-0fcca9f7ab4a  (Contoso Shared Services)  emails is empty  [new FAIL]" "new FAIL"
expect_line "$tmp/out" "ERROR  600754d1-f5ee-4284-a75c-18aa6aeab770  (Contoso Data Platform)  unreadable evidence q4/tenant-contoso/600754d1-f5ee-4284-a75c-18aa6aeab770/securityContacts.json:4:40: file ends early at 4:40 (truncated?)  [new ERROR]" "new ERROR"
expect_line "$tmp/out" "PASS  $N  1 deliverable address in contact 'default'  [new subscription]" "new subscription"
expect_line "$tmp/out" "FAIL  e413be40-ded3-45c8-8302-9fbb74439ff6  (Contoso Test)  emails is null  [still failing]" "still failing"
expect_line "$tmp/out" "PASS  5e47603a-d537-4826-af6d-af0ed1ddaada  (Contoso Payments)  2 deliverable addresses in contact 'default'" "unchanged: no suffix"
expect_line "$tmp/out" "Changes since 2026-01-01T00:00:00Z: 1 new FAIL, 1 new ERROR, 1 fixed, 9 still failing, 1 new subscription, 0 no longer in the evidence" "the changes in numbers"
checks=$((checks + 1))
tail -n 1 "$tmp/out" | grep -q '^Total: ' || fail "the Total line is not the last line"
# The same in JUnit properties.
prop() { xmllint --xpath "string(//property[@name='$1']/@value)" "$2"; }
for pair in "change.54cae10f-1d90-4a2e-affe-0fcca9f7ab4a=new FAIL" "change.3fd65c5f-c586-49d2-adb2-0b8dc425eaed=fixed" \
	"change.$N=new subscription" "baseline.generated.utc=2026-01-01T00:00:00Z" "baseline.path=q3.xml" \
	"baseline.changes=1 new FAIL, 1 new ERROR, 1 fixed, 9 still failing, 1 new subscription, 0 no longer in the evidence"; do
	checks=$((checks + 1))
	got=$(prop "${pair%%=*}" q4.xml)
	[ "$got" = "${pair#*=}" ] || fail "JUnit property ${pair%%=*}: '$got'"
done
checks=$((checks + 1))
[ "$(xmllint --xpath 'count(//property[@name="change.5e47603a-d537-4826-af6d-af0ed1ddaada"])' q4.xml)" = 0 ] ||
	fail "an unchanged subscription has a change property"
expect_junit_valid q4.xml q4.xml

# The same in the HTML report's Changes section and the CSV's
# baseline_change column: every change but "unchanged", one row each.
row() { xmllint --html --xpath "string(//section[@id='changes']//tbody/tr[td[1]='$1']/td[$2])" q4.html 2>/dev/null; }
for pair in "54cae10f-1d90-4a2e-affe-0fcca9f7ab4a=new FAIL=FAIL" "3fd65c5f-c586-49d2-adb2-0b8dc425eaed=fixed=PASS" \
	"600754d1-f5ee-4284-a75c-18aa6aeab770=new ERROR=ERROR" "$N=new subscription=PASS" "e413be40-ded3-45c8-8302-9fbb74439ff6=still failing=FAIL"; do
	sub=${pair%%=*} rest=${pair#*=}
	checks=$((checks + 1))
	got="$(row "$sub" 4)=$(row "$sub" 5)"
	[ "$got" = "$rest" ] || fail "HTML change row of $sub: '$got', not '$rest'"
	checks=$((checks + 1))
	got=$(awk -F, -v s="$sub" '$1 == s { print $NF }' q4.csv | tr -d '\r')
	[ "$got" = "${rest%=*}" ] || fail "CSV baseline_change of $sub: '$got'"
done
checks=$((checks + 1))
[ "$(xmllint --html --xpath "count(//section[@id='changes']//tbody/tr)" q4.html 2>/dev/null)" = 13 ] ||
	fail "$(xmllint --html --xpath "count(//section[@id='changes']//tbody/tr)" q4.html 2>/dev/null) HTML change rows, not the 13 changes of the Changes line"
checks=$((checks + 1))
[ "$(awk -F, '$1 == "5e47603a-d537-4826-af6d-af0ed1ddaada" { print $NF }' q4.csv | tr -d '\r')" = unchanged ] ||
	fail "an unchanged subscription's CSV cell"

# A subscription no longer in the evidence; the baseline may be the file
# the new report replaces (it is read whole first).
rm -r "q4/new"
cp q4.xml last.xml
run --baseline last.xml --junit last.xml --html last.html --rule all q4
expect_rc 2 "the third quarter"
expect_line "$tmp/out" "GONE  $N  2.3.2: no longer in the evidence; PASS in the baseline  [no longer in the evidence]" "gone"
expect_line "$tmp/out" "Changes since 2026-01-01T00:00:00Z: 0 new FAIL, 0 new ERROR, 0 fixed, 11 still failing, 0 new subscription, 1 no longer in the evidence" "rules the baseline did not decide are not compared"
expect_no_match "$tmp/out" "2\.3\.[13]: .*\[" "the sibling rules, not in the baseline, are not compared"
checks=$((checks + 1))
[ "$(prop baseline.gone.0.subscription last.xml)" = "$N 2.3.2: no longer in the evidence (PASS in the baseline)" ] ||
	fail "gone in JUnit: $(prop baseline.gone.0.subscription last.xml)"
checks=$((checks + 1))
[ "$(prop baseline.path last.xml)" = "last.xml" ] || fail "the report that replaced its baseline"
checks=$((checks + 1))
got=$(xmllint --html --xpath "string(//section[@id='changes']//tbody/tr[td[1]='$N']/td[4])" last.html 2>/dev/null)
[ "$got" = "no longer in the evidence" ] || fail "the HTML row of a subscription gone: '$got'"

# Refused: another producer, an older format of this tool, a newer one,
# broken XML, JSON, a missing file. No report is written.
printf '<?xml version="1.0"?>\n<testsuites><testsuite name="unit" tests="1"><testcase name="a" classname="b"/></testsuite></testsuites>\n' >other.xml
sed 's/name="report.format" value="2"/name="report.format" value="3"/' q3.xml >format3.xml
version=$("$AUDIT" --version | sed '1s/^azure-contact-audit //;q')
head -c 300 q3.xml >cut.xml
for pair in \
	"other.xml=not a JUnit report of azure-contact-audit (no tool.name property in its first suite)" \
	"$srcdir/tests/data/junit-format1.xml=written by azure-contact-audit 0.1.0 in an older report format (this version reads format 2)" \
	"format3.xml=written by azure-contact-audit $version in report format 3 (this version reads format 2)" \
	"cut.xml=not well-formed XML at line 5: AttValue: ' expected" \
	"$srcdir/tests/data/waivers.json=not well-formed XML at line 1: Document is empty" \
	"missing.xml=cannot open: No such file or directory"; do
	file=${pair%%=*}
	rm -f refused.xml
	run --baseline "$file" --junit refused.xml q4
	expect_rc 64 "baseline $file"
	expect_line "$tmp/err" "azure-contact-audit: $file: error: baseline refused: ${pair#*=}" "baseline $file refused"
	checks=$((checks + 1))
	[ ! -e refused.xml ] || fail "a report was written with a refused baseline $file"
done

# Read as UTF-8 whatever encoding it declares (no converter is loaded).
sed '1s/encoding="UTF-8"/encoding="ISO-2022-JP"/' q3.xml >declared.xml
run --baseline declared.xml q3
expect_rc 2 "a baseline declaring another encoding"
expect_line "$tmp/out" "Changes since 2026-01-01T00:00:00Z: 0 new FAIL, 0 new ERROR, 0 fixed, 10 still failing, 0 new subscription, 0 no longer in the evidence" "a baseline declaring another encoding, read as UTF-8"

# --redact masks the baseline's names too.
sed 's/(Contoso Test)/(owner lee.brown@acme-corp.com)/' q3.xml >named.xml
rm -r q4/tenant-contoso/e413be40-ded3-45c8-8302-9fbb74439ff6
run --redact --baseline named.xml q4/tenant-contoso
expect_no_match "$tmp/out" "lee.brown@" "the baseline's name under --redact"
expect_line "$tmp/out" "GONE  e413be40-ded3-45c8-8302-9fbb74439ff6  (owner l***@acme-corp.com)  no longer in the evidence; FAIL in the baseline  [no longer in the evidence]" "a gone subscription's name, masked"
finish
