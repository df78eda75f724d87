#!/bin/sh
# SPDX-License-Identifier: ISC
# Verdicts that hold on bundles as auditors get them (fixtures/realistic
# and cases built here): the same meaning is no conflict, a real gap is
# never a PASS, unread or missing evidence is ERROR, and clear evidence in
# an unusual form is read.
. "${srcdir:-.}/tests/lib.sh"
cd "$srcdir" || exit 99
R=fixtures/realistic

run --rule all "$R"
expect_rc 2 "realistic bundle"
cp "$tmp/out" "$tmp/all.out"
cp "$tmp/err" "$tmp/all.err"

# Only securityContacts objects are contacts: the API Management and Lab
# Services users of a mixed dump are ignored, with the warning.
S=f38b2ffc-80a4-4f5a-91c9-bc701e7ea419
expect_line "$tmp/all.out" "PASS  $S  2.3.2: 1 deliverable address in contact 'default'" "mixed dump"
expect_line "$tmp/all.err" "azure-contact-audit: $R/mixed-provider-dump.json:3:5: warning: value is not a security contact, an error body or a subscription: ignored" "API Management user ignored"
expect_line "$tmp/all.err" "azure-contact-audit: $R/mixed-provider-dump.json:13:5: warning: value is not a security contact, an error body or a subscription: ignored" "Lab Services user ignored"

# A loop that forgot --subscription: the files named for B and C hold A's
# list only.
A=f3f49249-dc28-4f90-a5ae-c7978306d03b B=e5121482-3929-4d22-a255-accb1a466884
expect_line "$tmp/all.out" "PASS  $A  2.3.2: 1 deliverable address in contact 'default'" "loop: A passes on three same copies"
expect_line "$tmp/all.out" "ERROR  $B  2.3.2: file named for subscription $B holds evidence for $A only: $R/loop-gone-wrong/$B/securityContacts.json" "loop: B undecided"
expect_line "$tmp/all.err" "azure-contact-audit: $R/loop-gone-wrong/$B/securityContacts.json: error: file named for subscription $B holds evidence for $A only" "loop: said on stderr"

# Notices between concatenated documents and after the JSON.
expect_line "$tmp/all.out" "PASS  d7a7a3cc-8c3d-4f16-9293-de8fc88b2875  2.3.2: 1 deliverable address in contact 'default'" "document after a notice"
expect_line "$tmp/all.out" "FAIL  7dabe929-c4a3-44bf-86cd-75e9bb049a79  2.3.2: emails is empty" "document between notices"
expect_line "$tmp/all.err" "azure-contact-audit: $R/az-loop-notices.json: note: skipped 3 az CLI notice line(s) (not JSON)" "notices counted"

# PowerShell 5.1 writes a one-element array as the element.
P=70eb9a0a-9626-4ae6-85e8-18fac0433cbd
expect_line "$tmp/all.out" "PASS  $P  2.3.1: subscription owners are notified" "\"Roles\": \"Owner\""
expect_line "$tmp/all.out" "PASS  $P  2.3.3: alert e-mails on for high-severity alerts" "one NotificationsSources object"

# Q3 (az CLI, 2020) and Q4 (REST 2023, isEnabled true) exports of one
# contact, addresses in another order and case: one meaning, no warning.
Q=14aa4e71-9d3c-4dec-80a6-1f933d6c51e3
expect_line "$tmp/all.out" "PASS  $Q  2.3.2: 2 deliverable addresses in contact 'default'" "Q3 and Q4 agree"
expect_no_match "$tmp/all.err" "$Q|q3-q4.*differs" "no snapshot warning for the same meaning"

# Files by content: JSON named .json.txt is read; a note is listed, hashed,
# and the subscription its name names is undecided.
expect_line "$tmp/all.out" "PASS  1919e93a-d117-45ad-8988-93101c593af5  2.3.2: 1 deliverable address in contact 'default'" ".json.txt read"
T=e4163207-d094-4996-82f0-ee99731c9452
expect_line "$tmp/all.out" "ERROR  $T  2.3.2: unreadable evidence $R/by-content/$T-notes.txt: not evidence (its content is not JSON, JSON Lines or gzip): listed, not read" "a note is not evidence"
expect_line "$tmp/all.err" "azure-contact-audit: $R/by-content/$T-notes.txt: note: not evidence (its content is not JSON, JSON Lines or gzip): listed, not read" "said as a note"

# az --query "[].emails": addresses only. The e-mail rule can pass and says
# what it cannot show; the setting rules cannot be decided from it.
E=5071950e-adec-4f11-bd83-6e77af67d461
expect_line "$tmp/all.out" "PASS  $E  2.3.2: 2 deliverable addresses in contact '(unnamed)'; note: the evidence shows the addresses only, not whether the contact is enabled" "az --query list"
expect_line "$tmp/all.out" "ERROR  $E  2.3.3: the evidence shows the addresses only (jq or az --query output), not this setting" "alerts not shown"

