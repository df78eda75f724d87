#!/bin/sh
# SPDX-License-Identifier: ISC
# Bundles delivered as archives: fixtures/bundle and fixtures/bag as a zip, a
# tar and a tar.gz give the verdicts of their folders, entries cited as
# ARCHIVE!NAME with their SHA-256 in every report; a tampered bag inside a
# zip is ERROR for exactly what the altered file names; hostile archives
# give their error while the rest is read; the caps and their options; an
# archive named like JSON, on standard input, or inside a folder walk.
. "${srcdir:-.}/tests/lib.sh"
srcdir=$(cd "$srcdir" && pwd)
command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "python3 is needed to build the archives"
export SOURCE_DATE_EPOCH=1767225600
cd "$tmp" || exit 99

# pack KIND OUT DIR: DIR (relative) packed as OUT, entries named DIR/...
pack() {
	"$PYTHON3" - "$@" <<'PY' || exit 99
import os, sys, tarfile, zipfile
kind, out, top = sys.argv[1:4]
names = []
for root, dirs, files in os.walk(top):
    dirs.sort()
    names += [os.path.join(root, f) for f in sorted(files)]
if kind == "zip":
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.write(n)
else:
    with tarfile.open(out, {"tar": "w", "tar.gz": "w:gz"}[kind]) as t:
        t.add(top)
PY
}

# The verdict lines of a run, with PREFIX (an archive's "X!") taken out of
# every citation.
verdicts() {
	grep -v '^Total: ' "$tmp/out" | sed "s|$1||g"
}

