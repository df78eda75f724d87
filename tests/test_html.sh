#!/bin/sh
# End-to-end: the HTML report is one self-contained page (no script, no URL
# a browser would fetch, a CSP), and hostile evidence stays text.
. "${srcdir:-.}/tests/lib.sh"
command -v xmllint >/dev/null 2>&1 || { echo "xmllint missing"; exit 77; }

export SOURCE_DATE_EPOCH=1767225600
run --html "$tmp/h.html" "$FIX/hostile" "$FIX/bundle"
page=$tmp/h.html
checks=$((checks + 1)); [ -s "$page" ] || { fail "no HTML report (exit $rc)"; finish; }
checks=$((checks + 1)); head -c 15 "$page" | grep -qx '<!DOCTYPE html>' || fail "no HTML5 doctype"
xpath() { xmllint --html --xpath "$1" "$page" 2>/dev/null; }
checks=$((checks + 1)); [ "$(xpath 'count(//script)')" = 0 ] || fail "a script element was injected"
checks=$((checks + 1)); [ "$(xpath 'count(//img)')" = 0 ] || fail "an img element was injected"
checks=$((checks + 1)); [ "$(xpath 'count(//*[@src or @href])')" = 0 ] || fail "an element with src/href"
checks=$((checks + 1)); [ "$(xpath 'count(//@*[starts-with(name(), "on")])')" = 0 ] || fail "an event attribute"
checks=$((checks + 1)); xpath 'string(/html/head/meta[1]/@content)' | grep -q "^default-src 'none'" || fail "CSP meta not first"
checks=$((checks + 1)); [ "$(xpath 'string(/html/@lang)')" = en ] || fail "lang"
# The hostile address is shown as text.
checks=$((checks + 1)); xpath 'string(//body)' | grep -qF '"><script>alert(1)</script>' || fail "hostile address not shown as text"
# Findings come before passes; the passes are collapsed.
checks=$((checks + 1)); [ "$(xpath 'count(//details//tr[@class="pass"])')" -gt 0 ] || fail "passes not in details"
# The CSP names the hash of the one inline stylesheet: a stale hash would
# leave the page unstyled, and nothing else would notice.
if command -v openssl >/dev/null 2>&1; then
	checks=$((checks + 1))
	want=$(sed -n 's/.*style-src .sha256-\([A-Za-z0-9+\/=]*\).*/\1/p' "$page" | head -1)
	got=$(awk 'BEGIN { RS = "</style>" } NR == 1 { i = index($0, "<style>"); printf "%s", substr($0, i + 7) }' "$page" |
		openssl dgst -sha256 -binary | openssl base64 -A)
	[ -n "$want" ] && [ "$want" = "$got" ] || fail "CSP style hash $want, but the stylesheet hashes to $got"
else
	echo "no openssl: CSP hash check skipped"
fi
# A file that holds an API error body says so in its manifest row.
checks=$((checks + 1))
xpath 'string(//section[@id="manifest"]/table/tbody/tr[td[2][contains(., "fe0a6992-798a-43b8-8c4c-c93e6ab48a29")]]/td[last()])' |
	grep -q "^API error AuthorizationFailed: The client" || fail "the API error file's manifest row has no note"
# Every input file is in the manifest.
files=$(find "$FIX/hostile" "$FIX/bundle" -type f | wc -l)
checks=$((checks + 1)); rows=$(xpath 'count(//section[@id="manifest"]/table/tbody/tr)')
[ "$rows" = "$files" ] || fail "manifest has $rows rows for $files files"
finish
