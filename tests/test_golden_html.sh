#!/bin/sh
# SPDX-License-Identifier: ISC
# Golden HTML: the report of each fixture set, with the time pinned by
# SOURCE_DATE_EPOCH and every path relative (run from a folder where
# fixtures links to the source's). A golden holds what changes from page to
# page, not what every page shares: the <title> line and the <body>, less
# the control's prose (reports/control.html) and its editions table (one
# marker line instead); the head, the stylesheet and the prose are checked
# by test_html.sh. The sample bundle's page is committed once, as
# reports/examples/report.html (test_examples.sh): its --redact and --rule
# all variants are goldens of how they differ from it.
# After an intended change to the page, rewrite them with
#   UPDATE_GOLDEN=1 make check TESTS=tests/test_golden_html.sh
# and read the diff before committing it.
. "${srcdir:-.}/tests/lib.sh"

case $AUDIT in /*) ;; *) AUDIT=$(pwd)/$AUDIT ;; esac
src=$(cd "$srcdir" && pwd)
golden=$src/tests/golden
mkdir "$tmp/run" && ln -s "$src/fixtures" "$tmp/run/fixtures" || exit 99

# region PAGE: the title line and the body of PAGE, less what every page of
# an edition shares: the control's prose and its editions table, from its
# heading to the waivers, become one line.
region() {
	awk '
		/^<title>/ { print; next }
		/^<body>$/ { body = 1 }
		!body { next }
		/^<div class="waivers"/ { skip = 0 }
		skip { next }
		{ print }
		/^<h2>The control: / { print "<!-- reports/control.html, the editions table -->"; skip = 1 }
		/^<\/body>$/ { exit }
	' "$1"
}

# page NAME EXIT ARG...: the report of ARG..., its region in $tmp/NAME.region.
page() {
	name=$1 want=$2
	shift 2
	(cd "$tmp/run" && SOURCE_DATE_EPOCH=1767225600 ${VALGRIND:-} "$AUDIT" --html "$name.html" "$@" \
		>"$tmp/out" 2>"$tmp/err")
	rc=$?
	expect_rc "$want" "$name"
	region "$tmp/run/$name.html" >"$tmp/$name.region"
	checks=$((checks + 1))
	grep -q '^<div class="waivers"' "$tmp/$name.region" || fail "$name: no waivers after the control"
}

# compare NAME GOLDEN FILE: FILE must equal tests/golden/GOLDEN.
compare() {
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$3" "$golden/$2"
		echo "updated tests/golden/$2"
	fi
	checks=$((checks + 1))
	diff -u "$golden/$2" "$3" >"$tmp/diff" ||
		fail "$1: the page differs from tests/golden/$2: $(head -40 "$tmp/diff")"
}

for name in hostile shapes; do
	page "$name" 2 "fixtures/$name"
	compare "$name" "report-$name.html" "$tmp/$name.region"
done

# The variants of the sample bundle, as a diff from its committed page.
region "$src/reports/examples/report.html" >"$tmp/example.region"
checks=$((checks + 1))
grep -q '^<title>ERROR | fixtures/bundle (15 evidence files) | 2026-01-01 | ' "$tmp/example.region" ||
	fail "reports/examples/report.html is not the page of fixtures/bundle"
variant() {
	name=$1
	shift
	page "$name" 2 "$@"
	diff -u --label reports/examples/report.html --label "$name" "$tmp/example.region" \
		"$tmp/$name.region" >"$tmp/$name.diff"
	compare "$name" "report-$name.diff" "$tmp/$name.diff"
}
variant bundle-redact --redact fixtures/bundle
variant bundle-all-rules --rule all --benchmark 3.0.0 fixtures/bundle
finish
