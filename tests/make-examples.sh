#!/bin/sh
# Builds the example reports of the sample bundle into OUT/reports/examples,
# running from a folder laid out like the source tree so that every path in
# the reports is relative and the same on every machine.
# Usage: make-examples.sh SRCDIR AUDIT OUT
set -eu
srcdir=$(cd "$1" && pwd)
audit=$2
out=$3
mkdir -p "$out/reports/examples"
[ -e "$out/fixtures" ] || ln -s "$srcdir/fixtures" "$out/fixtures"
cd "$out"
SOURCE_DATE_EPOCH=1767225600 "$audit" --junit reports/examples/junit.xml \
	--html reports/examples/report.html fixtures/bundle >/dev/null 2>&1 || true
[ -s reports/examples/junit.xml ] && [ -s reports/examples/report.html ]
