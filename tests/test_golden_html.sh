#!/bin/sh
# Golden HTML: the report of each fixture set, with the time pinned by
# SOURCE_DATE_EPOCH and every path relative (run from a folder where
# fixtures links to the source's), must equal tests/golden/report-NAME.html
# byte for byte. After an intended change to the page, rewrite them with
#   UPDATE_GOLDEN=1 make check TESTS=tests/test_golden_html.sh
# and read the diff before committing it.
. "${srcdir:-.}/tests/lib.sh"

case $AUDIT in /*) ;; *) AUDIT=$(pwd)/$AUDIT ;; esac
golden=$(cd "$srcdir" && pwd)/tests/golden
mkdir "$tmp/run" && ln -s "$(cd "$srcdir" && pwd)/fixtures" "$tmp/run/fixtures" || exit 99

# golden NAME EXIT ARG...: the report of ARG... against report-NAME.html.
golden() {
	name=$1 want=$2
	shift 2
	(cd "$tmp/run" && SOURCE_DATE_EPOCH=1767225600 ${VALGRIND:-} "$AUDIT" --html "$name.html" "$@" \
		>"$tmp/out" 2>"$tmp/err")
	rc=$?
	expect_rc "$want" "$name"
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$tmp/run/$name.html" "$golden/report-$name.html"
		echo "updated tests/golden/report-$name.html"
	fi
	checks=$((checks + 1))
	diff -u "$golden/report-$name.html" "$tmp/run/$name.html" >"$tmp/diff" ||
		fail "$name: the HTML report differs from tests/golden/report-$name.html: $(head -40 "$tmp/diff")"
}

golden hostile 2 fixtures/hostile
golden shapes 2 fixtures/shapes
golden bundle-redact 2 --redact fixtures/bundle
golden bundle-all-rules 2 --rule all --benchmark 3.0.0 fixtures/bundle
finish