# An empty first page whose next page is not in the bundle.
expect_line "$tmp/all.out" "ERROR  59001ac9-4063-49bc-a5b0-0a2d35d14880  2.3.2: one page of a longer list (nextLink or skip token set) and its other pages are not in the bundle: they may hold the contact" "missing pages"

# Inventories: an Enabled row wins over a Disabled one; the tenant-level
# account is not a subscription.
expect_line "$tmp/all.out" "ERROR  5b4c8012-ede7-4d0c-bfb8-8309fadb8908  (Payments)  2.3.2: no evidence for subscription" "Enabled in one inventory"
tenant=$(sed -n 's/.*"tenantId": "\([0-9a-f-]*\)".*/\1/p' "$R/inventories/tenant-a-accounts.json" | head -1)
expect_no_match "$tmp/all.out" "  $tenant  " "the tenant-level account is no subscription"

# Shapes the reader must not take for an empty list.
expect_line "$tmp/all.out" "ERROR  b91dddd9-1389-4372-a341-738c837a7935  2.3.2: 'emails' has unexpected type array of objects" "emails as objects"
expect_line "$tmp/all.out" "ERROR  89be9c1c-8eb5-440f-96f4-488157241955  2.3.2: 'properties' is an array, not an object (PowerShell ConvertTo-Json cut at its depth?): the contact cannot be read" "properties as an array"
expect_line "$tmp/all.out" "ERROR  24114258-751b-4c83-89a0-47dc4ac87fc0  2.3.2: 'properties' given twice in one contact: ambiguous" "properties twice"
expect_line "$tmp/all.out" "PASS  b766ff10-b437-4db5-a511-49bbe060a724  2.3.2: 1 deliverable address in contact 'default'" "isEnabled null"

# systemData.lastModifiedAt is shown as the contact's last change.
run --junit "$tmp/j.xml" "$R/system-data.json"
expect_rc 1 "systemData"
checks=$((checks + 1))
grep -qF "last changed (systemData.lastModifiedAt): 2026-10-14T08:30:00Z" "$tmp/j.xml" ||
	fail "the JUnit failure text does not show the last change"

# Two snapshots that give different verdicts: ERROR naming both places.
G=0b6c1d1e-7f8a-4b9c-8d0e-1f2a3b4c5d6e
mkdir -p "$tmp/snap/$G"
printf '[{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default", "name": "default", "properties": {"emails": "secops@acme-corp.com"}}]\n' "$G" >"$tmp/snap/$G/q3.json"
printf '{"value": [{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/Default", "name": "Default", "properties": {"emails": "", "isEnabled": true}}]}\n' "$G" >"$tmp/snap/$G/q4.json"
run "$tmp/snap"
expect_rc 2 "snapshots disagree"
expect_line "$tmp/out" "ERROR  $G  snapshots disagree: contact 'default' at $tmp/snap/$G/q3.json:1:2 passes (1 deliverable address), at $tmp/snap/$G/q4.json:1:12 does not (emails is empty)" "the reason says what and where"

# The same verdict under both readings: that verdict, with a warning on
# stdout and stderr naming both files.
printf '{"value": [{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default", "name": "default", "properties": {"emails": "soc@example.com"}}]}\n' "$G" >"$tmp/snap/$G/q3.json"
run "$tmp/snap"
expect_rc 1 "snapshots differ, both fail"
expect_line "$tmp/out" "FAIL  $G  default: only reserved/sample addresses: soc@example.com (RFC 2606); Default: emails is empty; warning: two snapshots of contact 'default' differ in addresses ($tmp/snap/$G/q3.json:1:12 and $tmp/snap/$G/q4.json:1:12), with the same verdict under each" "FAIL with the warning"
expect_line "$tmp/err" "azure-contact-audit: $tmp/snap/$G/q3.json:1:12: warning: contact 'default' differs from its snapshot at $tmp/snap/$G/q4.json:1:12; the verdict is the same under each" "the warning on stderr"

# An empty list beside a list with contacts, two documents in one file.
printf '{"value": []}\n{"value": [{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default", "name": "default", "properties": {"emails": "secops@acme-corp.com"}}]}\n' "$G" >"$tmp/snap/$G/q3.json"
rm "$tmp/snap/$G/q4.json"
run "$tmp/snap"
expect_rc 2 "an empty list beside contacts"
expect_line "$tmp/out" "ERROR  $G  snapshots disagree: contact 'default' at $tmp/snap/$G/q3.json:2:12 passes (1 deliverable address), the contact list at $tmp/snap/$G/q3.json:1:11 is empty" "two documents, two snapshots"

# The run's own waiver file in the evidence folder is not evidence.
W=$tmp/own
mkdir -p "$W"
cp fixtures/shapes/rest-2023-get.json "$W/"
printf '[{"subscription": "23ee64f7-9259-4f28-9d44-e3027bd8f051", "rule": "*", "reason": "x", "ticket": "T-1", "expires": "2099-12-31"}]\n' >"$W/waivers.json"
run --waivers "$W/waivers.json" "$W"
expect_rc 0 "own waiver file in the folder"
expect_line "$tmp/err" "azure-contact-audit: $W/waivers.json: note: the --waivers file of this run: not evidence" "said as a note"
finish
