#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end, the hostile-input matrix (output): report paths in a
# missing folder, on /dev/full, identical to an input (refused, 64); standard
# output closed, full, or a pipe nobody reads (| head -1). The audit still
# runs, prints what it can, writes every report it can, and exits 2: the
# evidence here alone would exit 1 (a FAIL), so 2 can only come from the
# output problem.
. "${srcdir:-.}/tests/lib.sh"
. "$srcdir/tests/hostile-lib.sh"

# A failing contact for G (reserved address): exit 1 when all goes well.
f=$(case_file failing)
printf '{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default",\n "properties": {"emails": "soc@example.com"}}\n' "$G" >"$f"
FAIL_LINE="FAIL  $G  only reserved/sample addresses: soc@example.com (RFC 2606)"
hostile "$f"
expect_rc 1 "baseline"
expect_line "$tmp/out" "$FAIL_LINE" "baseline"

# expect_audited WHAT: both verdicts are on standard output.
expect_audited() {
	expect_line "$tmp/out" "$FAIL_LINE" "$1: the evidence is still audited"
	expect_rest "$1"
}

# expect_reports DIR WHAT: DIR holds both reports, well-formed, with both
# subscriptions, and nothing that was meant for standard output.
expect_reports() {
	for r in junit.xml report.html; do
		check "$2: $r written with both subscriptions"
		if [ ! -s "$1/$r" ]; then
			fail "no $r written"
			continue
		fi
		grep -q "$G" "$1/$r" && grep -q "$REST_SUB" "$1/$r" || fail "$r lacks a subscription"
		expect_no_match "$1/$r" "^(PASS|FAIL|Total:) " "$2: standard output went into $r"
	done
	checks=$((checks + 1))
	grep -q "name=\"CIS 2.3.2 ${REST_SUB}[^\"]*\" classname=\"azure-contact-audit.CIS-2_3_2\" time=\"[0-9.]*\"/>" "$1/junit.xml" ||
		fail "$2: junit.xml does not pass $REST_SUB"
	if command -v xmllint >/dev/null 2>&1; then
		check "$2: junit.xml is well-formed"
		xmllint --noout "$1/junit.xml" 2>"$tmp/xmllint" || fail "junit.xml is not well-formed: $(cat "$tmp/xmllint")"
	else
		skip "$2: junit.xml well-formed: xmllint is not installed"
	fi
}

# ---- report paths ---------------------------------------------------------------------
hostile --junit "$tmp/missing/junit.xml" --html "$tmp/missing/report.html" "$f"
expect_rc 2 "reports in a missing folder"
expect_audited "reports in a missing folder"
expect_err_text "cannot write report: cannot create $tmp/missing/junit.xml." "junit.xml in a missing folder"
expect_err_text "cannot write report: cannot create $tmp/missing/report.html." "report.html in a missing folder"
check "reports in a missing folder: the folder is not made"; [ ! -e "$tmp/missing" ] || fail "reports in a missing folder: the folder was made"

hostile -o "$tmp/missing/out" "$f"
expect_rc 2 "-o in a missing folder"
expect_audited "-o in a missing folder"
expect_err_text "cannot create $tmp/missing/out: No such file or directory" "-o in a missing folder"

if [ -w /dev/full ]; then
	hostile --junit /dev/full --html /dev/full "$f"
	expect_rc 2 "reports on /dev/full"
	expect_audited "reports on /dev/full"
	expect_err_text "cannot write report: cannot write /dev/full: No space left on device" "reports on /dev/full"
	hostile -o /dev/full "$f"
	expect_rc 2 "-o /dev/full"
	expect_audited "-o /dev/full"
	# One report on /dev/full, the other still written.
	hostile --junit /dev/full --html "$tmp/ok.html" "$f"
	expect_rc 2 "junit on /dev/full, html elsewhere"
	check "the HTML report written beside a failing JUnit one"; grep -q "$G" "$tmp/ok.html" || fail "the HTML report was not written beside a failing JUnit one"
else
	skip "reports on /dev/full: no writable /dev/full"
fi

