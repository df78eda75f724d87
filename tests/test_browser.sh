#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end in a real browser: headless Chromium renders the HTML report of
# fixtures/bundle with fixtures/hostile and a skipped file, and of a generated
# bundle of 150 subscriptions of which 10% fail (a long page: 196 table
# rows, 20 pages of A4). Its rows repeat the generator's few shapes (a
# contact with no address, one with two at each of three domains), numbered
# with one to three digits, so more subscriptions would add layout time and
# no new row to check.
#  1. The rendered DOM shows the verdicts of standard output, hostile
#     evidence only as text with no element injected, and the page requests
#     nothing (net log).
#  2. Laid out 360, 768 and 1400 px wide and on A4 and Letter paper: no two
#     text boxes of a table row overlap, no text leaves its cell, no status
#     badge breaks across lines, no page is wider than its window or paper,
#     and on paper no digest or sha256sum line is broken.
#  3. Printed to PDF (as chromium --print-to-pdf prints it, and on A4 and
#     Letter), the sha256sum lines that pdftotext -layout reads out of it
#     verify with sha256sum -c, and every file's digest is there whole.
# Chromium does all of it in one browser, both pages at once, in one run of
# tests/browser.js, through playwright-core. The browser is Debian's
# chromium-headless-shell: the same Blink layout and printing as chromium,
# without the full browser's start-up (2.2 s of CPU less here).
# Screenshots (tests/browser-report*.png: a phone, a desktop, the long page
# on the desktop and the first PDF page) and the PDFs are left in the build
# folder for people to look at.
# Skipped (77) without chromium-headless-shell, node and playwright-core
# (tests/package.json), pdftotext, xmllint or python3: `.ci/setup --test`
# installs them.
. "${srcdir:-.}/tests/lib.sh"
src=$(cd "$srcdir" && pwd)
for tool in chromium-headless-shell node pdftotext pdftoppm xmllint "$PYTHON3" sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not installed"
done
[ -d "$src/tests/node_modules/playwright-core" ] ||
	skip_all "playwright-core not installed in tests/node_modules (sh .ci/setup --test)"

