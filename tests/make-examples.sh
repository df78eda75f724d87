#!/bin/sh
# SPDX-License-Identifier: ISC
# Builds the example reports of the sample bundle into OUT/reports/examples,
# running from a folder laid out like the source tree so that every path in
# the reports is relative and the same on every machine. With SHOT=1 it also
# takes the README's screenshot of the HTML report (report.png) in headless
# Chromium (Debian's chromium-headless-shell), which must then be installed.
# Usage: [SHOT=1] make-examples.sh SRCDIR AUDIT OUT
set -eu
srcdir=$(cd "$1" && pwd)
audit=$2
out=$3
mkdir -p "$out/reports/examples"
out=$(cd "$out" && pwd)
[ -e "$out/fixtures" ] || ln -s "$srcdir/fixtures" "$out/fixtures"
cd "$out"
SOURCE_DATE_EPOCH=1767225600 "$audit" --junit reports/examples/junit.xml \
	--html reports/examples/report.html fixtures/bundle >/dev/null 2>&1 || true
[ -s reports/examples/junit.xml ] && [ -s reports/examples/report.html ]
[ "${SHOT:-}" = 1 ] || exit 0
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
HOME=$profile chromium-headless-shell --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$profile/profile" --hide-scrollbars --window-size=1280,1800 \
	--screenshot="$out/reports/examples/report.png" "file://$out/reports/examples/report.html" \
	>/dev/null 2>&1
[ -s reports/examples/report.png ]
