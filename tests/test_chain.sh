#!/bin/sh
# SPDX-License-Identifier: ISC
# The evidence chain: a BagIt bag and a SHA256SUMS are verified (a file
# altered since collection is an ERROR for exactly what it names, a listed
# file that is absent is an ERROR for the subscription its path names, an
# unlisted file never makes a PASS), collection dates come from bag-info.txt
# or --collected-at, the newer of two dated snapshots decides, and with
# --max-age stale or undated evidence is an ERROR.
. "${srcdir:-.}/tests/lib.sh"
. "$srcdir/tests/hostile-lib.sh"
command -v sha256sum >/dev/null 2>&1 || skip_all "sha256sum is needed to build bags"
BAG=$srcdir/fixtures/bag
PASS_SUB=d43da1dd-e4a7-4d66-9656-20dc4f5fac58
FAIL_SUB=75107f03-6532-4362-9ac6-5ce56ab5133f
# With the bag's inventory, verdict lines name each subscription.
PASS_NAME="(Bag subscription 1)"
FAIL_NAME="(Bag subscription 2)"
ERR_SUB=2ee637e0-8bb3-41c9-8bb9-e62aba3eed82
# 2026-12-02T00:00:00Z: the audit's date for --max-age.
export SOURCE_DATE_EPOCH=1796169600

# fresh NAME: a copy of the fixture bag in $tmp/NAME.
fresh() {
	rm -rf "${tmp:?}/$1" && cp -R "$BAG" "$tmp/$1"
}

# The bag as delivered: verified, the same verdicts as its files.
run "$BAG"
expect_rc 2 "the bag"
expect_line "$tmp/out" "PASS  $PASS_SUB  $PASS_NAME  1 deliverable address in contact 'default'" "bag: PASS"
expect_line "$tmp/out" "FAIL  $FAIL_SUB  $FAIL_NAME  emails is empty" "bag: FAIL"
expect_verdict ERROR "$ERR_SUB" "bag: the API error"
expect_line "$tmp/err" "azure-contact-audit: $BAG/bagit.txt: note: a manifest of the bundle (tag file): read to verify the others, not evidence" "tag files are not evidence"
expect_no_match "$tmp/err" "altered|not listed|but not in the bundle|manifest:" "nothing wrong with the bag"

# Both reports state the manifest's verdict with its own SHA-256, and when
# the evidence was collected.
run --junit "$tmp/bag.xml" --html "$tmp/bag.html" "$BAG"
expect_junit_property "$tmp/bag.xml" manifest.0.verdict "verified: 7 files match" "JUnit: the bag is verified"
expect_junit_property "$tmp/bag.xml" manifest.0.path "$BAG/tagmanifest-sha256.txt" "JUnit: the manifest that binds the others"
expect_junit_property "$tmp/bag.xml" manifest.0.sha256 "$(sha256sum "$BAG/tagmanifest-sha256.txt" | cut -c1-64)" "JUnit: the manifest's SHA-256"
expect_junit_property "$tmp/bag.xml" collected.utc 2026-11-30T09:15:00Z "JUnit: the collection date"
expect_junit_property "$tmp/bag.xml" collected.source Collection-Timestamp "JUnit: where the date comes from"
check "HTML: the manifest's verdict"
xmllint --html --xpath 'string(//dl)' "$tmp/bag.html" 2>/dev/null | grep -qF "verified: 7 files match" || fail "no verdict in the HTML summary"

run --junit "$tmp/loose.xml" "$srcdir/fixtures/bundle"
expect_junit_property "$tmp/loose.xml" collected.utc unknown "JUnit: a loose export has no collection date"
expect_junit_property "$tmp/loose.xml" manifests "none delivered: the digests are the tool's own" "JUnit: no manifest delivered"
run --junit "$tmp/org.xml" --org-domain acme-corp.com "$BAG"
expect_junit_property "$tmp/org.xml" addresses.judged "for syntax, reserved, sample and template domains, placeholders, no-reply mailboxes, top-level domains, and belonging to the --org-domain domains" "JUnit: how addresses were judged"

# A file altered since collection: ERROR for exactly the subscription it
# names; the others keep their verdicts.
fresh altered
sed -i 's/secops@acme-corp.com/secops@acme-corp.net/' "$tmp/altered/data/subscriptions/$PASS_SUB/securityContacts.json"
run "$tmp/altered"
expect_rc 2 "altered bag"
expect_line "$tmp/out" "ERROR  $PASS_SUB  $PASS_NAME  evidence $tmp/altered/data/subscriptions/$PASS_SUB/securityContacts.json: altered since collection: its digest differs from the one $tmp/altered/manifest-sha256.txt:4 lists" "altered file"
expect_line "$tmp/out" "FAIL  $FAIL_SUB  $FAIL_NAME  emails is empty" "altered bag: the other files stand"
expect_diag "$tmp/altered/data/subscriptions/$PASS_SUB/securityContacts.json" - error "altered: said"
run --junit "$tmp/altered.xml" "$tmp/altered"
expect_junit_property "$tmp/altered.xml" manifest.0.verdict "1 altered, 0 missing, 0 unlisted, 0 unverified, 0 problems" "JUnit: the altered bag's verdict"

