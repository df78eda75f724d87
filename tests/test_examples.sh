#!/bin/sh
# SPDX-License-Identifier: ISC
# The example reports committed in reports/examples/ must be what the
# current build writes for fixtures/bundle: this fails when they are stale
# (refresh them with `make examples`).
. "${srcdir:-.}/tests/lib.sh"
check "the examples can be built"
sh "$srcdir/tests/make-examples.sh" "$srcdir" "$AUDIT" "$tmp/x" || fail "could not build the examples"
for f in junit.xml report.html; do
	check "reports/examples/$f is up to date"
	cmp -s "$srcdir/reports/examples/$f" "$tmp/x/reports/examples/$f" ||
		fail "reports/examples/$f is stale: run 'make examples' and commit it"
done
finish
