#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end verdicts: every subscription of fixtures/{bundle,shapes,hostile}
# gets the verdict fixtures/expected.tsv states; exit statuses for pure
# PASS/FAIL runs; waivers (valid, expired, on an ERROR) in stdout and JUnit;
# the opt-in sibling rules.
. "${srcdir:-.}/tests/lib.sh"
cd "$srcdir" || exit 99
export SOURCE_DATE_EPOCH=1767225600

for dir in bundle shapes hostile realistic delivered; do
	run "fixtures/$dir"
	cp "$tmp/out" "$tmp/$dir.out"
done
cat "$tmp/bundle.out" "$tmp/shapes.out" "$tmp/hostile.out" "$tmp/realistic.out" "$tmp/delivered.out" >"$tmp/all.out"
while IFS="$tab" read -r path sub verdict _; do
	case "$sub" in *-*-*-*-*) ;; *) continue ;; esac
	check "$path: $verdict for $sub"
	case "$verdict" in
	PASS | FAIL | ERROR)
		grep -q "^$verdict  $sub  " "$tmp/all.out" || fail "$path: expected $verdict for $sub, got: $(grep "$sub" "$tmp/all.out")" ;;
	N/A)
		grep -q "  $sub  " "$tmp/all.out" && fail "$path: disabled subscription $sub was audited" ;;
	esac
done <fixtures/expected.tsv

# Exact reasons the issue names.
expect_line "$tmp/all.out" "FAIL  3fd65c5f-c586-49d2-adb2-0b8dc425eaed  (Contoso Dev)  emails is empty" "emails is empty"
expect_line "$tmp/all.out" "FAIL  e413be40-ded3-45c8-8302-9fbb74439ff6  (Contoso Test)  emails is null" "emails is null"
expect_line "$tmp/all.out" "FAIL  68c5e8be-98da-4358-9851-6ccae846149f  (Contoso DR)  no security contact configured" "no contact"
expect_line "$tmp/all.out" "FAIL  e36a19f1-b249-405c-b531-2a375225eae3  (Contoso Analytics)  contact disabled (isEnabled=false)" "disabled"
expect_line "$tmp/all.out" "FAIL  7ee6fb9d-b169-4f2f-889f-0ebde2d28ee6  (Contoso Marketing)  only reserved/sample addresses: soc@example.com (RFC 2606)" "reserved"
expect_line "$tmp/all.out" "FAIL  9e22163d-dbf2-4059-b077-600c13493828  (Contoso Sandbox)  no valid address: '<validEmailAddress>' is not an email address" "placeholder"
expect_line "$tmp/all.out" "ERROR  c6ff6cca-aad3-46be-863f-011bd6fa5dc9  (Contoso IoT)  no evidence for subscription" "inventory gap"
expect_line "$tmp/all.out" "ERROR  7a553029-c605-49fa-b3a6-d381596b7ab2  'emails' given twice in one contact: ambiguous" "duplicate emails"

# Compressed evidence is read through zlib; a truncated .gz is an error.
run fixtures/compressed
expect_rc 2 "compressed fixtures"
expect_line "$tmp/out" "PASS  c0a1e5d2-7b3f-4e8a-9c6d-1f2e3a4b5c6d  1 deliverable address in contact 'default'" ".json.gz read"
check "truncated .gz is an ERROR"; grep -q "^ERROR  c0a1e5d2-7b3f-4e8a-9c6d-1f2e3a4b5c6e  unreadable evidence .*truncated gzip data" "$tmp/out" || fail "truncated .gz: $(cat "$tmp/out")"

# A second id in one contact could move it to another subscription: ERROR.
printf '[{"id":"/subscriptions/11111111-1111-4111-8111-111111111111/providers/Microsoft.Security/securityContacts/default","Id":"/subscriptions/22222222-2222-4222-8222-222222222222/x","properties":{"emails":"a@acme-corp.com"}}]' >"$tmp/dup-id.json"
run "$tmp/dup-id.json"
expect_rc 2 "duplicate id"
expect_line "$tmp/out" "ERROR  22222222-2222-4222-8222-222222222222  'id' given twice in one contact: ambiguous" "duplicate id verdict"
expect_line "$tmp/err" "azure-contact-audit: $tmp/dup-id.json:1:121: error: 'id' given twice in one contact: ambiguous" "duplicate id message"