# A listed file that is absent: a row and an ERROR for its subscription.
fresh missing
rm "$tmp/missing/data/subscriptions/$FAIL_SUB/securityContacts.json"
run "$tmp/missing"
expect_rc 2 "missing file"
expect_line "$tmp/out" "ERROR  $FAIL_SUB  $FAIL_NAME  evidence $tmp/missing/data/subscriptions/$FAIL_SUB/securityContacts.json: listed in $tmp/missing/manifest-sha256.txt:3 but not in the bundle" "missing file"
expect_line "$tmp/out" "PASS  $PASS_SUB  $PASS_NAME  1 deliverable address in contact 'default'" "missing: the others stand"

# An unlisted payload file never makes a PASS.
fresh unlisted
U=0f9d4c8e-5b6a-4e3d-9c2b-1a0f9e8d7c6b
mkdir -p "$tmp/unlisted/data/subscriptions/$U"
printf '{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default", "name": "default", "properties": {"emails": "secops@acme-corp.com"}}\n' "$U" >"$tmp/unlisted/data/subscriptions/$U/extra.json"
run "$tmp/unlisted"
expect_rc 2 "unlisted file"
expect_line "$tmp/out" "ERROR  $U  only evidence that the bundle's manifest does not list passes (contact 'default' at $tmp/unlisted/data/subscriptions/$U/extra.json:1:1)" "unlisted file cannot pass"
expect_diag "$tmp/unlisted/data/subscriptions/$U/extra.json" - warning "unlisted: said"
expect_err_text "Payload-Oxum" "the Payload-Oxum no longer matches"

# A plain SHA256SUMS at the root of a folder, and --manifest FILE.
mkdir -p "$tmp/sums/$PASS_SUB"
cp "$BAG/data/subscriptions/$PASS_SUB/securityContacts.json" "$tmp/sums/$PASS_SUB/"
(cd "$tmp/sums" && sha256sum "$PASS_SUB/securityContacts.json" >SHA256SUMS)
run "$tmp/sums"
expect_rc 0 "SHA256SUMS verified"
printf 'x' >>"$tmp/sums/$PASS_SUB/securityContacts.json"
run "$tmp/sums"
expect_rc 2 "SHA256SUMS: altered"
expect_verdict ERROR "$PASS_SUB" "SHA256SUMS: altered"
cp "$BAG/data/subscriptions/$PASS_SUB/securityContacts.json" "$tmp/sums/$PASS_SUB/"
mv "$tmp/sums/SHA256SUMS" "$tmp/delivered.sha256"
mkdir -p "$tmp/m" && mv "$tmp/sums/$PASS_SUB" "$tmp/m/" && mv "$tmp/delivered.sha256" "$tmp/m/"
run --manifest "$tmp/m/delivered.sha256" "$tmp/m/$PASS_SUB"
expect_rc 0 "--manifest verified"
printf 'x' >>"$tmp/m/$PASS_SUB/securityContacts.json"
run --manifest "$tmp/m/delivered.sha256" "$tmp/m/$PASS_SUB"
expect_rc 2 "--manifest: altered"

# --max-age: the bag says 2026-11-30T09:15:00Z.
run --max-age 7 "$BAG"
expect_line "$tmp/out" "PASS  $PASS_SUB  $PASS_NAME  1 deliverable address in contact 'default'" "fresh enough"
run --max-age 1 "$BAG"
expect_line "$tmp/out" "ERROR  $PASS_SUB  $PASS_NAME  evidence $BAG/data/subscriptions/$PASS_SUB/securityContacts.json: stale evidence: collected 2026-11-30, more than 1 days before 2026-12-02" "stale"
run --max-age 7 --as-of 2026-12-31 "$BAG"
expect_verdict ERROR "$PASS_SUB" "stale as of a later date"
L=$tmp/loose
mkdir -p "$L/$PASS_SUB" && cp "$BAG/data/subscriptions/$PASS_SUB/securityContacts.json" "$L/$PASS_SUB/"
run --max-age 30 "$L"
expect_rc 2 "undated"
expect_line "$tmp/out" "ERROR  $PASS_SUB  evidence $L/$PASS_SUB/securityContacts.json: collection date unknown: --max-age 30 needs a bag's bag-info.txt or --collected-at" "undated"
run --max-age 30 --collected-at 2026-11-20 "$L"
expect_rc 0 "--collected-at gives the date"
run --collected-at 2026-13-01 "$L"
expect_rc 64 "a day that does not exist"

# The newer of two dated snapshots decides: the bag (2026-11-30) holds a
# deliverable address; an older loose export (--collected-at) an empty one.
mkdir -p "$tmp/old/$PASS_SUB"
sed 's/"secops@acme-corp.com"/""/' "$BAG/data/subscriptions/$PASS_SUB/securityContacts.json" >"$tmp/old/$PASS_SUB/q3.json"
run --collected-at 2026-09-30 "$BAG" "$tmp/old"
expect_line "$tmp/out" "PASS  $PASS_SUB  $PASS_NAME  1 deliverable address in contact 'default'" "the newer snapshot decides"
run --collected-at 2026-12-01 "$BAG" "$tmp/old"
expect_line "$tmp/out" "FAIL  $PASS_SUB  $PASS_NAME  emails is empty" "now the loose export is newer"
run "$BAG" "$tmp/old/$PASS_SUB/q3.json"
expect_verdict ERROR "$PASS_SUB" "unknown date: the snapshots disagree"
finish
