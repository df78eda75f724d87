#!/bin/sh
# SPDX-License-Identifier: ISC
# JUnit as CI dashboards count it: two consumers from npm (test-results-parser
# and junit-to-ctrf, pinned in tests/package.json, installed by .ci/run)
# read the reports of the fixtures and must report the totals of the Total
# line: tests, passed, failed, errors and skipped. SKIP where node or the
# modules are not installed.
. "${srcdir:-.}/tests/lib.sh"
cd "$srcdir" || exit 99
if ! command -v node >/dev/null 2>&1; then
	skip_all "node is not installed"
fi
if [ ! -d tests/node_modules/test-results-parser ] || [ ! -d tests/node_modules/junit-to-ctrf ]; then
	skip_all "the JUnit consumers are not installed (npm install --prefix tests)"
fi
export SOURCE_DATE_EPOCH=1767225600
printf '[{"subscription": "3fd65c5f-c586-49d2-adb2-0b8dc425eaed", "rule": "*", "reason": " ", "ticket": "T", "expires": "2099-12-31"}, 7]\n' >"$tmp/refused.json"

# consumers WHAT ARGS...: audits with ARGS, keeping case N's JUnit report in
# $tmp/jN.xml, its Total line in $tmp/totalN and WHAT in $tmp/whatN, for
# the one run of the consumers below (a node start costs more than a case).
n=0
consumers() {
	n=$((n + 1))
	printf '%s\n' "$1" >"$tmp/what$n"
	shift
	run --junit "$tmp/j$n.xml" "$@"
	tail -n 1 "$tmp/out" >"$tmp/total$n"
}

for dir in bundle shapes hostile compressed realistic; do
	consumers "fixtures/$dir" "fixtures/$dir"
	consumers "fixtures/$dir --rule all" --rule all "fixtures/$dir"
done
consumers "waivers" --waivers tests/data/waivers.json --subscriptions fixtures/shapes/inventory-rest.json fixtures/bundle
consumers "refused waivers" --waivers "$tmp/refused.json" --rule all fixtures/bundle
consumers "a file that cannot be opened" "$tmp/refused.json.none"
mkdir "$tmp/empty"
consumers "no evidence" "$tmp/empty"

# Every report that has a Total line, read in one run; then each case: a
# Total line, both consumers' counts and none that differs.
set --
i=1
while [ "$i" -le "$n" ]; do
	total=$(cat "$tmp/total$i")
	case $total in Total:*) set -- "$@" "$tmp/j$i.xml" "$total" ;; esac
	i=$((i + 1))
done
node tests/junit-consumers.mjs "$@" >"$tmp/said" 2>"$tmp/said.err"
i=1
while [ "$i" -le "$n" ]; do
	checks=$((checks + 1))
	what=$(cat "$tmp/what$i") total=$(cat "$tmp/total$i")
	awk -v p="$tmp/j$i.xml: " 'index($0, p) == 1 { print substr($0, length(p) + 1) }' "$tmp/said" >"$tmp/said$i"
	case $total in
	Total:*)
		if ! grep -q '^test-results-parser: ' "$tmp/said$i" || ! grep -q '^junit-to-ctrf: ' "$tmp/said$i" ||
			grep -qE '^(MISMATCH|ERROR): ' "$tmp/said$i"; then
			fail "$what: $(cat "$tmp/said$i" "$tmp/said.err") [$total]"
		fi
		;;
	*) fail "$what: no Total line" ;;
	esac
	i=$((i + 1))
done
# The counts above are the Total line's; make sure they are not all zero.
checks=$((checks + 1))
grep -q "^junit-to-ctrf: tests=[1-9]" "$tmp/said$n" || fail "the consumers counted nothing: $(cat "$tmp/said$n")"
finish
