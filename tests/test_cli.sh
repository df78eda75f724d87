#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: the CLI contract (help, version, usage errors, exit
# statuses, missing files, empty folders).
. "${srcdir:-.}/tests/lib.sh"

run --help
expect_rc 0 "--help"
expect_line "$tmp/out" "Usage: azure-contact-audit [OPTION]... EVIDENCE..." "--help prints usage on stdout"
check "--help writes nothing to stderr"; [ ! -s "$tmp/err" ] || fail "--help wrote to stderr"

run --version
expect_rc 0 "--version"
checks=$((checks + 1))
[ "$(head -n 1 "$tmp/out")" = "azure-contact-audit 0.2.0" ] || fail "--version first line: $(head -n 1 "$tmp/out")"
expect_line "$tmp/out" "License ISC: see LICENSE (/usr/share/doc/azure-contact-audit/copyright when installed)." "--version names the license"
checks=$((checks + 1)); [ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "--version: $(wc -l <"$tmp/out") lines"

run --no-such-option "$FIX/bundle"
expect_rc 64 "unknown option"
expect_line "$tmp/err" "Usage: azure-contact-audit [OPTION]... EVIDENCE..." "usage on stderr"
check "unknown option writes nothing to stdout"; [ ! -s "$tmp/out" ] || fail "unknown option wrote to stdout"
expect_line "$tmp/err" "azure-contact-audit: error: unrecognized option: --no-such-option" "unknown option message"
run "$FIX/bundle" --junit
expect_rc 64 "option without its argument"
expect_line "$tmp/err" "azure-contact-audit: error: option needs an argument: --junit" "missing argument message"

# The command line in the reports can be run again as written.
run --html "$tmp/a b's.html" "$FIX/shapes/az-show.json"
expect_rc 0 "report path with a space and a quote"
check "command line quoted in the report"
grep -qF -- "azure-contact-audit --html '$tmp/a b'\\''s.html' $FIX/shapes/az-show.json" "$tmp/a b's.html" ||
	fail "command line not quoted in the report: $(grep -o 'azure-contact-audit --html[^<]*' "$tmp/a b's.html" | head -1)"

run
expect_rc 64 "no evidence argument"
expect_line "$tmp/err" "azure-contact-audit: error: no EVIDENCE given" "no evidence argument message"

run --benchmark 9.9.9 "$FIX/bundle"
expect_rc 64 "unknown edition"

mkdir "$tmp/empty"
run "$tmp/empty"
expect_rc 2 "empty folder"
expect_line "$tmp/err" "azure-contact-audit: error: no evidence found" "empty folder message"

# A missing file is reported with its name; the other inputs are still audited.
good=$FIX/shapes/rest-2023-get.json
run "$tmp/missing.json" "$good"
expect_rc 2 "missing file"
expect_line "$tmp/err" "azure-contact-audit: $tmp/missing.json: error: cannot open: No such file or directory" "missing file message"
check "missing file: the readable file is still audited"; grep -q '^PASS  ' "$tmp/out" || fail "the readable file was not audited: $(cat "$tmp/out")"

# A passing file alone exits 0; -q prints only the summary.
run -q "$good"
expect_rc 0 "one passing file"
checks=$((checks + 1)); [ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "-q printed more than one line"
expect_line "$tmp/out" "Total: 1 subscription: 1 PASS, 0 FAIL, 0 ERROR, 0 WAIVED; 1 evidence file, 0 unreadable" "-q summary"

# Reading standard input.
${VALGRIND:-} "$AUDIT" - <"$FIX/shapes/rest-2023-get.json" >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_rc 0 "standard input"

# A report path that is also an input is refused.
cp "$good" "$tmp/in.json"
run --junit "$tmp/in.json" "$tmp/in.json"
expect_rc 64 "report path equal to input"
expect_line "$tmp/err" "azure-contact-audit: error: report path is also an evidence input: refused" "refusal message"
check "report path equal to input: the input is kept"; cmp -s "$good" "$tmp/in.json" || fail "the input was overwritten"

# A report in a missing folder is an error, and no partial file remains.
run --junit "$tmp/nope/junit.xml" "$good"
expect_rc 2 "report in missing folder"
check "report in missing folder message"; grep -q "cannot write report" "$tmp/err" || fail "missing-folder report message: $(cat "$tmp/err")"

# /dev/full: the write fails, exit 2, nothing left behind.
if [ -w /dev/full ]; then
	run --junit /dev/full "$good"
	expect_rc 2 "report on /dev/full"
else
	skip "report on /dev/full: no writable /dev/full"
fi

# A broken pipe is reported, not a silent death.
( ${VALGRIND:-} "$AUDIT" "$FIX/bundle" 2>"$tmp/err"; echo $? >"$tmp/rc" ) | head -c 1 >/dev/null
rc=$(cat "$tmp/rc")
expect_rc 2 "stdout closed early"

# Out of memory is an internal error (exit 70) with a message, never a
# crash or a partial verdict: 450,000 subscriptions under a 70 MB address
# space. Unlimited they take 91 MB resident in the static program, which
# needs under 6 MB of address space to start; the dynamic one needs 43 MB
# (its libraries) and runs out sooner. Not under valgrind or ASan, which need
# the address space themselves.
if [ -z "${VALGRIND:-}" ] && ! ldd "$AUDIT" 2>/dev/null | grep -q 'lib[a-z]*san'; then
	awk 'BEGIN { printf "["; for (i = 0; i < 450000; i++) printf "%s{\"id\":\"/subscriptions/%08x-0000-4000-8000-000000000000/providers/Microsoft.Security/securityContacts/default\",\"properties\":{\"emails\":\"soc@acme-corp.com\"}}", i ? "," : "", i; print "]" }' >"$tmp/big.json"
	# shellcheck disable=SC3045 # dash and bash, the shells the tests run in, have ulimit -v
	(ulimit -v 70000 && exec "$AUDIT" -q "$tmp/big.json") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_rc 70 "out of memory"
	expect_line "$tmp/err" "azure-contact-audit: internal error: out of memory" "out of memory message"
	rm -f "$tmp/big.json"
else
	skip "out of memory: valgrind and the sanitizers need the address space themselves"
fi
finish
