#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end address verdicts: a contact whose only address cannot be a
# security contact (special-use name, Microsoft sample company, template,
# no-reply mailbox, top-level domain not in the root zone) FAILs with the
# address and the reason in the reports; a personal mailbox counts;
# --allow-domain lifts the domain checks; --org-domain and --allow-domain
# refuse public suffixes and unfit domains (exit 64).
. "${srcdir:-.}/tests/lib.sh"

# evidence SUB EMAILS: a REST-shaped contact of subscription SUB in $tmp/SUB.json.
evidence() {
	printf '{"id":"/subscriptions/%s/providers/Microsoft.Security/securityContacts/default","name":"default","type":"Microsoft.Security/securityContacts","properties":{"emails":"%s","isEnabled":true}}\n' \
		"$1" "$2" >"$tmp/$1.json"
}

# expect_fail SUB EMAILS VERDICT ADDRESS WHY: the subscription FAILs (exit 1)
# and the JUnit failure lists "VERDICT: ADDRESS (WHY)".
expect_fail() {
	evidence "$1" "$2"
	run --junit "$tmp/junit.xml" "$tmp/$1.json"
	expect_rc 1 "$2"
	checks=$((checks + 1))
	grep -q "^FAIL  $1  " "$tmp/out" || fail "$2: no FAIL line for $1: $(cat "$tmp/out")"
	expect_line "$tmp/junit.xml" "  $3: $4 ($5)" "$2 in JUnit"
}

tld=$(sed -n '1s/^# Version \([0-9]*\),.*/\1/p' "$srcdir/src/tlds-alpha-by-domain.txt")
tld_why="top-level domain not in the IANA root zone (version $tld)"

expect_fail 11111111-1111-4111-8111-111111111111 'soc@duck.onion' reserved soc@duck.onion 'RFC 7686 onion-service domain'
expect_line "$tmp/out" "FAIL  11111111-1111-4111-8111-111111111111  only reserved/sample addresses: soc@duck.onion (RFC 7686)" ".onion reason"
expect_fail 11111111-1111-4111-8111-111111111112 'soc@router.home.arpa' reserved soc@router.home.arpa 'RFC 8375 home-network domain'
expect_fail 11111111-1111-4111-8111-111111111113 'soc@printer.alt' reserved soc@printer.alt 'RFC 9476 non-DNS domain'
expect_fail 11111111-1111-4111-8111-111111111114 'soc@corp.internal' reserved soc@corp.internal 'ICANN-reserved private-use domain'
expect_line "$tmp/out" "FAIL  11111111-1111-4111-8111-111111111114  only reserved/sample addresses: soc@corp.internal (ICANN-reserved private-use domain)" ".internal reason"
expect_fail 22222222-2222-4222-8222-222222222221 'security@adatum.com' sample security@adatum.com 'Microsoft documentation sample domain'
expect_fail 22222222-2222-4222-8222-222222222222 'security@tailwindtraders.com' sample security@tailwindtraders.com 'Microsoft documentation sample domain'
expect_fail 22222222-2222-4222-8222-222222222223 'soc@treyresearch.net' sample soc@treyresearch.net 'Microsoft documentation sample domain'
expect_fail 33333333-3333-4333-8333-333333333331 'security@yourcompany.com' placeholder security@yourcompany.com 'placeholder domain from a template'
expect_fail 33333333-3333-4333-8333-333333333332 'test@test.com' placeholder test@test.com 'placeholder domain from a template'
expect_fail 33333333-3333-4333-8333-333333333333 'your.email@kestrelbank.com' placeholder your.email@kestrelbank.com 'placeholder mailbox name from a template'
expect_fail 44444444-4444-4444-8444-444444444441 'noreply@kestrelbank.com' no-reply noreply@kestrelbank.com 'no-reply mailbox: nobody reads it'
expect_fail 44444444-4444-4444-8444-444444444442 'Do-Not-Reply+azure@kestrelbank.com' no-reply Do-Not-Reply+azure@kestrelbank.com 'no-reply mailbox: nobody reads it'
expect_fail 55555555-5555-4555-8555-555555555551 'security@kestrelbank.con' unknown-tld security@kestrelbank.con "$tld_why"
expect_fail 55555555-5555-4555-8555-555555555552 'security@kestrelbank.c0m' unknown-tld security@kestrelbank.c0m "$tld_why"

