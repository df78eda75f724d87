#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end, the hostile-input matrix (content): invalid and overlong
# UTF-8, encoded and escaped surrogates, \u0000, NUL bytes, deep nesting, a
# 100 MB string, a 1,000,000-member object, huge numbers, duplicate members,
# stray and foreign byte order marks. Each hostile file is audited together
# with a good one (hostile-lib.sh): exact exit status, file:line:col on
# stderr, never PASS for the hostile subscription, the good file still PASS.
. "${srcdir:-.}/tests/lib.sh"
. "$srcdir/tests/hostile-lib.sh"

# Under --enable-valgrind, every "$AUDIT" run here is really a memcheck run
# that fails (99) on an error or a definite leak.
if [ -n "${VALGRIND:-}" ]; then
	check "VALGRIND fails on errors and definite leaks"
	case $VALGRIND in
	*--error-exitcode=*--errors-for-leak-kinds=definite*) ;;
	*) fail "VALGRIND does not fail on errors and definite leaks: $VALGRIND" ;;
	esac
	check "VALGRIND runs memcheck"
	$VALGRIND -v "$AUDIT" --version >/dev/null 2>"$tmp/vg"
	grep -q 'Memcheck, a memory error detector' "$tmp/vg" || fail "VALGRIND does not run memcheck: $(head -c 300 "$tmp/vg")"
fi
# Peak memory is only measured on a plain build: ASan's shadow memory and
# quarantine are not the program's.
sanitized=
ASAN_OPTIONS=help=1 "$AUDIT" --version 2>&1 | grep -q AddressSanitizer && sanitized=ASan

# phone_case NAME BYTES: a contact whose ignored "phone" member (line 3,
# column 12) holds BYTES (printf format): a lax reader would PASS it.
phone_case() {
	f=$(case_file "$1")
	{ contact_head; printf "  \"phone\": \"$2\"}}\n"; } >"$f"
}

# ---- invalid UTF-8: every form is an error, never replaced ------------------
# Forms yajl rejects itself are placed at the bad byte (the C3 lead at the
# byte after it); those it lets through, at the start of the string.
# name           bytes in the string            line:col
for c in \
	'bad-lead      x\303(y                          3:15' \
	'stray-cont    \200                             3:13' \
	'overlong-2    soc\300\200                      3:12' \
	'overlong-3    \340\200\257                     3:12' \
	'overlong-4    \360\200\200\257                 3:12' \
	'surrogate     soc\355\240\200@x                3:12' \
	'surrogate-pair \355\240\275\355\270\200        3:12' \
	'above-10ffff  \364\220\200\200                 3:12' \
	'cut-4-byte    \360\237\230                     3:14' \
	'fe-ff         \376\377                         3:13'; do
	set -- $c
	phone_case "utf8-$1" "$2"
	hostile "$tmp/utf8-$1"
	expect_unreadable "$tmp/utf8-$1/$G/c.json" "$3" "invalid UTF-8 ($1)"
done

# In a member name, and as a bare byte between tokens.
f=$(case_file utf8-key)
{ contact_head; printf '  "\355\240\200": 1}}\n'; } >"$f"
hostile "$tmp/utf8-key"
expect_unreadable "$f" 3:3 "encoded surrogate in a member name"
f=$(case_file utf8-bare)
{ contact_head; printf '  \303\251 "phone": ""}}\n'; } >"$f"
hostile "$tmp/utf8-bare"
expect_unreadable "$f" 3:3 "invalid byte between tokens"

# ---- escapes ----------------------------------------------------------------
# \u0000 is a character: the address holding it is invalid, it does not end
# the string (which would leave a valid address behind).
for c in 'end secops@acme-corp.com\\u0000' 'middle secops\\u0000@acme-corp.com'; do
	set -- $c
	f=$(case_file "nul-escape-$1")
	printf '{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default",\n "properties": {"emails": "'"$2"'"}}\n' "$G" >"$f"
	hostile "$tmp/nul-escape-$1"
	expect_rc 1 "\\u0000 at the $1 of an address"
	expect_verdict FAIL "$G" "\\u0000 at the $1 of an address"
	expect_no_pass "$G" "\\u0000 at the $1 of an address"
	expect_rest "\\u0000 at the $1 of an address"
done

# Unpaired surrogate escapes: yajl encodes a lone low one as invalid UTF-8,
# turns a lone high one into '?' and pairs two high ones into U+10000.
for c in 'low-dc00 \\uDC00' 'high-d800 x\\uD800y' 'high-at-end \\uDBFF' \
	'high-high \\uD800\\uD800' 'high-escape \\uD800\\n' 'low-high \\uDC00\\uD800'; do
	set -- $c
	phone_case "surrogate-$1" "$2"
	hostile "$tmp/surrogate-$1"
	expect_unreadable "$tmp/surrogate-$1/$G/c.json" 3:12 "unpaired surrogate escape ($1)"
done
# A real pair is fine (the check is not a blanket ban on escapes).
phone_case surrogate-pair '\\uD83D\\uDE00 \\\\uD800'
hostile "$tmp/surrogate-pair"
expect_rc 0 "surrogate pair"
expect_verdict PASS "$G" "surrogate pair"
expect_rest "surrogate pair"