# Pure outcomes give pure exit statuses.
run fixtures/shapes/rest-2023-get.json
expect_rc 0 "a passing file"
run fixtures/shapes/jq/a2574022-cd36-425f-9fd5-820cd5728f39/jq-emails-empty.json
expect_rc 1 "a failing file"
run fixtures/shapes/rest-2023-get.json fixtures/shapes/jq/a2574022-cd36-425f-9fd5-820cd5728f39/jq-emails-empty.json
expect_rc 1 "pass and fail"
run fixtures/shapes/errors/7038ec0d-50e2-443f-910a-a6ece4dd2156/error-authorization.json
expect_rc 2 "an API error body"

# --allow-domain and --org-domain change address verdicts, not the rest.
run --allow-domain example.com fixtures/bundle/az-cli/contact-show-7ee6fb9d-b169-4f2f-889f-0ebde2d28ee6.json
expect_rc 0 "--allow-domain example.com"
run --org-domain umbrella-health.org fixtures/bundle/tenant-contoso/600754d1-f5ee-4284-a75c-18aa6aeab770/securityContacts.json
expect_rc 0 "--org-domain matching"
run --org-domain acme-corp.com fixtures/bundle/tenant-contoso/600754d1-f5ee-4284-a75c-18aa6aeab770/securityContacts.json
expect_rc 1 "--org-domain not matching"
expect_line "$tmp/out" "FAIL  600754d1-f5ee-4284-a75c-18aa6aeab770  no address in --org-domain: security@umbrella-health.org" "--org-domain reason"
run --org-domain 'not a domain' fixtures/bundle
expect_rc 64 "--org-domain with a bad domain"

# Waivers: a valid one turns FAIL into WAIVED, an expired one is ignored with a
# warning, one on an ERROR changes nothing.
run --waivers tests/data/waivers.json --junit "$tmp/w.xml" --html "$tmp/w.html" fixtures/bundle
expect_rc 2 "waivers on the bundle (still has ERRORs)"
expect_line "$tmp/out" "WAIVED  3fd65c5f-c586-49d2-adb2-0b8dc425eaed  (Contoso Dev)  waived by SEC-1042 until 2099-12-31: Dev subscription, contact set by the platform team in Q1 (was FAIL: emails is empty)" "waived line"
expect_line "$tmp/out" "FAIL  e413be40-ded3-45c8-8302-9fbb74439ff6  (Contoso Test)  emails is null" "expired waiver ignored"
expect_line "$tmp/err" "azure-contact-audit: tests/data/waivers.json:9:3: warning: waiver for e413be40-ded3-45c8-8302-9fbb74439ff6 expired on 2025-06-30: ignored" "expired warning"
checks=$((checks + 1)); grep -q "^ERROR  d9ec16e1-4dde-4d83-b82c-ba6f625faf31  " "$tmp/out" || fail "a waiver changed an ERROR"
checks=$((checks + 1))
skipped=$(xmllint --xpath 'string(//testcase[starts-with(@name, "CIS 2.3.2 3fd65c5f-c586-49d2-adb2-0b8dc425eaed ")]/skipped/@message)' "$tmp/w.xml")
case "$skipped" in "waived by SEC-1042"*) ;; *) fail "JUnit skipped message for the waived subscription: '$skipped'" ;; esac
check "waiver status property"
[ "$(xmllint --xpath 'string(//property[@name="waiver.1.status"]/@value)' "$tmp/w.xml")" = "expired: ignored" ] || fail "waiver status property"
xmllint --html --xpath 'string(//div[@id="waivers"])' "$tmp/w.html" 2>/dev/null >"$tmp/w.txt"
expect_line "$tmp/err" "azure-contact-audit: tests/data/waivers.json:16:3: warning: waiver for d9ec16e1-4dde-4d83-b82c-ba6f625faf31 not applied: the verdict is ERROR, and undecided evidence cannot be waived" "waiver on an ERROR: warning"
check "waiver on an ERROR: JUnit status property"
[ "$(xmllint --xpath 'string(//property[@name="waiver.2.status"]/@value)' "$tmp/w.xml")" = "applied to 0 FAIL verdict(s); not to 1 ERROR verdict(s)" ] ||
	fail "waiver on an ERROR: JUnit status property"
