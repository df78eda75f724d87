#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: the audit reads the collector's bag as it travels, one .tar.gz
# or .zip archive, and gives the same verdicts as for the bag's folder.
. "${srcdir:-.}/tests/lib.sh"
# shellcheck source=tests/collect-lib.sh
. "$srcdir/tests/collect-lib.sh"

for format in tar.gz zip; do
	rm -rf "$tmp/work/bag" "$tmp/work/bag.$format"
	collect dash -o bag --archive "$format"
	expect_rc 1 "--archive $format"
	run "$tmp/work/bag.$format"
	expect_main_verdicts "audit of bag.$format"
done
finish
