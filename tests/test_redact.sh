#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: --redact masks every address of the sample bundle (contacts,
# the reserved ones quoted in reasons, the account in an API error) in both
# reports and on standard output, and changes no verdict and no exit status.
. "${srcdir:-.}/tests/lib.sh"
export SOURCE_DATE_EPOCH=1767225600

run --junit "$tmp/plain.xml" --html "$tmp/plain.html" "$FIX/bundle"
plain_rc=$rc
mv "$tmp/out" "$tmp/plain.out"
run --redact --junit "$tmp/masked.xml" --html "$tmp/masked.html" "$FIX/bundle"
expect_rc "$plain_rc" "exit status with --redact"

# The verdicts are the same: every line's status and subscription, the
# Total line, and the reasons up to the masking itself.
verdicts() { awk -F '  ' '{ print $1 "  " $2 }' "$1"; }
check "--redact changes no verdict"
verdicts "$tmp/plain.out" >"$tmp/plain.verdicts"
verdicts "$tmp/out" >"$tmp/masked.verdicts"
diff -u "$tmp/plain.verdicts" "$tmp/masked.verdicts" >&2 || fail "--redact changed a verdict"
check "more than 10 verdict lines"
[ "$(grep -c '' "$tmp/out")" -gt 10 ] || fail "too few verdict lines: $(cat "$tmp/out")"
# local@domain -> l***@domain, as the tool masks it.
sed -E 's/([A-Za-z0-9!#$%&*+\/=?^_`{|}~.-])[A-Za-z0-9!#$%&*+\/=?^_`{|}~.-]*@([A-Za-z0-9])/\1***@\2/g' \
	"$tmp/plain.out" >"$tmp/plain.masked"
check "standard output under --redact is the plain output masked"
diff -u "$tmp/plain.masked" "$tmp/out" >&2 || fail "standard output under --redact is not the plain output masked"

# Every address written anywhere in the bundle, by name.
grep -rhoE '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+' "$FIX/bundle" | sort -u >"$tmp/addresses"
check "the bundle's addresses found"
grep -qx 'secops@initech.io' "$tmp/addresses" || fail "the bundle's addresses were not found: $(head -3 "$tmp/addresses")"
shown=0
while read -r addr; do
	for f in "$tmp/masked.html" "$tmp/masked.xml" "$tmp/out"; do
		check "$addr not in full in $(basename "$f") under --redact"
		if grep -qF -- "$addr" "$f"; then fail "$addr in full in $(basename "$f") under --redact"; fi
	done
	# What the plain reports show in full, the masked ones show masked.
	masked=$(printf '%s\n' "$addr" | sed -E 's/^(.)[^@]*@/\1***@/')
	for kind in html xml; do
		grep -qF -- "$addr" "$tmp/plain.$kind" || continue
		shown=$((shown + 1))
		check "$masked in the --redact $kind report"
		grep -qF -- "$masked" "$tmp/masked.$kind" || fail "$masked missing from the --redact $kind report"
	done
done <"$tmp/addresses"
check "10 or more addresses shown in the plain reports"
[ "$shown" -ge 10 ] || fail "only $shown addresses shown in the plain reports: nothing to mask?"
for s in 's***@initech.io' 'a***@initech.io' 's***@example.com'; do
	check "$s in the --redact HTML report"
	grep -qF -- "$s" "$tmp/masked.html" || fail "$s missing from the --redact HTML report"
done
check "the HTML report says addresses are masked"
grep -qF 'masked (--redact)' "$tmp/masked.html" || fail "the HTML report does not say addresses are masked"

# Every place evidence can carry an address, masked in standard output,
# standard error and the JUnit report (tests/test_redact_html.sh checks the
# HTML report of the same run).
. "$srcdir/tests/redact-bundle.sh"
rc=$rb_rc
expect_rc 2 "the bundle of addresses"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/rb-addresses")" -ge 11 ] || fail "too few addresses in the bundle: $(cat "$tmp/rb-addresses")"
while read -r addr; do
	for f in out err j.xml; do
		checks=$((checks + 1))
		if grep -qF -- "$addr" "$rb/$f"; then fail "$addr in clear in $f under --redact: $(grep -F -- "$addr" "$rb/$f" | head -2)"; fi
	done
done <"$tmp/rb-addresses"
# ... and shown masked where the plain run shows them.
expect_line "$rb/out" "WAIVED  $G1  (f***@acme-corp.com sandbox)  waived by mailto:h***@acme-corp.com until 2099-12-31: accepted by g***@acme-corp.com (was FAIL: emails is empty)" "waiver reason, ticket and display name masked"
expect_line "$rb/out" "ERROR  $G2  (Payments (owner k***@acme-corp.com))  API error AuthorizationFailed: The client 'd***@initech.io' with object id '0d5e2c1a-9f7b-4e3d-8a6c-2b1f0e9d8c7a' does not have authorization to perform action 'Microsoft.Security/securityContacts/read' over scope '/subscriptions/$G2' or the scope is invalid." "API error body masked, and whole"
expect_line "$rb/out" "ERROR  $G4  unreadable evidence b***@initech.io/$G4/cut.json:1:156: file ends early at 1:156 (truncated?)" "a path named after a mailbox"
expect_line "$rb/err" "azure-contact-audit: waivers.json:2:2: error: invalid waiver: reason is blank" "refused waiver said"
checks=$((checks + 1))
grep -qF 'name="CIS 2.3.2 aaaaaaaa-1111-4111-8111-111111111111 (f***@acme-corp.com sandbox)"' "$rb/j.xml" || fail "JUnit testcase name not masked"
checks=$((checks + 1))
grep -qF "contact 'b***@acme-corp.com'" "$rb/j.xml" || fail "the contact named after a mailbox is not in the JUnit text, masked"
finish
