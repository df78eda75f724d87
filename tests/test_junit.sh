#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: the JUnit report of every fixture folder is well-formed and
# valid against our strict schema (tests/junit-strict.xsd), and two runs with
# SOURCE_DATE_EPOCH give byte-identical reports.
. "${srcdir:-.}/tests/lib.sh"
command -v xmllint >/dev/null 2>&1 || skip_all "xmllint is not installed"

export SOURCE_DATE_EPOCH=1767225600
for dir in bundle shapes hostile compressed; do
	run --junit "$tmp/$dir.xml" --html "$tmp/$dir.html" "$FIX/$dir"
	check "$dir: JUnit report written"
	[ -s "$tmp/$dir.xml" ] || { fail "$dir: no JUnit report (exit $rc)"; continue; }
	check "$dir: JUnit report valid against tests/junit-strict.xsd"
	xmllint --noout --schema "$srcdir/tests/junit-strict.xsd" "$tmp/$dir.xml" 2>"$tmp/xsd.err" ||
		fail "$dir: JUnit report not valid: $(head -c 800 "$tmp/xsd.err")"
	# The same command again: the reports must not change by a byte.
	mv "$tmp/$dir.xml" "$tmp/$dir.1.xml"
	mv "$tmp/$dir.html" "$tmp/$dir.1.html"
	run --junit "$tmp/$dir.xml" --html "$tmp/$dir.html" "$FIX/$dir"
	check "$dir: JUnit the same in two runs"
	cmp -s "$tmp/$dir.xml" "$tmp/$dir.1.xml" || fail "$dir: JUnit differs between two runs"
	check "$dir: HTML the same in two runs"
	cmp -s "$tmp/$dir.html" "$tmp/$dir.1.html" || fail "$dir: HTML differs between two runs"
done

# The counts agree with the testcases; every input file is a set of
# properties of the inputs suite (path, size, sha256, status, why), not a
# testcase.
checks=$((checks + 1))
tests=$(xmllint --xpath 'string(//testsuite[@id="1"]/@tests)' "$tmp/bundle.xml")
cases=$(xmllint --xpath 'count(//testsuite[@id="1"]/testcase)' "$tmp/bundle.xml")
[ "$tests" = "$cases" ] || fail "tests=$tests but $cases testcases"
check "bundle: failures count is the number of failures"
fails=$(xmllint --xpath 'count(//testsuite[@id="1"]/testcase/failure)' "$tmp/bundle.xml")
[ "$fails" = "$(xmllint --xpath 'string(//testsuite[@id="1"]/@failures)' "$tmp/bundle.xml")" ] || fail "failures count"
check "bundle: an evidence testcase per file"
files=$(find "$FIX/bundle" -type f | wc -l)
ev=$(xmllint --xpath 'count(//testsuite[@id="0"]/properties/property[substring(@name, string-length(@name) - 6) = ".status"][starts-with(@name, "input.")])' "$tmp/bundle.xml")
[ "$files" = "$ev" ] || fail "$files files but $ev input.N.status properties"
checks=$((checks + 1))
[ "$(xmllint --xpath 'count(//testsuite[@id="0"]/testcase)' "$tmp/bundle.xml")" = 0 ] ||
	fail "the inputs suite of the bundle has testcases (evidence files are properties)"