cp -R "$srcdir/fixtures/bundle" bundle
cp -R "$srcdir/fixtures/bag" bag
run --junit folder.xml bundle
expect_rc 2 "the folder"
grep -v '^Total: ' "$tmp/out" >folder.verdicts
folder_total=$(tail -n 1 "$tmp/out")
for kind in zip tar tar.gz; do
	pack "$kind" "bundle.$kind" bundle
	run --junit "$kind.xml" --html "$kind.html" --csv "$kind.csv" "bundle.$kind"
	expect_rc 2 "bundle.$kind"
	verdicts "bundle.$kind!" >"$kind.verdicts"
	checks=$((checks + 1))
	diff folder.verdicts "$kind.verdicts" >"$tmp/diff" || fail "bundle.$kind: verdicts differ from the folder's: $(head -c 600 "$tmp/diff")"
	# One more evidence file: the archive's own row.
	expect_line "$tmp/out" "$(echo "$folder_total" | sed 's/; 15 evidence files,/; 16 evidence files,/')" "bundle.$kind: the Total line"
	expect_line "$tmp/err" "azure-contact-audit: bundle.$kind!bundle/tenant-contoso/d9ec16e1-4dde-4d83-b82c-ba6f625faf31/securityContacts.json:1:103: error: file ends early at 1:103 (truncated?)" \
		"bundle.$kind: an entry cited with its line and column"
	# Every entry's SHA-256 in JUnit is the file's; the archive has its own.
	entry=bundle/az-cli/contact-list-54cae10f-1d90-4a2e-affe-0fcca9f7ab4a.json
	want=$(sha256sum "$entry" | cut -c1-64)
	key=$(xmllint --xpath "string(//property[@value='bundle.$kind!$entry']/@name)" "$kind.xml")
	checks=$((checks + 1))
	[ -n "$key" ] && [ "$(xmllint --xpath "string(//property[@name='${key%.path}.sha256']/@value)" "$kind.xml")" = "$want" ] ||
		fail "bundle.$kind: JUnit has no row with the SHA-256 of $entry"
	key=$(xmllint --xpath "string(//property[@value='bundle.$kind']/@name)" "$kind.xml")
	checks=$((checks + 1))
	[ -n "$key" ] && [ "$(xmllint --xpath "string(//property[@name='${key%.path}.sha256']/@value)" "$kind.xml")" = "$(sha256sum "bundle.$kind" | cut -c1-64)" ] ||
		fail "bundle.$kind: JUnit has no row with the archive's own SHA-256"
	checks=$((checks + 1))
	xmllint --html --xpath 'string(//section[@id="manifest"])' "$kind.html" 2>/dev/null | grep -qF "bundle.$kind!$entry" ||
		fail "bundle.$kind: the HTML manifest does not list $entry"
	# How to verify: the sha256sum lines all end in OK; the entries are
	# checked through the archive's own line.
	check "bundle.$kind: the HTML's sha256sum lines verify"
	xmllint --html --xpath 'string(//pre[@class="sha256sum"])' "$kind.html" 2>/dev/null >"$kind.sums"
	grep -q "  bundle.$kind\$" "$kind.sums" && ! grep -q '!' "$kind.sums" &&
		sha256sum -c "$kind.sums" >"$tmp/sums.out" 2>&1 || fail "$(cat "$kind.sums" "$tmp/sums.out")"
	check "bundle.$kind: the HTML says how the entries are checked"
	xmllint --html --xpath 'string(//section[@id="verify"])' "$kind.html" 2>/dev/null |
		grep -qF "15 archive entries have no line above: each is checked by its archive's line" || fail "no note on the entries"
	checks=$((checks + 1))
	grep -q "^54cae10f-1d90-4a2e-affe-0fcca9f7ab4a,.*,bundle.$kind!$entry:[0-9]*:[0-9]*,$want," "$kind.csv" ||
		fail "bundle.$kind: the CSV row does not cite the entry with its digest: $(grep 54cae10f "$kind.csv")"
done

# The bag as a zip and as a tar.gz: verified, dated, the verdicts of the folder.
run bag
grep -v '^Total: ' "$tmp/out" >bag.verdicts
for kind in zip tar.gz; do
	pack "$kind" "bag.$kind" bag
	run --junit "bag-$kind.xml" --oscal "bag-$kind.json" "bag.$kind"
	expect_rc 2 "bag.$kind"
	# OSCAL names what each file is as far as it was read: the archive by
	# its kind, the JSON entries as JSON, a tag file not at all.
	check "bag.$kind: OSCAL media types"
	got=$("$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["assessment-results"]["back-matter"]["resources"]:
    for l in r.get("rlinks", []):
        print(l.get("media-type", "-"), l["href"].split("%21")[-1].split("!")[-1])
' "bag-$kind.json" | sort | grep -E ' (bag\.(zip|tar\.gz)|bag/bagit\.txt|bag/data/inventory/accounts\.json)$' | tr '\n' '|')
	case $kind in zip) want=application/zip ;; *) want=application/gzip ;; esac
	want=$(printf '%s\n' "- bag/bagit.txt" "application/json bag/data/inventory/accounts.json" "$want bag.$kind" | sort | tr '\n' '|')
	[ "$got" = "$want" ] || fail "media types: $got, not $want"
	verdicts "bag.$kind!" >"bag-$kind.verdicts"
	checks=$((checks + 1))
	diff bag.verdicts "bag-$kind.verdicts" >"$tmp/diff" || fail "bag.$kind: verdicts differ from the folder's: $(head -c 600 "$tmp/diff")"
	expect_no_match "$tmp/err" "error: manifest" "bag.$kind: its manifests verify"
	expect_line "$tmp/err" "azure-contact-audit: bag.$kind!bag/manifest-sha256.txt: note: a manifest of the bundle (tag file): read to verify the others, not evidence" "bag.$kind: tag files are not evidence"
done
# Tampered inside the zip: ERROR for exactly that subscription.
PASS_SUB=d43da1dd-e4a7-4d66-9656-20dc4f5fac58
FAIL_SUB=75107f03-6532-4362-9ac6-5ce56ab5133f
sed -i 's/secops@acme-corp.com/secops@acme-corp.net/' "bag/data/subscriptions/$PASS_SUB/securityContacts.json"
pack zip tampered.zip bag
run tampered.zip
expect_rc 2 "a tampered bag in a zip"
expect_line "$tmp/out" "ERROR  $PASS_SUB  (Bag subscription 1)  evidence tampered.zip!bag/data/subscriptions/$PASS_SUB/securityContacts.json: altered since collection: its digest differs from the one tampered.zip!bag/manifest-sha256.txt:4 lists" "tampered: the altered file"
expect_line "$tmp/out" "FAIL  $FAIL_SUB  (Bag subscription 2)  emails is empty" "tampered: the others stand"

# Found by content inside a folder walk, whatever the name; named like
# JSON it is an error that says to rename it; on standard input, the same.
mkdir walk && cp bundle.zip walk/evidence-2026q4 && cp bundle.tar.gz walk/backup.json
run walk
expect_rc 2 "archives in a folder"
expect_verdict PASS 54cae10f-1d90-4a2e-affe-0fcca9f7ab4a "an archive without an archive's name, found by content"
expect_line "$tmp/err" "azure-contact-audit: walk/backup.json: error: gzip of a tar archive (.tar.gz), not JSON: in a folder, an archive is read entry by entry only under a name that does not say JSON (rename it .zip, .tar or .tar.gz), and never from standard input" "an archive named like JSON"
run - <bundle.zip
expect_rc 2 "an archive on standard input"
expect_line "$tmp/err" "azure-contact-audit: -: error: a zip archive, not JSON: in a folder, an archive is read entry by entry only under a name that does not say JSON (rename it .zip, .tar or .tar.gz), and never from standard input" "an archive on standard input"

# Hostile archives (tests/make-archives.py): each entry's error, the rest read.
A=$(pwd)/hostile
"$PYTHON3" "$srcdir/tests/make-archives.py" "$A" || exit 99
run "$A/names.zip"
expect_rc 2 "hostile names"
expect_line "$tmp/err" "azure-contact-audit: $A/names.zip!../x.json: error: the name has a \"..\" segment, which points outside the folder the archive is in: not read" "a .. name"
expect_line "$tmp/err" "azure-contact-audit: $A/names.zip!/abs.json: error: the name is an absolute path: not read" "an absolute name"
expect_line "$tmp/err" "azure-contact-audit: $A/names.zip!ctl\\u0001.json: error: the name has a control character (shown escaped): not read" "a control character, escaped"
run "$A/types.tar"
expect_line "$tmp/err" "azure-contact-audit: $A/types.tar!link.json: error: a symbolic link (to \"/etc/passwd\"), not a file: not read" "a symlink entry"
expect_line "$tmp/err" "azure-contact-audit: $A/types.tar!pipe: error: a named pipe (FIFO), not a file: not read" "a FIFO entry"
run "$A/encrypted.zip"
expect_line "$tmp/err" "azure-contact-audit: $A/encrypted.zip!secret.json: error: encrypted: the tool does not decrypt evidence; not read" "an encrypted entry"
run "$A/badcrc.zip"
expect_line "$tmp/err" "azure-contact-audit: $A/badcrc.zip!bad.json: error: its data cannot be read whole (libarchive: ZIP bad CRC: 0x754bdb0c should be 0x754bdb0d)" "a bad CRC"
run "$A/dup.zip"
expect_line "$tmp/err" "azure-contact-audit: $A/dup.zip!a.json: error: entry 3 of the archive has the same name: an extractor would keep only one of the two, so neither can be trusted" "a duplicate: the first"
expect_line "$tmp/err" "azure-contact-audit: $A/dup.zip!a.json: error: entry 1 has the same name: an extractor would keep only one of the two, so neither can be trusted; not read" "a duplicate: the second"
run "$A/nested.zip"
expect_line "$tmp/err" "azure-contact-audit: $A/nested.zip!inner.zip: error: its content is a zip; an archive inside an archive is not read: extract it and audit the inner archive" "a nested zip"
expect_line "$tmp/out" "FAIL  11111111-1111-4111-8111-111111111111  only reserved/sample addresses: a@example.com (RFC 2606)" "nested: the rest is read"
run "$A/truncated.tar.gz"
expect_rc 2 "a truncated tar.gz"
expect_line "$tmp/out" "FAIL  11111111-1111-4111-8111-111111111111  only reserved/sample addresses: a@example.com (RFC 2606)" "truncated: the entry before the damage is read"
expect_line "$tmp/out" "ERROR  unknown-subscription($A/truncated.tar.gz)  unreadable evidence $A/truncated.tar.gz: the archive is damaged in entry 2 (\"b.json\"): its data cannot be read whole (libarchive: truncated gzip input); the entries after it cannot be read" "truncated: the archive is an ERROR"
# The caps, and the options that move them.
run --max-entry-bytes 1000 "$A/bomb.zip"
expect_line "$tmp/err" "azure-contact-audit: $A/bomb.zip!zeros.json: error: larger than the cap of 1000 bytes for one entry: not read past it" "--max-entry-bytes"
run --max-archive-entries 4 "$A/many.zip"
expect_line "$tmp/err" "azure-contact-audit: $A/many.zip: error: the archive has more than 4 entries (the cap on entries): entry 5 and those after it are not read (--max-archive-entries and --max-archive-bytes raise the caps)" "--max-archive-entries"
run --max-archive-entries 1x "$A/many.zip"
expect_rc 64 "a cap that is not a number"
head -c 100 bundle.zip >cut.zip
run cut.zip
expect_rc 2 "a zip cut short"
checks=$((checks + 1))
grep -q "^ERROR  unknown-subscription(cut.zip)  unreadable evidence cut.zip: " "$tmp/out" || fail "a zip cut short: $(cat "$tmp/out")"

# Names that are UTF-8 come out whole under the C locale.
G=9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
mkdir -p "café/$G"
printf '{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default", "properties": {"emails": "a@acme-corp.com"}}\n' "$G" >"café/$G/c.json"
pack zip utf8.zip café
LC_ALL=C run utf8.zip
expect_line "$tmp/out" "PASS  $G  1 deliverable address in contact 'default'" "a UTF-8 name under LC_ALL=C"
LC_ALL=C run --junit utf8.xml utf8.zip
checks=$((checks + 1))
xmllint --xpath "count(//property[@value='utf8.zip!café/$G/c.json'])" utf8.xml | grep -qx 1 || fail "the UTF-8 entry name in JUnit"
finish