for want in "applied to 1 FAIL verdict" "expired: ignored" "SEC-1100" "waived by SEC-1042" \
	"not to 1 ERROR verdict (undecided evidence cannot be waived)"; do
	check "HTML waivers section has '$want'"; grep -qF "$want" "$tmp/w.txt" || fail "HTML waivers section lacks '$want'"
done
# The waiver file decides verdicts too: hashed like the evidence.
wsha=$(sha256sum <tests/data/waivers.json | cut -d' ' -f1)
check "waivers.sha256 property"
[ "$(xmllint --xpath 'string(//property[@name="waivers.sha256"]/@value)' "$tmp/w.xml")" = "$wsha" ] || fail "waivers.sha256 property"
check "a sha256sum line for the waiver file"
xmllint --html --xpath 'string(//pre[@class="sha256sum"])' "$tmp/w.html" 2>/dev/null | grep -qx "$wsha  tests/data/waivers.json" ||
	fail "no sha256sum line for the waiver file"
# The JUnit file names the control in every edition and the inventory's
# subscriptions by name, passing ones included.
run --junit "$tmp/b.xml" fixtures/bundle
check "control.equivalents property"
[ "$(xmllint --xpath 'string(//property[@name="control.equivalents"]/@value)' "$tmp/b.xml")" = \
	"1.3.0 2.13; 1.4.0 2.13; 1.5.0 2.3.2; 2.0.0 2.1.19; 2.1.0 2.1.18; 3.0.0 3.1.13; 4.0.0 9.1.13; 5.0.0 8.1.13; 6.0.0 8.1.13" ] ||
	fail "control.equivalents: $(xmllint --xpath 'string(//property[@name="control.equivalents"]/@value)' "$tmp/b.xml")"
check "display name property for a passing inventory subscription"
name=$(xmllint --xpath 'string(//property[@name="subscription.54cae10f-1d90-4a2e-affe-0fcca9f7ab4a.name"]/@value)' "$tmp/b.xml")
[ -n "$name" ] || fail "no display name property for a passing inventory subscription"
# Only a waived FAIL: exit 0.
run --waivers tests/data/waivers.json fixtures/bundle/tenant-contoso/3fd65c5f-c586-49d2-adb2-0b8dc425eaed/securityContacts.json
expect_rc 0 "only a waived FAIL"
# A broken waiver file is an error (exit 2) but the audit still runs.
printf '[{"subscription":"nope","rule":"2.3.2"}]' >"$tmp/bad-waivers.json"
run --waivers "$tmp/bad-waivers.json" fixtures/shapes/rest-2023-get.json
expect_rc 2 "invalid waiver"
expect_line "$tmp/err" "azure-contact-audit: $tmp/bad-waivers.json:1:2: error: invalid waiver: needs subscription (a GUID), rule, reason, ticket and expires" "invalid waiver message"

# Sibling rules are opt-in, named by the edition's control ids.
run --rule all fixtures/bundle/tenant-contoso/600754d1-f5ee-4284-a75c-18aa6aeab770/securityContacts.json
check "--rule all: three lines"; [ "$(grep -c '600754d1' "$tmp/out")" -eq 3 ] || fail "--rule all: three lines expected: $(cat "$tmp/out")"
check "--rule all: 2.3.3 line"; grep -q '  2\.3\.3: ' "$tmp/out" || fail "--rule all: 2.3.3 line"
run --benchmark 3.0.0 --rule alert-severity --junit "$tmp/e.xml" fixtures/shapes/rest-2023-get.json
check "--benchmark 3.0.0 ids"; grep -q '  3\.1\.14: ' "$tmp/out" || fail "--benchmark 3.0.0 ids: $(cat "$tmp/out")"
check "JUnit testcase name carries the edition's id"; xmllint --xpath '//testcase/@name' "$tmp/e.xml" | grep -q 'CIS 3.1.13 ' || fail "JUnit testcase name carries the edition's id"
finish