# A report path that is an input, directly, through a symlink, a hard link or
# -o over the evidence folder: refused before anything is written (64).
cp "$f" "$tmp/input.json"
ln -s "$tmp/input.json" "$tmp/input-link.json"
ln "$tmp/input.json" "$tmp/input-hard.json"
cp "$f" "$tmp/failing/junit.xml"
for c in "--junit $tmp/input.json" "--html $tmp/input.json" "--junit $tmp/input-link.json" \
	"--html $tmp/input-hard.json" "-o $tmp/failing"; do
	hostile $c "$tmp/input.json" "$tmp/failing"
	expect_rc 64 "report path $c is an input"
	expect_line "$tmp/err" "azure-contact-audit: error: report path is also an evidence input: refused" "report path $c is an input"
	check "report path $c is an input: nothing audited"; [ ! -s "$tmp/out" ] || fail "report path $c is an input: something was audited"
	check "report path $c is an input: the inputs are kept"; cmp -s "$f" "$tmp/input.json" && cmp -s "$f" "$tmp/failing/junit.xml" || fail "report path $c: an input was overwritten"
done
rm "$tmp/failing/junit.xml"

# ---- standard input closed: "-" is an error, the files named beside it
# are read from their own descriptors (the first may be descriptor 0).
${VALGRIND:-} "$AUDIT" "$f" - "$REST" <&- >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 2 "standard input closed"
expect_audited "standard input closed"
expect_line "$tmp/err" "azure-contact-audit: -: error: cannot open: Bad file descriptor" "standard input closed"

# ---- standard output ------------------------------------------------------------------
# Closed: the first file the audit opens may get descriptor 1; nothing
# meant for standard output may land in it, or in a report.
rm -rf "$tmp/rep"
${VALGRIND:-} "$AUDIT" -o "$tmp/rep" "$f" "$REST" >&- 2>"$tmp/err"
rc=$?
expect_rc 2 "standard output closed"
expect_err_text "cannot write to standard output: Bad file descriptor" "standard output closed"
expect_reports "$tmp/rep" "standard output closed"

if [ -w /dev/full ]; then
	rm -rf "$tmp/rep"
	${VALGRIND:-} "$AUDIT" -o "$tmp/rep" "$f" "$REST" >/dev/full 2>"$tmp/err"
	rc=$?
	expect_rc 2 "standard output on /dev/full"
	expect_err_text "cannot write to standard output: No space left on device" "standard output on /dev/full"
	expect_reports "$tmp/rep" "standard output on /dev/full"
else
	skip "standard output on /dev/full: no writable /dev/full"
fi

# A pipe whose reader is gone before the audit writes: SIGPIPE must not
# kill it. A FIFO opened read-write, then write-only, then the read side
# closed, is such a pipe, without any race.
mkfifo "$tmp/pipe"
exec 5<>"$tmp/pipe"
exec 6>"$tmp/pipe"
exec 5<&-
rm -rf "$tmp/rep"
${VALGRIND:-} "$AUDIT" -o "$tmp/rep" "$f" "$REST" >&6 2>"$tmp/err"
rc=$?
exec 6>&-
expect_rc 2 "pipe without a reader"
expect_err_text "cannot write to standard output: Broken pipe" "pipe without a reader"
expect_reports "$tmp/rep" "pipe without a reader"

# | head -1 over 5,000 subscriptions (more than a pipe holds): the audit
# outlives head, its later writes fail, it says so and exits 2.
d=$tmp/many
mkdir -p "$d"
awk 'BEGIN {
	printf "["
	for (i = 1; i <= 5000; i++)
		printf "%s{\"id\":\"/subscriptions/%08x-0000-4000-8000-%012x/providers/Microsoft.Security/securityContacts/default\",\"properties\":{\"emails\":\"secops@acme-corp.com\"}}\n", (i > 1 ? "," : ""), i, i
	printf "]\n"
}' >"$d/many.json"
cat "$f" >"$d/failing-$G.json"
rm -rf "$tmp/rep"
{ ${VALGRIND:-} "$AUDIT" -o "$tmp/rep" "$d" "$REST" 2>"$tmp/err"; echo $? >"$tmp/rc"; } | head -1 >"$tmp/out"
rc=$(cat "$tmp/rc")
expect_rc 2 "| head -1"
expect_line "$tmp/out" "PASS  00000001-0000-4000-8000-000000000001  1 deliverable address in contact 'default'" "| head -1: first line"
expect_err_text "cannot write to standard output: Broken pipe" "| head -1"
expect_reports "$tmp/rep" "| head -1"
check "| head -1: the last subscription is in junit.xml"
grep -q "00001388-0000-4000-8000-000000001388" "$tmp/rep/junit.xml" || fail "| head -1: the last subscription is missing from junit.xml"

finish