# Beside a real address the subscription passes and says what did not count.
evidence 66666666-6666-4666-8666-666666666661 'noreply@kestrelbank.com; soc@kestrelbank.com'
run "$tmp/66666666-6666-4666-8666-666666666661.json"
expect_rc 0 "no-reply beside a real address"
checks=$((checks + 1))
grep -F "PASS  66666666-6666-4666-8666-666666666661  " "$tmp/out" | grep -qF "'noreply@kestrelbank.com' (no-reply mailbox: nobody reads it)" ||
	fail "no-reply beside a real address: $(cat "$tmp/out")"

# A personal mailbox counts, with a warning in the reason.
evidence 77777777-7777-4777-8777-777777777771 'jane.doe@gmail.com'
run "$tmp/77777777-7777-4777-8777-777777777771.json"
expect_rc 0 "personal mailbox"
expect_line "$tmp/out" "PASS  77777777-7777-4777-8777-777777777771  1 deliverable address in contact 'default'; warning: 1 address at a personal mail provider, 'jane.doe@gmail.com' (not an address the organisation controls)" "personal mailbox passes, with the warning"

# --allow-domain lifts the domain checks, never a no-reply mailbox.
evidence 88888888-8888-4888-8888-888888888881 'security@adatum.com'
run --allow-domain adatum.com "$tmp/88888888-8888-4888-8888-888888888881.json"
expect_rc 0 "--allow-domain adatum.com"
evidence 88888888-8888-4888-8888-888888888882 'soc@corp.lan'
run --allow-domain corp.lan "$tmp/88888888-8888-4888-8888-888888888882.json"
expect_rc 0 "--allow-domain corp.lan"
evidence 88888888-8888-4888-8888-888888888883 'noreply@adatum.com'
run --allow-domain adatum.com --junit "$tmp/junit.xml" "$tmp/88888888-8888-4888-8888-888888888883.json"
expect_rc 1 "--allow-domain does not lift no-reply"
expect_line "$tmp/junit.xml" "  no-reply: noreply@adatum.com (no-reply mailbox: nobody reads it)" "--allow-domain and no-reply"

# Domain arguments that cannot be the organisation's are usage errors.
# usage MESSAGE OPTIONS...: exit 64, and MESSAGE is the first line of stderr.
usage() {
	want=$1
	shift
	run "$@" "$tmp/66666666-6666-4666-8666-666666666661.json"
	expect_rc 64 "$*"
	checks=$((checks + 1))
	[ "$(head -n 1 "$tmp/err")" = "azure-contact-audit: error: $want" ] || fail "$*: stderr: $(head -n 1 "$tmp/err")"
}
usage '--org-domain: a public suffix (anyone can register a domain under it): co.uk' --org-domain co.uk
usage '--org-domain: a public suffix (anyone can register a domain under it): github.io' --org-domain github.io
usage '--org-domain: not a domain name: com' --org-domain com
usage '--org-domain: RFC 2606 reserved domain: example.com' --org-domain example.com
usage '--org-domain: ICANN-reserved private-use domain: corp.internal' --org-domain corp.internal
usage "--org-domain: $tld_why: kestrelbank.con" --org-domain kestrelbank.con
usage '--org-domain: Microsoft documentation sample domain: contoso.com' --org-domain contoso.com
usage '--org-domain: placeholder domain from a template: yourcompany.com' --org-domain yourcompany.com
usage "--org-domain: shared by every Microsoft 365 tenant (name the tenant's own subdomain): onmicrosoft.com" --org-domain onmicrosoft.com
usage '--allow-domain: a public suffix (anyone can register a domain under it): co.uk' --allow-domain co.uk
# An --allow-domain vouches for the --org-domain, in either order.
run --org-domain contoso.com --allow-domain contoso.com "$tmp/66666666-6666-4666-8666-666666666661.json"
expect_rc 1 "--org-domain contoso.com with --allow-domain contoso.com"
expect_line "$tmp/out" "FAIL  66666666-6666-4666-8666-666666666661  no address in --org-domain: soc@kestrelbank.com" "--org-domain contoso.com runs"
run --org-domain kestrelbank.co.uk "$tmp/66666666-6666-4666-8666-666666666661.json"
expect_rc 1 "--org-domain under a public suffix"
finish
