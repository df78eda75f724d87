#!/bin/sh
# SPDX-License-Identifier: ISC
# --redact in the HTML report: no address of the inputs in clear (a contact
# named after a mailbox, a waiver's reason and ticket, an inventory name, an
# API error body, a folder named after a mailbox), and the sha256sum block
# shows masked paths and says so.
. "${srcdir:-.}/tests/lib.sh"
srcdir=$(cd "$srcdir" && pwd)
. "$srcdir/tests/redact-bundle.sh"
rc=$rb_rc
expect_rc 2 "the bundle of addresses"
while read -r addr; do
	checks=$((checks + 1))
	if grep -qF -- "$addr" "$rb/r.html"; then fail "$addr in clear in the HTML report under --redact"; fi
done <"$tmp/rb-addresses"
checks=$((checks + 1))
xmllint --html --xpath 'string(//pre[@class="sha256sum"])' "$rb/r.html" 2>/dev/null | grep -qF "  b***@initech.io/$G1/contacts.json" ||
	fail "the sha256sum block does not show the masked path"
checks=$((checks + 1))
grep -qF "masked (--redact) in these lines" "$rb/r.html" || fail "the sha256sum block does not say its paths are masked"
finish
