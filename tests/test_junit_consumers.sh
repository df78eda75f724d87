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

# consumers WHAT ARGS...: audits with ARGS and checks the JUnit report.
consumers() {
	what=$1
	shift
	run --junit "$tmp/j.xml" "$@"
	checks=$((checks + 1))
	total=$(tail -n 1 "$tmp/out")
	case $total in
	Total:*) ;;
	*) fail "$what: no Total line"; return ;;
	esac
	node tests/junit-consumers.mjs "$tmp/j.xml" "$total" >"$tmp/said" 2>&1 ||
		fail "$what: $(cat "$tmp/said") [$total]"
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
# The counts above are the Total line's; make sure they are not all zero.
checks=$((checks + 1))
grep -q "^junit-to-ctrf: tests=[1-9]" "$tmp/said" || fail "the consumers counted nothing: $(cat "$tmp/said")"
finish