# ---- NUL bytes in the file ---------------------------------------------------
# (yajl places it one character early, on the "a".)
phone_case nul-in-string 'a\000b'
hostile "$tmp/nul-in-string"
expect_unreadable "$tmp/nul-in-string/$G/c.json" 3:13 "NUL inside a string"
f=$(case_file nul-between)
{ contact_head; printf '\000 "phone": ""}}\n'; } >"$f"
hostile "$tmp/nul-between"
expect_unreadable "$f" 3:1 "NUL between members"
f=$(case_file nul-after)
{ contact_head; printf '  "phone": ""}}\n\000'; } >"$f"
hostile "$tmp/nul-after"
expect_unreadable "$f" 4:1 "NUL after the document"
f=$(case_file nul-only)
head -c 4096 /dev/zero >"$f"
hostile "$tmp/nul-only"
expect_unreadable "$f" 1:1 "a file of NUL bytes"

# ---- size ----------------------------------------------------------------------
# peak_rss_ok WHAT: under 32 MB in the run just made with /usr/bin/time -v.
peak_rss_ok() {
	kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tmp/time")
	check "$1: peak RSS under 32 MB"
	[ -n "$kb" ] && [ "$kb" -lt 32768 ] || fail "peak RSS ${kb:-unknown} KB, expected under 32 MB"
	echo "$1: peak RSS $kb KB"
}
# timed ARGS...: hostile, under /usr/bin/time -v when there is one (not
# under valgrind, whose own memory would be measured).
timed() {
	if [ -z "${VALGRIND:-}" ] && [ -z "$sanitized" ] && [ -x /usr/bin/time ]; then
		${GUARD} /usr/bin/time -v -o "$tmp/time" "$AUDIT" "$@" "$REST" >"$tmp/out" 2>"$tmp/err"
		rc=$?
	else
		rm -f "$tmp/time"
		hostile "$@"
	fi
}
check_rss() {
	if [ -f "$tmp/time" ]; then
		peak_rss_ok "$1"
	else
		skip "$1: peak RSS not measured (${VALGRIND:+valgrind}$sanitized, or no /usr/bin/time)"
	fi
}

# 1,000,000 nested arrays, at the top and inside an ignored member.
f=$(case_file nest-top)
{ head -c 1000000 /dev/zero | tr '\0' '['; head -c 1000000 /dev/zero | tr '\0' ']'; } >"$f"
timed "$tmp/nest-top"
expect_unreadable "$f" 1:65 "1,000,000 nested arrays"
check_rss "1,000,000 nested arrays"
f=$(case_file nest-member)
{ contact_head; printf '  "x": '; head -c 1000000 /dev/zero | tr '\0' '['; head -c 1000000 /dev/zero | tr '\0' ']'; printf '}}\n'; } >"$f"
hostile "$tmp/nest-member"
expect_unreadable "$f" 3:70 "1,000,000 nested arrays in an ignored member"

# A 100 MB string (4 MB under valgrind): the token cap stops it at its
# start, memory stays bounded, the rest of the file is still hashed.
if [ -n "${VALGRIND:-}" ]; then mb=4; else mb=100; fi
f=$(case_file big-string)
{ contact_head; printf '  "phone": "'; head -c $((mb * 1048576)) /dev/zero | tr '\0' a; printf '"}}\n'; } >"$f"
timed "$tmp/big-string"
expect_unreadable "$f" 3:12 "a $mb MB string"
expect_err_text "JSON value longer than" "a $mb MB string"
check_rss "a $mb MB string"
rm -f "$f"

# A 1,000,000-member object (20,000 under valgrind) with emails given again
# as its last member: duplicate tracking must not give up on wide objects.
if [ -n "${VALGRIND:-}" ]; then n=20000; else n=1000000; fi
# (the members, made once for both objects)
awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) printf "  \"m%d\": %d,\n", i, i }' >"$tmp/members" || exit 99
f=$(case_file wide-duplicate)
{ contact_head; cat "$tmp/members"; printf '  "Emails": ""}}\n'; } >"$f"
timed "$tmp/wide-duplicate"
expect_unreadable "$f" "$((n + 3)):13" "$n-member object with a duplicate emails"
expect_err_text "given twice" "$n-member object with a duplicate emails"
check_rss "$n-member object"
# The same width with nothing wrong is read to the end: its only address is
# a reserved one, so the exact FAIL reason proves the whole object was read.
f=$(case_file wide)
{ printf '{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default",\n "properties": {\n' "$G"
	cat "$tmp/members"; printf '  "emails": "soc@example.com"}}\n'; } >"$f"
hostile "$tmp/wide"
expect_rc 1 "$n-member object"
expect_line "$tmp/out" "FAIL  $G  only reserved/sample addresses: soc@example.com (RFC 2606)" "$n-member object"
expect_rest "$n-member object"

