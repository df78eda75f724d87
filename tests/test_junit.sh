#!/bin/sh
# End-to-end: the JUnit report of every fixture folder is well-formed and
# valid against our strict schema (tests/junit-strict.xsd), and two runs with
# SOURCE_DATE_EPOCH give byte-identical reports.
. "${srcdir:-.}/tests/lib.sh"
command -v xmllint >/dev/null 2>&1 || { echo "xmllint missing"; exit 77; }

export SOURCE_DATE_EPOCH=1767225600
for dir in bundle shapes hostile; do
	run --junit "$tmp/$dir.xml" --html "$tmp/$dir.html" "$FIX/$dir"
	checks=$((checks + 1))
	[ -s "$tmp/$dir.xml" ] || { fail "$dir: no JUnit report (exit $rc)"; continue; }
	checks=$((checks + 1))
	xmllint --noout --schema "$srcdir/tests/junit-strict.xsd" "$tmp/$dir.xml" 2>"$tmp/xsd.err" ||
		fail "$dir: JUnit report not valid: $(head -c 800 "$tmp/xsd.err")"
	# The same command again: the reports must not change by a byte.
	mv "$tmp/$dir.xml" "$tmp/$dir.1.xml"
	mv "$tmp/$dir.html" "$tmp/$dir.1.html"
	run --junit "$tmp/$dir.xml" --html "$tmp/$dir.html" "$FIX/$dir"
	checks=$((checks + 1))
	cmp -s "$tmp/$dir.xml" "$tmp/$dir.1.xml" || fail "$dir: JUnit differs between two runs"
	checks=$((checks + 1))
	cmp -s "$tmp/$dir.html" "$tmp/$dir.1.html" || fail "$dir: HTML differs between two runs"
done

# The counts agree with the testcases, and every input file has a testcase.
checks=$((checks + 1))
tests=$(xmllint --xpath 'string(//testsuite[@id="1"]/@tests)' "$tmp/bundle.xml")
cases=$(xmllint --xpath 'count(//testsuite[@id="1"]/testcase)' "$tmp/bundle.xml")
[ "$tests" = "$cases" ] || fail "tests=$tests but $cases testcases"
checks=$((checks + 1))
fails=$(xmllint --xpath 'count(//testsuite[@id="1"]/testcase/failure)' "$tmp/bundle.xml")
[ "$fails" = "$(xmllint --xpath 'string(//testsuite[@id="1"]/@failures)' "$tmp/bundle.xml")" ] || fail "failures count"
checks=$((checks + 1))
files=$(find "$FIX/bundle" -type f | wc -l)
ev=$(xmllint --xpath 'count(//testsuite[@id="0"]/testcase)' "$tmp/bundle.xml")
[ "$files" = "$ev" ] || fail "$files files but $ev evidence testcases"
# The failing subscription carries its reason.
checks=$((checks + 1))
msg=$(xmllint --xpath 'string(//testcase[@classname="azure-contact-audit.3fd65c5f-c586-49d2-adb2-0b8dc425eaed"]/failure/@message)' "$tmp/bundle.xml")
[ "$msg" = "emails is empty" ] || fail "failure message for the empty-emails subscription: '$msg'"
finish
