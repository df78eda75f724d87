#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: the HTML report is one self-contained page (no script, no URL
# a browser would fetch, a CSP naming its one stylesheet), hostile evidence
# stays text, and the page is an index of itself: every subscription and
# file has a stable id, every subscription that is not PASS is in the
# summary table with a link to its finding, every finding links to its
# evidence in the manifest, and the title names result, bundle and date.
. "${srcdir:-.}/tests/lib.sh"
command -v xmllint >/dev/null 2>&1 || skip_all "xmllint missing"
command -v openssl >/dev/null 2>&1 || skip_all "openssl missing (for the CSP hash)"

export SOURCE_DATE_EPOCH=1767225600
run --html "$tmp/h.html" "$FIX/hostile" "$FIX/bundle"
mv "$tmp/out" "$tmp/main.out"
page=$tmp/h.html
files=$(find "$FIX/hostile" "$FIX/bundle" -type f | wc -l)
checks=$((checks + 1)); [ -s "$page" ] || { fail "no HTML report (exit $rc)"; finish; }
checks=$((checks + 1)); head -c 15 "$page" | grep -qx '<!DOCTYPE html>' || fail "no HTML5 doctype"
# Every element is closed and every text escaped: XML's strict parser reads it.
checks=$((checks + 1)); xmllint --noout "$page" 2>"$tmp/xml.err" || fail "not well-formed: $(head -3 "$tmp/xml.err")"
xpath() { xmllint --html --xpath "$1" "$page" 2>/dev/null; }
checks=$((checks + 1)); [ "$(xpath 'count(//script)')" = 0 ] || fail "a script element was injected"
checks=$((checks + 1)); [ "$(xpath 'count(//img)')" = 0 ] || fail "an img element was injected"
checks=$((checks + 1)); [ "$(xpath 'count(//*[@src])')" = 0 ] || fail "an element with src"
checks=$((checks + 1)); [ "$(xpath 'count(//@href[not(starts-with(., "#"))])')" = 0 ] || fail "a link out of the page"
checks=$((checks + 1)); [ "$(xpath 'count(//@*[starts-with(name(), "on")])')" = 0 ] || fail "an event attribute"
checks=$((checks + 1)); xpath 'string(/html/head/meta[1]/@content)' | grep -q "^default-src 'none'" || fail "CSP meta not first"
checks=$((checks + 1)); [ "$(xpath 'string(/html/@lang)')" = en ] || fail "lang"
# The hostile address is shown as text.
checks=$((checks + 1)); xpath 'string(//body)' | grep -qF '"><script>alert(1)</script>' || fail "hostile address not shown as text"
# The CSP names the hash of the one inline stylesheet: a stale hash would
# leave the page unstyled, and nothing else would notice.
checks=$((checks + 1))
want=$(sed -n 's/.*style-src .sha256-\([A-Za-z0-9+\/=]*\).*/\1/p' "$page" | head -1)
got=$(awk 'BEGIN { RS = "</style>" } NR == 1 { i = index($0, "<style>"); printf "%s", substr($0, i + 7) }' "$page" |
	openssl dgst -sha256 -binary | openssl base64 -A)
[ -n "$want" ] && [ "$want" = "$got" ] || fail "CSP style hash $want, but the stylesheet hashes to $got"
# The control's prose is embedded whole and is well-formed markup.
checks=$((checks + 1))
{ echo '<div>'; cat "$srcdir/reports/control.html"; echo '</div>'; } | xmllint --noout - 2>/dev/null ||
	fail "reports/control.html is not well-formed"
checks=$((checks + 1))
xpath 'string(//section[@id="control"]/h3[1])' | grep -qx 'What it checks' || fail "the control's prose is not in the page"

# The title and the header: result, bundle, tenant slot, date.
checks=$((checks + 1))
[ "$(xpath 'string(//title)')" = "ERROR | $FIX ($files evidence files) | 2026-01-01 | Azure security contact audit, CIS 1.5.0 2.3.2" ] ||
	fail "title: $(xpath 'string(//title)')"
for term in Bundle Tenant Generated; do
	checks=$((checks + 1))
	[ -n "$(xpath "string(//header//dt[. = '$term']/following-sibling::dd[1])")" ] || fail "no $term in the header"
done
one=$FIX/shapes/az-show.json
run --html "$tmp/one.html" "$one"
sha=$(sha256sum <"$one" | cut -c1-12)
checks=$((checks + 1))
xmllint --html --xpath 'string(//title)' "$tmp/one.html" 2>/dev/null | grep -qx "PASS | $one, SHA-256 $sha | 2026-01-01 | .*" ||
	fail "one file's title lacks its name and SHA-256 prefix: $(xmllint --html --xpath 'string(//title)' "$tmp/one.html" 2>/dev/null)"

# Ids: one element per subscription (sub-GUID) and per file (file-N), none twice.
# Every id of the page with the number of elements that have it, "N ID" a line.
id_counts=$("$XPATH_ROWS" --html "$page" '//@id' | sort | uniq -c | sed 's/^ *//')
# one_element ID: exactly one element has id ID.
one_element() {
	case "$tap_nl$id_counts$tap_nl" in
	*"${tap_nl}1 $1$tap_nl"*) return 0 ;;
	esac
	return 1
}
checks=$((checks + 1))
dups=$(printf '%s\n' "$id_counts" | sed -n '/^1 /!s/^[0-9]* //p')
[ -n "$id_counts" ] && [ -z "$dups" ] || fail "ids used twice (or none): $dups"
awk '{ print $2 }' "$tmp/main.out" | grep -E '^[0-9a-f-]{36}$' | sort -u >"$tmp/subs"
checks=$((checks + 1)); [ -s "$tmp/subs" ] || fail "no subscription on standard output"
while read -r sub; do
	checks=$((checks + 1))
	one_element "sub-$sub" || fail "no element with id sub-$sub"
done <"$tmp/subs"
checks=$((checks + 1)); rows=$(xpath 'count(//section[@id="manifest"]/table/tbody/tr)')
[ "$rows" = "$files" ] || fail "manifest has $rows rows for $files files"
checks=$((checks + 1))
[ "$(xpath 'count(//section[@id="manifest"]/table/tbody/tr[@id = concat("file-", td[1])])')" = "$files" ] ||
	fail "manifest rows without their id file-N"
# Every link has one target.
"$XPATH_ROWS" --html "$page" '//a/@href' | sed 's/^#//' | sort -u >"$tmp/targets"
checks=$((checks + 1)); [ -s "$tmp/targets" ] || fail "no link in the page"
while read -r id; do
	checks=$((checks + 1))
	one_element "$id" || fail "a link to #$id, which is not one element"
done <"$tmp/targets"

# The summary: every FAIL and ERROR line of standard output is one row of
# the attention table, with the same status and reason, linking to its
# finding; the groups' counts add up to the rows.
grep -E '^(FAIL|ERROR)  ' "$tmp/main.out" | xpath_escaped | sort >"$tmp/out-findings"
n=$(wc -l <"$tmp/out-findings")
checks=$((checks + 1)); [ "$n" -gt 5 ] || fail "only $n findings on standard output"
att='//table[contains(@class, "attention")]/tbody/tr[not(@class)]'
checks=$((checks + 1)); [ "$(xpath "count($att)")" = "$n" ] || fail "$(xpath "count($att)") summary rows for $n findings"
i=1
: >"$tmp/summary"
"$XPATH_ROWS" --html "$page" "$att" td[1] td[2] td[3] td[4] td[2]/a/@href >"$tmp/rows"
while IFS= read -r row; do
	next_cell; status=$cell
	next_cell; sub=$cell
	# A verdict line names the subscription's display name, when known, in
	# parentheses after its id.
	next_cell; name=$cell
	next_cell; reason=$cell
	next_cell; href=$cell
	printf '%s  %s  %s%s\n' "$status" "$sub" "${name:+($name)  }" "$reason" >>"$tmp/summary"
	checks=$((checks + 1))
	[ "$href" = "#sub-$sub" ] || fail "summary row $i does not link to its finding"
	i=$((i + 1))
done <"$tmp/rows"
sort -o "$tmp/summary" "$tmp/summary"
checks=$((checks + 1))
diff -u "$tmp/out-findings" "$tmp/summary" >&2 || fail "the summary table differs from the verdict lines"
checks=$((checks + 1))
total=$(xpath '//table[contains(@class, "attention")]//tr[@class="group"]/th' | sed -n 's/.*(\([0-9]*\))<\/th>$/\1/p' | awk '{ s += $1 } END { print s }')
[ "$total" = "$n" ] || fail "the groups count $total subscriptions, not $n"
# The same group, "not an email address", holds both of its subscriptions.
checks=$((checks + 1))
xpath '//table[contains(@class, "attention")]//tr[@class="group"]/th' | grep -qF '>not an email address (2)</th>' ||
	fail "no group 'not an email address (2)'"
# Within a group the rows are in subscription order.
checks=$((checks + 1))
xpath '//table[contains(@class, "attention")]/tbody/tr/th | //table[contains(@class, "attention")]/tbody/tr/td[2]/a' |
	sed -n 's/^<th.*/--/p; s/^<a [^>]*>\(.*\)<\/a>$/\1/p' >"$tmp/order"
awk '$0 == "--" { prev = ""; next } prev != "" && $0 < prev { bad = 1 } { prev = $0 } END { exit bad }' "$tmp/order" ||
	fail "summary rows out of order within a group: $(tr '\n' ' ' <"$tmp/order")"
# Every finding's evidence links go to the manifest.
checks=$((checks + 1))
finding='//tbody[contains(concat(" ", @class, " "), " finding ")]'
[ "$(xpath "count($finding)")" = "$n" ] || fail "$(xpath "count($finding)") findings for $n verdicts"
checks=$((checks + 1))
[ "$(xpath "count($finding//a[not(starts-with(@href, '#file-'))])")" = 0 ] ||
	fail "a finding links elsewhere than to a manifest row"
checks=$((checks + 1))
[ "$(xpath "count(${finding}[tr[2] or .//ul][not(.//a)])")" = 0 ] ||
	fail "a finding with evidence but no link to it"

# Passing subscriptions are listed in full, never in a closed <details>.
checks=$((checks + 1)); [ "$(xpath 'count(//section[@id="passes"]/table/tbody/tr)')" -gt 0 ] || fail "no passing rows"
checks=$((checks + 1)); [ "$(xpath 'count(//details[not(@open)])')" = 0 ] || fail "a closed details element"
# A file that holds an API error body says so in its manifest row.
check "the API error file's manifest row has its note"
xpath 'string(//section[@id="manifest"]/table/tbody/tr[td[2][contains(., "fe0a6992-798a-43b8-8c4c-c93e6ab48a29")]]/td[last()])' |
	grep -q "^API error AuthorizationFailed: The client" || fail "the API error file's manifest row has no note"
# The sha256sum lines are in a box sized for the longest of them.
checks=$((checks + 1))
width=$(xpath 'string(//pre[@class="sha256sum"])' | awk '{ if (length > w) w = length } END { print w }')
cls=$(xpath 'string(//pre[@class="sha256sum"]/../@class)')
cols=${cls#sums cols-}
[ "$cols" -ge "$width" ] && grep -q "^  \.cols-$cols pre\.sha256sum " "$srcdir/reports/style.css" ||
	fail "sha256sum lines $width wide in a box of class '$cls'"
# Refused waiver entries: listed with where and why, counted in the overall
# reason, and no waiver applied from them.
cat >"$tmp/refused.json" <<'JSON'
[{"subscription": "3fd65c5f-c586-49d2-adb2-0b8dc425eaed", "rule": "*", "reason": "", "ticket": "CHG-1", "expires": "2099-12-31"},
 {"subscription": "e413be40-ded3-45c8-8302-9fbb74439ff6", "rule": "*", "reason": "accepted", "ticket": "CHG-2", "expires": "2099-12-31"}]
JSON
run --waivers "$tmp/refused.json" --html "$tmp/refused.html" "$FIX/bundle"
expect_rc 2 "a refused waiver"
page=$tmp/refused.html
refusals='//table[contains(@class, "waiver-refusals")]/tbody/tr'
checks=$((checks + 1))
[ "$(xpath "count($refusals)")" = 1 ] || fail "$(xpath "count($refusals)") rows of refused waivers, not 1"
checks=$((checks + 1))
got="$(xpath "string($refusals/td[1])")|$(xpath "string($refusals/td[2])")|$(xpath "string($refusals/td[4])")"
[ "$got" = "1|1:2|CHG-1" ] || fail "the refused entry's number, place and ticket: $got"
checks=$((checks + 1))
xpath "string($refusals/td[5])" | grep -q "reason" || fail "why the entry was refused: $(xpath "string($refusals/td[5])")"
checks=$((checks + 1))
xpath 'string(//p[@class="overall-why"])' | grep -qF ' and 1 waiver error (see Waivers)' ||
	fail "the overall reason does not count the waiver error: $(xpath 'string(//p[@class="overall-why"])')"
expect_line "$tmp/out" "WAIVED  e413be40-ded3-45c8-8302-9fbb74439ff6  (Contoso Test)  waived by CHG-2 until 2099-12-31: accepted (was FAIL: emails is null)" "the valid entry applies"
expect_line "$tmp/out" "FAIL  3fd65c5f-c586-49d2-adb2-0b8dc425eaed  (Contoso Dev)  emails is empty" "the refused entry does not"
finish