case $AUDIT in /*) ;; *) AUDIT=$(pwd)/$AUDIT ;; esac
build=$(cd "${top_builddir:-.}" && pwd)
shots=$build/tests/browser-report
mkdir -p "$build/tests"
limit=
command -v timeout >/dev/null 2>&1 && limit="timeout 300"

# Paths in the reports are relative, as in an auditor's run.
mkdir "$tmp/run" && ln -s "$src/fixtures" "$tmp/run/fixtures" || exit 99
"$PYTHON3" "$src/tests/bench/gen.py" subs 150 "$tmp/run/subs-150.json" >"$tmp/gen.out" || exit 99
# A file met in a folder and skipped: its SKIPPED badge is the widest.
mkdir "$tmp/run/extra" && echo notes >"$tmp/run/extra/notes.txt" || exit 99
(cd "$tmp/run" && SOURCE_DATE_EPOCH=1767225600 ${VALGRIND:-} "$AUDIT" --html report.html \
	fixtures/bundle fixtures/hostile extra >"$tmp/out" 2>"$tmp/err")
rc=$?
expect_rc 2 "audit of fixtures/bundle, fixtures/hostile and a skipped file"
checks=$((checks + 1))
grep -q 'status-SKIPPED">SKIPPED<' "$tmp/run/report.html" || fail "no SKIPPED file in the page"
(cd "$tmp/run" && SOURCE_DATE_EPOCH=1767225600 ${VALGRIND:-} "$AUDIT" --html big.html subs-150.json \
	>"$tmp/big.out" 2>"$tmp/big.err")
rc=$?
expect_rc 1 "audit of 150 subscriptions"
expect_line "$tmp/big.out" "Total: 150 subscriptions: 135 PASS, 15 FAIL, 0 ERROR, 0 WAIVED; 1 evidence file, 0 unreadable" \
	"the 150-subscription bundle"
page=$tmp/run/report.html
checks=$((checks + 1)); [ -s "$page" ] && [ -s "$tmp/run/big.html" ] || { fail "no HTML report"; finish; }

# ---- Chromium: both pages and the probe page of the net log check -------------
# Host names resolve to nothing there (tests/browser.js), and a page's
# requests are still started and logged, which is what the net log check
# relies on: a probe page loaded in the same browser makes one, to a URL no
# report can know, and shows that the check sees it.
probe_url=http://127.0.0.1:9/probe-$$-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n').png
printf '<!DOCTYPE html><title>probe</title><img src="%s">\n' "$probe_url" >"$tmp/probe.html"
HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache NODE_PATH=$src/tests/node_modules $limit \
	node "$src/tests/browser.js" "$tmp/net.json" --probe "$tmp/probe.html" \
	"$page" "$shots" --shot 360 --shot 1400 --dom "$tmp/dom.html" --print "$tmp/report.pdf" --pdf \
	"$tmp/run/big.html" "$shots-long" --shot 1400 >"$tmp/browser.out" 2>"$tmp/browser.err"
status=$?
cat "$tmp/browser.out"

# ---- 1. the rendered DOM ------------------------------------------------------
check "chromium renders the report"
grep -q 'Azure security contact audit' "$tmp/dom.html" ||
	{ fail "chromium rendered nothing: exit status $status: $(tail -5 "$tmp/browser.err")"; finish; }
dom() { xmllint --html --xpath "$1" "$tmp/dom.html" 2>/dev/null; }

# Every FAIL and ERROR line of standard output is a rendered finding with
# the same status word, subscription and reason, and nothing else is.
finding="contains(concat(' ', @class, ' '), ' finding ')"
"$XPATH_ROWS" --html "$tmp/dom.html" "//tbody[$finding]/tr[1]" "td/h3/span[contains(@class, 'status')]" \
	td/h3/code "td/p[@class='reason']" | sed "s/$tab/  /g" >"$tmp/dom-findings"
# (the display name, a field of its own in parentheses, is not in the finding's reason)
grep -E '^(FAIL|ERROR)  ' "$tmp/out" | sed -E 's/^([A-Z]+  [^ ]+  )\(([^ ]| [^ ])*\)  /\1/' | xpath_escaped |
	sort >"$tmp/out-findings"
sort -o "$tmp/dom-findings" "$tmp/dom-findings"
check "rendered findings are the FAIL and ERROR lines"
[ -s "$tmp/out-findings" ] || fail "no FAIL or ERROR line on standard output"
diff -u "$tmp/out-findings" "$tmp/dom-findings" >&2 || fail "rendered findings differ from the verdict lines"

# The passing subscriptions: as many rows as PASS lines, the same ids.
grep '^PASS  ' "$tmp/out" | awk -F '  ' '{ print $2 }' | sort >"$tmp/out-passes"
dom '//table[contains(@class, "passes")]/tbody/tr/td[1]/text()' | sort >"$tmp/dom-passes"
check "as many passing rows as PASS lines"
[ "$(dom 'count(//table[contains(@class, "passes")]/tbody/tr)')" = "$(wc -l <"$tmp/out-passes" | tr -d ' ')" ] ||
	fail "passing rows and PASS lines differ in number"
check "rendered passing subscriptions are the PASS lines"
diff -u "$tmp/out-passes" "$tmp/dom-passes" >&2 || fail "rendered passing subscriptions differ from the PASS lines"

# The summary: overall result and counts as on the Total line.
checks=$((checks + 1))
[ "$(dom 'string(//p[@class="verdict"]/span)')" = ERROR ] || fail "overall result is not ERROR"
total=$(grep '^Total: ' "$tmp/out")
for word in PASS FAIL ERROR WAIVED; do
	want=$(printf '%s\n' "$total" | sed -n "s/.* \([0-9][0-9]*\) ${word}[,;].*/\1/p")
	check "summary count of $word is $want"
	[ "$(dom "string(//ul[@class='counts']/li[span='$word']/b)")" = "$want" ] || fail "summary count of $word is not $want"
done

# Hostile evidence is text: shown as written, and no element injected.
dom 'string(//body)' >"$tmp/body.txt"
for s in '"><script>alert(1)</script>@evil.com' '<img src=x onerror=alert(1)>' '<b>bold</b>' '<![CDATA[default]]>'; do
	check "hostile text shown as text: $s"
	grep -qF -- "$s" "$tmp/body.txt" || fail "hostile text not shown as text: $s"
done
for e in script img iframe object embed link base form svg math audio video input button; do
	check "no <$e> element in the rendered page"
	[ "$(dom "count(//$e)")" = 0 ] || fail "a <$e> element is in the rendered page"
done
check "the contact name <b>bold</b> stays text"
[ "$(dom 'count(//b[. = "bold"])')" = 0 ] || fail "the contact name <b>bold</b> became markup"
# Only the elements the writer uses exist at all.
known='self::html or self::head or self::meta or self::title or self::style or self::body or self::header or
 self::nav or self::section or self::h1 or self::h2 or self::h3 or self::p or self::span or self::b or self::code or
 self::pre or self::ul or self::li or self::dl or self::dt or self::dd or self::div or self::table or self::thead or
 self::tbody or self::tr or self::th or self::td or self::a'
checks=$((checks + 1))
[ "$(dom "count(//*[not($known)])")" = 0 ] || fail "unexpected elements: $(dom "//*[not($known)]" | head -c 300)"
check "no event handler attribute"
[ "$(dom 'count(//@*[starts-with(name(), "on")])')" = 0 ] || fail "an event handler attribute"
checks=$((checks + 1))
[ "$(dom 'count(//*[@src or @srcset or @action or @formaction or @background or @poster or @data or @style])')" = 0 ] ||
	fail "an element with a URL or style attribute"
checks=$((checks + 1))
[ "$(dom 'count(//@href[not(starts-with(., "#"))])')" = 0 ] || fail "a link out of the page"
checks=$((checks + 1))
dom 'string(//style)' | grep -qiE 'url\(|@import' && fail "the stylesheet loads something"
check "the CSP is first in <head>"
[ "$(dom 'string(/html/head/*[1]/@http-equiv)')" = Content-Security-Policy ] || fail "the CSP is not first in <head>"
check "the CSP allows only its stylesheet"
dom 'string(/html/head/*[1]/@content)' | grep -q "^default-src 'none'; style-src 'sha256-" || fail "the CSP allows more than its stylesheet"

# No request leaves the page (nor the 150-subscription page). A request a
# page makes carries its file origin (initiator "null" or file:) in the net
# log; the browser's own background requests carry none. The probe page's
# request shows that the check sees one; every other is the reports'.
page_requests() {
	grep -E '"initiator":"(null|file:[^"]*)"' "$1" | grep -oE '"url":"(https?|wss?|ftp):[^"]*"'
}
check "chromium wrote a net log"
[ -s "$tmp/net.json" ] || fail "chromium wrote no net log"
check "the net log check sees a page's request"
page_requests "$tmp/net.json" | grep -qF "\"url\":\"$probe_url\"" ||
	fail "the net log check does not see the probe page's request"
check "the reports request nothing"
if page_requests "$tmp/net.json" | grep -vF "\"url\":\"$probe_url\"" >"$tmp/requests"; then
	fail "the reports requested: $(head -5 "$tmp/requests")"
fi

# ---- 2. layout on screens and paper -------------------------------------------
# For each page: browser.js finished it, every mode says ok, none FAIL.
for name in report.html big.html; do
	checks=$((checks + 1))
	[ "$status" -eq 0 ] && grep -qx "done $name" "$tmp/browser.out" ||
		{ fail "browser.js on $name: exit status $status: $(tail -5 "$tmp/browser.err")"; continue; }
	for mode in 360 768 1400 a4 letter; do
		checks=$((checks + 1))
		grep -q "^ok $name $mode: " "$tmp/browser.out" ||
			fail "$name at $mode: $(grep "^FAIL $name $mode" "$tmp/browser.out" | head -5)"
	done
	checks=$((checks + 1))
	if grep -q "^FAIL $name " "$tmp/browser.out"; then fail "$(grep "^FAIL $name " "$tmp/browser.out" | head -10)"; fi
done

# ---- 3. the sha256sum lines of a printout verify ------------------------------
# sums PDF: the sha256sum lines of PDF's text, as sha256sum -c reads them
# (pdftotext lays columns out with spaces: hash and path are joined by two).
sums() {
	pdftotext -layout "$1" - | tr -d '\f' | sed -n 's/^ *\([0-9a-f]\{64\}\)  *\([^ ].*[^ ]\) *$/\1  \2/p'
}
want=$(xmllint --html --xpath 'string(//pre[@class="sha256sum"])' "$page" 2>/dev/null | grep -c .)
checks=$((checks + 1)); [ "$want" -ge 15 ] || fail "only $want sha256sum lines in the page"
for pdf in "$tmp/report.pdf" "$shots-a4.pdf" "$shots-letter.pdf"; do
	checks=$((checks + 1))
	[ -s "$pdf" ] || { fail "no PDF $pdf"; continue; }
	sums "$pdf" >"$tmp/sums"
	checks=$((checks + 1))
	[ "$(wc -l <"$tmp/sums")" -eq "$want" ] || fail "$(basename "$pdf"): $(wc -l <"$tmp/sums") sha256sum lines, not $want"
	checks=$((checks + 1))
	(cd "$tmp/run" && sha256sum -c) <"$tmp/sums" >"$tmp/check" 2>&1 ||
		fail "$(basename "$pdf"): sha256sum -c: $(grep -v ': OK$' "$tmp/check" | head -5)"
	# Each digest is in the manifest as well as in those lines, whole.
	pdftotext -layout "$pdf" "$tmp/text"
	for sha in $(cut -c1-64 "$tmp/sums"); do
		checks=$((checks + 1))
		[ "$(grep -c "$sha" "$tmp/text")" -ge 2 ] || fail "$(basename "$pdf"): the digest $sha is broken in the manifest"
	done
done
cp "$tmp/report.pdf" "$shots.pdf"
rm -f "$shots-pdf"-*.png
pdftoppm -r 80 -f 1 -l 1 -png "$tmp/report.pdf" "$shots-pdf"
cp "$shots-1400.png" "$shots.png"
echo "screenshots and PDFs: $(ls "$shots"* | tr '\n' ' ')"
finish
