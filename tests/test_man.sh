#!/bin/sh
# SPDX-License-Identifier: ISC
# The man page: renders without warnings, lists every option of --help and
# every message of the diagnostics catalogue, and its EXAMPLE works as
# described (exit 2, both reports written).
. "${srcdir:-.}/tests/lib.sh"
page=${top_builddir:-.}/azure-contact-audit.1
if command -v groff >/dev/null 2>&1; then
	check "the man page renders without groff warnings"
	groff -man -Tutf8 -ww -z "$page" 2>"$tmp/groff.err"
	[ ! -s "$tmp/groff.err" ] || fail "groff warnings: $(head -c 400 "$tmp/groff.err")"
else
	skip "groff warnings: groff is not installed"
fi
run --help
for opt in $(grep -oE -- '--[a-z-]+' "$tmp/out" | sort -u); do
	check "option $opt of --help is in the man page"
	roff=$(printf '%s' "$opt" | sed 's/-/\\-/g')
	grep -qF -- "$roff" "$page" || fail "option $opt of --help is not in the man page"
done
# The page's text with each run of text lines (mandoc -Tlint keeps them
# under 80 bytes) joined into one line, as a reader sees it; a message's
# level stays a line of its own.
awk '/^[.\047]/ || /^\\fB(note|warning|error)\\fR$/ { if (text != "") print text; text = ""; print; next }
	{ text = text == "" ? $0 : text " " $0 }
	END { if (text != "") print text }' "$page" | sed 's/\\&//g' >"$tmp/page"
# Each catalogue entry (clang-format may split its string over lines) as
# "level<TAB>message".
tr '\n' ' ' <"$srcdir/src/diag.c" | sed 's/" \{1,\}"//g' |
	grep -oE '\{ DIAG_[A-Z]+, *"([^"\\]|\\.)*" \}' |
	sed -E 's/^\{ DIAG_([A-Z]+), *"(.*)" \}$/\1	\2/' |
	awk -F'\t' '{ print tolower($1) "\t" $2 }' |
	grep -v "$(printf '\t')\$" >"$tmp/messages"
[ "$(wc -l <"$tmp/messages")" -gt 30 ] || fail "too few messages found in src/diag.c"
# In the page each message follows its level: ".TP", "\fBlevel\fR", "\&message".
awk '/^(\\fB)?(note|warning|error)(\\fR)?$/ { level = $0; gsub(/\\fB|\\fR/, "", level); next }
	level != "" { print level "\t" $0; level = "" }' "$tmp/page" >"$tmp/page-levels"
while IFS="$(printf '\t')" read -r level msg; do
	checks=$((checks + 1))
	grep -qF -- "$msg" "$tmp/page" || { fail "message not in the man page DIAGNOSTICS: $msg"; continue; }
	checks=$((checks + 1))
	grep -qF -- "$level	$msg" "$tmp/page-levels" ||
		fail "the man page gives another level than the catalogue ($level) for: $msg"
done <"$tmp/messages"
# EXAMPLE: azure-contact-audit -o reports/out fixtures/bundle
fixtures=$(cd "$srcdir" && pwd)/fixtures
(cd "$tmp" && ln -s "$fixtures" fixtures && mkdir reports &&
	${VALGRIND:-} "$AUDIT" -o reports/out fixtures/bundle >/dev/null 2>&1; echo $? >rc)
rc=$(cat "$tmp/rc")
expect_rc 2 "the man page example"
check "the man page example writes both reports"; [ -s "$tmp/reports/out/junit.xml" ] && [ -s "$tmp/reports/out/report.html" ] || fail "example wrote no reports"
finish
