#!/bin/sh
# End-to-end in a real browser: headless Chromium renders the HTML report of
# fixtures/bundle and fixtures/hostile. The rendered DOM must show the
# verdicts of standard output, hostile evidence only as text with no element
# injected, and the page must request nothing. A screenshot is left in
# tests/browser-report.png of the build folder for people to look at.
# Skipped (77) without chromium: .ci/run installs it.
. "${srcdir:-.}/tests/lib.sh"
command -v chromium >/dev/null 2>&1 || { echo "chromium not installed"; exit 77; }
command -v xmllint >/dev/null 2>&1 || { echo "xmllint missing"; exit 77; }

case $AUDIT in /*) ;; *) AUDIT=$(pwd)/$AUDIT ;; esac
build=$(cd "${top_builddir:-.}" && pwd)
shot=$build/tests/browser-report.png
mkdir -p "$build/tests"
limit=
command -v timeout >/dev/null 2>&1 && limit="timeout 120"

# browser ARG...: Chromium with a fresh profile and home each time. Host
# names resolve to nothing, so the browser's own background requests
# (component updates, time, accounts) never leave the machine; the page's
# requests are still started and logged, which is what the net log check
# below relies on.
browser() {
	prof=$(mktemp -d "$tmp/chromium.XXXXXX") || exit 99
	HOME=$prof XDG_CONFIG_HOME=$prof/config XDG_CACHE_HOME=$prof/cache $limit chromium --headless --no-sandbox \
		--disable-gpu --disable-background-networking --disable-component-update --disable-sync \
		--no-first-run --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$prof/profile" \
		"$@" 2>>"$tmp/chromium.err"
}

# Paths in the report are relative, as in an auditor's run.
mkdir "$tmp/run" && ln -s "$(cd "$srcdir" && pwd)/fixtures" "$tmp/run/fixtures" || exit 99
(cd "$tmp/run" && SOURCE_DATE_EPOCH=1767225600 ${VALGRIND:-} "$AUDIT" --html report.html \
	fixtures/bundle fixtures/hostile >"$tmp/out" 2>"$tmp/err")
rc=$?
expect_rc 2 "audit of fixtures/bundle and fixtures/hostile"
page=$tmp/run/report.html
checks=$((checks + 1)); [ -s "$page" ] || { fail "no HTML report"; finish; }

browser --log-net-log="$tmp/net.json" --dump-dom "file://$page" >"$tmp/dom.html"
checks=$((checks + 1))
grep -q 'Azure security contact audit' "$tmp/dom.html" ||
	{ fail "chromium rendered nothing: $(tail -5 "$tmp/chromium.err")"; finish; }
dom() { xmllint --html --xpath "$1" "$tmp/dom.html" 2>/dev/null; }

# 1. Every FAIL and ERROR line of standard output is a rendered finding
# with the same status word, subscription and reason, and nothing else is.
finding="contains(concat(' ', @class, ' '), ' finding ')"
n=$(dom "count(//div[$finding])")
i=1
: >"$tmp/dom-findings"
while [ "$i" -le "$n" ]; do
	f="(//div[$finding])[$i]"
	printf '%s  %s  %s\n' "$(dom "string($f/h3/span[contains(@class, 'status')])")" \
		"$(dom "string($f/h3/code)")" "$(dom "string($f/p[@class='reason'])")" >>"$tmp/dom-findings"
	i=$((i + 1))
done
# (the display name, a field of its own in parentheses, is not in the finding's reason)
grep -E '^(FAIL|ERROR)  ' "$tmp/out" | sed -E 's/^([A-Z]+  [^ ]+  )\(([^ ]| [^ ])*\)  /\1/' | sort >"$tmp/out-findings"
sort -o "$tmp/dom-findings" "$tmp/dom-findings"
checks=$((checks + 1))
[ -s "$tmp/out-findings" ] || fail "no FAIL or ERROR line on standard output"
diff -u "$tmp/out-findings" "$tmp/dom-findings" >&2 || fail "rendered findings differ from the verdict lines"

# 2. The passing subscriptions: as many rows as PASS lines, the same ids.
grep '^PASS  ' "$tmp/out" | awk -F '  ' '{ print $2 }' | sort >"$tmp/out-passes"
dom '//table[contains(@class, "passes")]/tbody/tr/td[1]/text()' | sort >"$tmp/dom-passes"
checks=$((checks + 1))
[ "$(dom 'count(//table[contains(@class, "passes")]/tbody/tr)')" = "$(wc -l <"$tmp/out-passes" | tr -d ' ')" ] ||
	fail "passing rows and PASS lines differ in number"
checks=$((checks + 1))
diff -u "$tmp/out-passes" "$tmp/dom-passes" >&2 || fail "rendered passing subscriptions differ from the PASS lines"

# 3. The summary: overall result and counts as on the Total line.
checks=$((checks + 1))
[ "$(dom 'string(//p[@class="verdict"]/span)')" = ERROR ] || fail "overall result is not ERROR"
total=$(grep '^Total: ' "$tmp/out")
for word in PASS FAIL ERROR WAIVED; do
	want=$(printf '%s\n' "$total" | sed -n "s/.* \([0-9][0-9]*\) $word[,;].*/\1/p")
	checks=$((checks + 1))
	[ "$(dom "string(//ul[@class='counts']/li[span='$word']/b)")" = "$want" ] || fail "summary count of $word is not $want"
done

# 4. Hostile evidence is text: shown as written, and no element injected.
dom 'string(//body)' >"$tmp/body.txt"
for s in '"><script>alert(1)</script>@evil.com' '<img src=x onerror=alert(1)>' '<b>bold</b>' '<![CDATA[default]]>'; do
	checks=$((checks + 1))
	grep -qF -- "$s" "$tmp/body.txt" || fail "hostile text not shown as text: $s"
done
for e in script img iframe object embed link base form svg math audio video input button; do
	checks=$((checks + 1))
	[ "$(dom "count(//$e)")" = 0 ] || fail "a <$e> element is in the rendered page"
done
checks=$((checks + 1))
[ "$(dom 'count(//b[. = "bold"])')" = 0 ] || fail "the contact name <b>bold</b> became markup"
# Only the elements the writer uses exist at all.
known='self::html or self::head or self::meta or self::title or self::style or self::body or self::header or
 self::section or self::h1 or self::h2 or self::h3 or self::p or self::span or self::b or self::code or self::pre or
 self::ul or self::li or self::dl or self::dt or self::dd or self::div or self::table or self::thead or self::tbody or
 self::tr or self::th or self::td or self::details or self::summary'
checks=$((checks + 1))
[ "$(dom "count(//*[not($known)])")" = 0 ] || fail "unexpected elements: $(dom "//*[not($known)]" | head -c 300)"
checks=$((checks + 1))
[ "$(dom 'count(//@*[starts-with(name(), "on")])')" = 0 ] || fail "an event handler attribute"
checks=$((checks + 1))
[ "$(dom 'count(//*[@src or @href or @srcset or @action or @formaction or @background or @poster or @data or @style])')" = 0 ] ||
	fail "an element with a URL or style attribute"
checks=$((checks + 1))
dom 'string(//style)' | grep -qiE 'url\(|@import' && fail "the stylesheet loads something"
checks=$((checks + 1))
[ "$(dom 'string(/html/head/*[1]/@http-equiv)')" = Content-Security-Policy ] || fail "the CSP is not first in <head>"
checks=$((checks + 1))
dom 'string(/html/head/*[1]/@content)' | grep -q "^default-src 'none'; style-src 'sha256-" || fail "the CSP allows more than its stylesheet"

# 5. No request leaves the page. A request the page makes carries its file
# origin (initiator "null" or file:) in the net log; the browser's own
# background requests carry none. A probe page proves the check sees one.
page_requests() {
	grep -E '"initiator":"(null|file:[^"]*)"' "$1" | grep -oE '"url":"(https?|wss?|ftp):[^"]*"'
}
printf '%s\n' '<!DOCTYPE html><title>probe</title><img src="http://127.0.0.1:9/probe.png">' >"$tmp/probe.html"
browser --log-net-log="$tmp/probe.json" --dump-dom "file://$tmp/probe.html" >/dev/null
checks=$((checks + 1))
page_requests "$tmp/probe.json" | grep -q probe.png || fail "the net log check does not see a page's request"
checks=$((checks + 1))
[ -s "$tmp/net.json" ] || fail "chromium wrote no net log"
checks=$((checks + 1))
if page_requests "$tmp/net.json" >"$tmp/requests"; then
	fail "the report requested: $(head -5 "$tmp/requests")"
fi

# 6. A screenshot for people to look at.
rm -f "$shot"
browser --hide-scrollbars --window-size=1280,2000 --screenshot="$shot" "file://$page" >/dev/null
checks=$((checks + 1))
[ "$(head -c 4 "$shot" 2>/dev/null | tail -c 3)" = PNG ] || fail "no screenshot in $shot"
echo "screenshot: $shot"
finish