checks=$((checks + 1))
why=$(xmllint --xpath 'string(//property[@value="ERROR"]/@name)' "$tmp/bundle.xml")
[ -n "$why" ] && [ "$(xmllint --xpath "string(//property[@name='${why%.status}.why']/@value)" "$tmp/bundle.xml")" = "file ends early at 1:103 (truncated?)" ] ||
	fail "the unreadable file's why property: $why"
# One testcase per subscription and rule, named for the control, the
# subscription and its display name; classname groups by control.
checks=$((checks + 1))
xmllint --xpath 'string(//testsuite[@id="1"]/testcase[1]/@name)' "$tmp/bundle.xml" >"$tmp/name"
echo >>"$tmp/name"
expect_line "$tmp/name" "CIS 2.3.2 3fd65c5f-c586-49d2-adb2-0b8dc425eaed (Contoso Dev)" "testcase name"
checks=$((checks + 1))
[ "$(xmllint --xpath 'count(//testsuite[@id="1"]/testcase[@classname="azure-contact-audit.CIS-2_3_2"])' "$tmp/bundle.xml")" = "$cases" ] ||
	fail "not every 2.3.2 testcase has classname azure-contact-audit.CIS-2_3_2"
# <skipped> tells a waiver from a subscription not audited.
checks=$((checks + 1))
xmllint --xpath 'string(//testcase[starts-with(@name, "CIS 2.3.2 92225099-58ee-473c-8674-f06d86059f0f")]/skipped/@message)' "$tmp/bundle.xml" >"$tmp/skip"
echo >>"$tmp/skip"
expect_line "$tmp/skip" "not audited: subscription state Disabled in the inventory" "not audited skipped message"
run --waivers "$srcdir/tests/data/waivers.json" --junit "$tmp/waived.xml" "$FIX/bundle"
xmllint --xpath 'string(//testcase[starts-with(@name, "CIS 2.3.2 3fd65c5f-c586-49d2-adb2-0b8dc425eaed")]/skipped/@message)' "$tmp/waived.xml" >"$tmp/skip"
echo >>"$tmp/skip"
expect_line "$tmp/skip" "waived by SEC-1042 until 2099-12-31: Dev subscription, contact set by the platform team in Q1 (was FAIL: emails is empty)" "waived skipped message"
# A refused waiver entry makes the run incomplete: an error testcase of
# the inputs suite, so that JUnit errors are not 0 while the exit status is 2.
printf '[{"subscription": "3fd65c5f-c586-49d2-adb2-0b8dc425eaed", "rule": "*", "reason": "r", "ticket": "T", "expires": "2099-12-31", "expires": "2000-01-01"}]\n' >"$tmp/twice.json"
run --waivers "$tmp/twice.json" --junit "$tmp/refused.xml" "$FIX/shapes/rest-2023-get.json"
expect_rc 2 "a refused waiver entry"
checks=$((checks + 1))
xmllint --xpath 'string(//testsuite[@id="0"]/testcase/error/@message)' "$tmp/refused.xml" >"$tmp/msg"
echo >>"$tmp/msg"
expect_line "$tmp/msg" "invalid waiver: 'expires' is given twice in one entry: ambiguous" "refused waiver error testcase"
checks=$((checks + 1))
[ "$(xmllint --xpath 'string(//testsuite[@id="0"]/@errors)' "$tmp/refused.xml")" = 1 ] || fail "inputs suite errors for a refused waiver"
expect_line "$tmp/out" "Total: 1 subscription: 1 PASS, 0 FAIL, 0 ERROR, 0 WAIVED; 1 evidence file, 0 unreadable; 1 waiver error" "Total line with a refused waiver"
expect_junit_valid "$tmp/refused.xml" "the report with a refused waiver"
# Every suite's counts agree with its testcases, in every report.
for dir in bundle shapes hostile compressed; do
	x=$tmp/$dir.1.xml
	i=1
	"$XPATH_ROWS" "$x" //testsuite @tests 'count(testcase)' @failures 'count(testcase/failure)' \
		@errors 'count(testcase/error)' @skipped 'count(testcase/skipped)' >"$tmp/suites"
	checks=$((checks + 1))
	[ -s "$tmp/suites" ] || fail "$dir: no testsuite"
	while IFS= read -r row; do
		for attr in tests failures errors skipped; do
			next_cell; want=$cell
			next_cell; got=$cell
			check "$dir suite $i: $attr agrees with the testcases"
			[ "$want" = "$got" ] || fail "$dir suite $i: $attr=$want but $got testcases"
		done
		i=$((i + 1))
	done <"$tmp/suites"
	# Jenkins splits the classname at its last dot: the prefix is the
	# package, the rest (a control, "waivers" or "run") has no dot.
	checks=$((checks + 1))
	xmllint --xpath '//testcase/@classname' "$x" | tr ' ' '\n' | grep classname= |
		grep -vE '^classname="azure-contact-audit\.[^.]+"$' >"$tmp/bad-classnames" &&
		fail "$dir: classnames with a dot in the last part: $(head -3 "$tmp/bad-classnames")"
done

# Each input's size and SHA-256 in <properties> are those of the file:
# input.N.path, .size and .sha256 as one row for each N from 0 up to the
# first N without a path.
"$XPATH_ROWS" "$tmp/bundle.1.xml" '//property[starts-with(@name, "input.")]' @name @value | awk -F '\t' '
	{ n = substr($1, 7); i = n; sub(/\..*/, "", i); key = substr(n, length(i) + 2); v[i, key] = $2 }
	END { for (i = 0; v[i, "path"] != ""; i++) printf "%s\t%s\t%s\n", v[i, "path"], v[i, "size"], v[i, "sha256"] }' >"$tmp/inputs"
i=0
while IFS= read -r row; do
	next_cell; path=$cell
	next_cell; size=$cell
	next_cell; sha=$cell
	check "input.$i: size and sha256 of the file"
	[ "$sha" = "$(sha256sum <"$path" | cut -d' ' -f1)" ] && [ "$size" = "$(wc -c <"$path" | tr -d ' ')" ] ||
		fail "input.$i ($path): size $size sha256 $sha do not match the file"
	i=$((i + 1))
done <"$tmp/inputs"
check "more than 10 inputs listed in <properties>"; [ "$i" -gt 10 ] || fail "only $i inputs listed in <properties>"

# A file of 4 MiB or more is hashed on a second thread while it is parsed:
# the same digest as sha256sum, and the same verdicts.
awk 'BEGIN { printf "{\"value\":["; for (i = 0; i < 40000; i++) printf "%s{\"id\":\"/subscriptions/%08x-0000-4000-8000-000000000000/providers/Microsoft.Security/securityContacts/default\",\"properties\":{\"emails\":\"soc@acme-corp.com\"}}", i ? "," : "", i; print "]}" }' >"$tmp/large.json"
run -q --junit "$tmp/large.xml" "$tmp/large.json"
expect_rc 0 "large file"
expect_line "$tmp/out" "Total: 40000 subscriptions: 40000 PASS, 0 FAIL, 0 ERROR, 0 WAIVED; 1 evidence file, 0 unreadable" "large file verdicts"
checks=$((checks + 1))
[ "$(wc -c <"$tmp/large.json")" -ge 4194304 ] || fail "the large file is under 4 MiB: the threaded hash is not tested"
check "large file: sha256 of the file"
sha=$(xmllint --xpath "string(//property[@name='input.0.sha256']/@value)" "$tmp/large.xml")
[ "$sha" = "$(sha256sum <"$tmp/large.json" | cut -d' ' -f1)" ] || fail "large file: sha256 $sha is not the file's"
rm -f "$tmp/large.json"

# The failing subscription carries its reason.
checks=$((checks + 1))
msg=$(xmllint --xpath 'string(//testcase[starts-with(@name, "CIS 2.3.2 3fd65c5f-c586-49d2-adb2-0b8dc425eaed ")]/failure/@message)' "$tmp/bundle.xml")
[ "$msg" = "emails is empty" ] || fail "failure message for the empty-emails subscription: '$msg'"

# Golden JUnit files: run from a folder laid out like the source tree so that
# paths are relative (refresh with UPDATE_GOLDEN=1).
mkdir "$tmp/g" && ln -s "$(cd "$srcdir" && pwd)/fixtures" "$tmp/g/fixtures"
for dir in bundle shapes hostile; do
	(cd "$tmp/g" && ${VALGRIND:-} "$AUDIT" --junit "junit-$dir.xml" "fixtures/$dir" >/dev/null 2>&1)
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$tmp/g/junit-$dir.xml" "$srcdir/tests/golden/junit-$dir.xml"
		skip "JUnit of fixtures/$dir: tests/golden/junit-$dir.xml rewritten (UPDATE_GOLDEN), not compared"
		continue
	fi
	check "JUnit of fixtures/$dir is tests/golden/junit-$dir.xml"
	if ! cmp -s "$tmp/g/junit-$dir.xml" "$srcdir/tests/golden/junit-$dir.xml"; then
		diff -u "$srcdir/tests/golden/junit-$dir.xml" "$tmp/g/junit-$dir.xml" | head -40 >&2
		fail "JUnit of fixtures/$dir differs from tests/golden/junit-$dir.xml"
	fi
done

# Hostile names and strings stay well-formed and valid: a file name with
# invalid UTF-8, control characters and markup, next to the hostile fixtures.
name=$(printf 'x\377\001<a>]]>&amp;"\t.json')
mkdir "$tmp/h" && cp "$FIX/hostile/xss-addresses.json" "$tmp/h/$name"
run --junit "$tmp/hostile.xml" "$tmp/h" "$FIX/hostile"
check "hostile JUnit valid"
xmllint --noout --schema "$srcdir/tests/junit-strict.xsd" "$tmp/hostile.xml" 2>"$tmp/xsd.err" ||
	fail "hostile JUnit not valid: $(head -c 600 "$tmp/xsd.err")"
check "hostile file name shown with visible escapes"
xmllint --xpath 'string(//property[@name="input.0.path"]/@value)' "$tmp/hostile.xml" | grep -qF 'x\xFF\u0001<a>]]>&amp;"\t.json' ||
	fail "hostile file name not shown with visible escapes: $(xmllint --xpath 'string(//property[@name="input.0.path"]/@value)' "$tmp/hostile.xml")"

# Atomic write: when the report cannot be written (file size limit), the old
# report stays as it was and no temporary file is left behind.
echo "previous report" >"$tmp/keep.xml"
# Only the audit runs under the limit; its stderr goes through a pipe.
sh -c 'trap "" XFSZ; ulimit -f 1; ${VALGRIND:-} "$0" "$@" 2>&1 >/dev/null; echo $? >&3' \
	"$AUDIT" --junit "$tmp/keep.xml" "$FIX/bundle" 3>"$tmp/rc" | cat >"$tmp/err"
rc=$(cat "$tmp/rc")
expect_rc 2 "report larger than the file size limit"
check "the old report is kept"; [ "$(cat "$tmp/keep.xml")" = "previous report" ] || fail "the old report was damaged"
check "no temporary report left behind"; [ -z "$(find "$tmp" -maxdepth 1 -name 'keep.xml.tmp*')" ] || fail "a temporary report was left behind"
check "write error message"; grep -q "error: cannot write report: cannot write $tmp/keep.xml: File too large" "$tmp/err" || fail "write error message: $(cat "$tmp/err")"
finish