# Numbers outside every machine range are valid JSON in ignored members.
digits=$(awk 'BEGIN { for (i = 0; i < 400; i++) printf "%d", (i * 7 + 3) % 10 }')
f=$(case_file numbers)
printf '{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default",\n "properties": {"emails": "soc@example.com",\n  "a": 1e999999, "b": -1e-999999, "c": 9%s, "d": -%s.%se+99999999999999999999,\n  "e": [1E400, -0.0e-0, 0]}}\n' \
	"$G" "$digits" "$digits" "$digits" >"$f"
hostile "$tmp/numbers"
expect_rc 1 "huge numbers"
expect_line "$tmp/out" "FAIL  $G  only reserved/sample addresses: soc@example.com (RFC 2606)" "huge numbers"
expect_rest "huge numbers"
# ... but a number where a boolean belongs is an error, not "enabled".
f=$(case_file number-enabled)
{ contact_head; printf '  "isEnabled": 1e999999}}\n'; } >"$f"
hostile "$tmp/number-enabled"
expect_unreadable "$f" 3:16 "isEnabled 1e999999"

# Duplicate emails in one object, the second spelled differently: ambiguous,
# placed at the second value.
f=$(case_file duplicate)
{ contact_head; printf '  "EMAILS": ""}}\n'; } >"$f"
hostile "$tmp/duplicate"
expect_unreadable "$f" 3:13 "duplicate emails"
expect_err_text "'emails' given twice in one contact: ambiguous" "duplicate emails"
f=$(case_file duplicate-flat)
printf '[{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default",\n  "email": "secops@acme-corp.com", "name": "default",\n  "email": ""}]\n' "$G" >"$f"
hostile "$tmp/duplicate-flat"
expect_unreadable "$f" 3:12 "duplicate email (flattened az shape)"

# ---- byte order marks and encodings ---------------------------------------------------
f=$(case_file bom-middle)
{ contact_head; printf '\357\273\277  "phone": ""}}\n'; } >"$f"
hostile "$tmp/bom-middle"
expect_unreadable "$f" 3:1 "UTF-8 BOM in the middle"
f=$(case_file bom-twice)
{ printf '\357\273\277\357\273\277'; contact_head; printf '  "phone": ""}}\n'; } >"$f"
hostile "$tmp/bom-twice"
expect_unreadable "$f" 1:1 "two UTF-8 BOMs"
f=$(case_file bom-in-string)
printf '{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default",\n "properties": {"emails": "\357\273\277secops@acme-corp.com"}}\n' "$G" >"$f"
hostile "$tmp/bom-in-string"
expect_rc 1 "BOM inside the address"
expect_verdict FAIL "$G" "BOM inside the address"
expect_rest "BOM inside the address"

if command -v iconv >/dev/null 2>&1; then
	# UTF-16 with an odd number of bytes: the last byte is half a character.
	for enc in LE BE; do
		f=$(case_file "utf16$enc-odd")
		if [ $enc = LE ]; then printf '\377\376'; else printf '\376\377'; fi >"$f"
		{ contact_head; printf '  "phone": ""}}\n'; } | iconv -f UTF-8 -t UTF-16$enc >>"$f"
		printf '\n' >>"$f"
		hostile "$tmp/utf16$enc-odd"
		expect_unreadable "$f" 4:1 "UTF-16$enc with an odd length"
		expect_err_text "incomplete character" "UTF-16$enc with an odd length"
	done
	# UTF-16 without a BOM is not guessed.
	f=$(case_file utf16-no-bom)
	{ contact_head; printf '  "phone": ""}}\n'; } | iconv -f UTF-8 -t UTF-16LE >"$f"
	hostile "$tmp/utf16-no-bom"
	expect_unreadable "$f" 1:2 "UTF-16LE without a BOM"
else
	skip "UTF-16 odd-length and BOM-less cases: no iconv(1)"
fi
# A lone surrogate code unit in UTF-16 text.
f=$(case_file utf16-lone-unit)
printf '\377\376\000\330{\000' >"$f"
hostile "$tmp/utf16-lone-unit"
expect_unreadable "$f" 1:1 "UTF-16LE lone surrogate code unit"
# Nothing but a byte order mark: no JSON text, a whole-file error.
for c in 'utf8 \357\273\277' 'utf16le \377\376' 'utf16be \376\377'; do
	set -- $c
	f=$(case_file "bom-only-$1")
	printf "$2" >"$f"
	hostile "$tmp/bom-only-$1"
	expect_unreadable "$f" - "$1 BOM and nothing else"
	expect_err_text "no evidence in file" "$1 BOM and nothing else"
done
# UTF-32, both byte orders: refused by name at 1:1.
f=$(case_file utf32le)
printf '\377\376\000\000{\000\000\000}\000\000\000' >"$f"
hostile "$tmp/utf32le"
expect_unreadable "$f" 1:1 "UTF-32LE BOM"
expect_err_text "UTF-32" "UTF-32LE BOM"
f=$(case_file utf32be)
printf '\000\000\376\377\000\000\000{\000\000\000}' >"$f"
hostile "$tmp/utf32be"
expect_unreadable "$f" 1:1 "UTF-32BE BOM"

finish
