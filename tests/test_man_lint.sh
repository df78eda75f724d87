#!/bin/sh
# SPDX-License-Identifier: ISC
# Every manual page the build makes: mandoc -Tlint reports nothing on it,
# and its .TH line carries the version and release date configure gave.
. "${srcdir:-.}/tests/lib.sh"
command -v mandoc >/dev/null 2>&1 || skip_all "mandoc is not installed (Debian package mandoc)"
version=$(${VALGRIND:-} "$AUDIT" --version | sed -n '1s/^azure-contact-audit //p')
for page in azure-contact-audit.1 azure-contact-audit-collect.1 azure-contact-audit.5; do
	path=${top_builddir:-.}/$page
	check "$page is built"
	[ -s "$path" ] || { fail "no $path"; continue; }
	check "$page: mandoc -Tlint says nothing"
	mandoc -Tlint "$path" >"$tmp/lint" 2>&1
	[ ! -s "$tmp/lint" ] || fail "$(cat "$tmp/lint")"
	check "$page: version and date from configure"
	sed 1q "$path" | grep -qE "^\.TH [A-Z0-9-]+ [158] [0-9]{4}-[0-9]{2}-[0-9]{2} \"azure-contact-audit $version\"" ||
		fail "its .TH line is: $(sed 1q "$path")"
	check "$page: no placeholder left"
	if grep -q '@[A-Z_]*@' "$path"; then fail "$(grep -n '@[A-Z_]*@' "$path" | head -3)"; fi
done
finish
