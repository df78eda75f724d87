#!/bin/sh
# SPDX-License-Identifier: ISC
# The license travels with the program: LICENSE is the ISC license of "The
# azure-contact-audit authors", --version names it, every source file
# carries its SPDX identifier and every manual page a LICENSE section.
. "${srcdir:-.}/tests/lib.sh"
check "LICENSE is the ISC license"
grep -q '^Copyright (c) [0-9]* The azure-contact-audit authors$' "$srcdir/LICENSE" &&
	grep -q '^Permission to use, copy, modify, and distribute this software for any$' "$srcdir/LICENSE" &&
	grep -q 'THE SOFTWARE IS PROVIDED "AS IS"' "$srcdir/LICENSE" || fail "$(head -5 "$srcdir/LICENSE")"
run --version
check "--version names the license"
sed -n 2p "$tmp/out" | grep -q '^License ISC' || fail "--version says: $(cat "$tmp/out")"
for f in "$srcdir"/src/*.c "$srcdir"/src/*.h "$srcdir"/src/*.in "$srcdir"/src/*.sh "$srcdir"/src/*.awk \
	"$srcdir"/tests/*.c "$srcdir"/tests/*.h "$srcdir"/tests/*.sh "$srcdir"/tests/*.py "$srcdir"/tests/*.js \
	"$srcdir"/tests/*.mjs "$srcdir"/tests/fuzz/*.c "$srcdir"/tests/fuzz/*.h "$srcdir"/tests/fuzz/*.sh \
	"$srcdir"/tests/bench/*.c "$srcdir"/tests/bench/*.py "$srcdir"/configure.ac "$srcdir"/Makefile.am \
	"$srcdir"/*.[15].in; do
	case $f in
	*/src/address-*.h | */src/style-css.h | */src/control-html.h) continue ;; # made by the build
	esac
	[ -f "$f" ] || continue
	check "SPDX identifier in ${f#"$srcdir"/}"
	head -3 "$f" | grep -q 'SPDX-License-Identifier: ISC' || fail "no SPDX-License-Identifier: ISC in its first lines"
done
for page in azure-contact-audit.1 azure-contact-audit-collect.1 azure-contact-audit.5; do
	check "$page has a LICENSE section naming ISC"
	sed -n '/^\.SH LICENSE/,/^\.SH/p' "${top_builddir:-.}/$page" | grep -q 'ISC' || fail "no LICENSE section"
done
finish
