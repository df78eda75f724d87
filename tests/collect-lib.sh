# SPDX-License-Identifier: ISC
# Shared set-up for the collector's end-to-end tests (sourced after
# tests/lib.sh): the stub az first on PATH, a PATH of only the tools the
# collector may use, and the subscriptions of tests/data/collect/.
# shellcheck shell=sh
# shellcheck disable=SC2154,SC2034 # srcdir, tmp, checks come from tests/lib.sh; the sub_* names are for the tests
COLLECT=${COLLECT:-./src/azure-contact-audit-collect}
STUB_AZ_DATA=$(cd "$srcdir/tests/data/collect" && pwd) || exit 99
export STUB_AZ_DATA
# The retry back-off is not what these tests measure; a wait the error
# message asks for is still honoured.
AZURE_CONTACT_AUDIT_COLLECT_BACKOFF=0
export AZURE_CONTACT_AUDIT_COLLECT_BACKOFF

# The inventory (tests/data/collect/account-list.json) names each one, and
# the audit's verdict lines carry that name in parentheses.
sub_pass=1b4e28ba-2fa1-4d3b-883f-0016d3cca427
sub_disabled=2c5f39cb-3ab2-4e4c-994a-1127e4ddb538
sub_forbidden=3d6a4adc-4bc3-4f5d-8a5b-2238f5eec649
sub_throttled=4e7b5bed-5cd4-4a6e-9b6c-3349a6ffd75a
sub_paged=5f8c6cfe-6de5-4b7f-8c7d-445ab7a0e86b
sub_empty=6a9d7d0f-7ef6-4c80-9d8e-556bc8b1f97c
sub_legacy=7bae8e1a-8f07-4d91-8e9f-667cd9c20a8d
sub_unavailable=8cbf9f2b-9018-4ea2-9fa0-778de0d31b9e
sub_offline=9dc0a03c-a129-4fb3-8ab1-889ef1e42caf
sub_gov=ad1b14d0-b23a-4ac4-9bc2-99a0f2f53d0a
api=2023-12-01-preview

mkdir "$tmp/stub" "$tmp/nosleep" "$tmp/bin" "$tmp/work" "$tmp/tmpdir" || exit 99
cp "$srcdir/tests/stub-az/az" "$tmp/stub/az" && chmod +x "$tmp/stub/az" || exit 99
# A sleep that records its operand in $STUB_SLEEP_LOG and returns at once:
# what a collection's retries wait is the operand (checked from this record
# and the collection log), and every collection of the fixture's throttled
# subscription would wait a second. It refuses what sleep refuses. collect
# puts it first on PATH; a case that needs the real wait (an interrupted
# run) sets PATH itself.
cat >"$tmp/nosleep/sleep" <<'EOF'
#!/bin/sh
printf '%s\n' "$*" >>"$STUB_SLEEP_LOG"
[ "$#" -eq 1 ] || { echo "stub sleep: one operand expected: $*" >&2; exit 1; }
case $1 in
'' | *[!0-9]*) echo "sleep: invalid time interval '$1'" >&2; exit 1 ;;
esac
EOF
chmod +x "$tmp/nosleep/sleep" || exit 99

# Everything the collector (and the stub) may run: POSIX tools, sha256sum,
# tar, gzip and zip, and the shells. No jq, no python: a collector that
# needed one would fail here.
tools="sh dash bash awk sed tr cut head grep cat cp mv rm mkdir find sort wc date sleep touch env
xargs basename dirname sha256sum tar gzip zip"
paths=
for t in $tools; do
	p=$(command -v "$t") || skip_all "$t is not installed"
	# Most go into one ln below (a process costs milliseconds): a path with no
	# blank whose last part is the tool's name.
	case $p in
	*[[:space:]]*) ;;
	*/"$t")
		paths="$paths $p"
		continue
		;;
	esac
	ln -s "$p" "$tmp/bin/$t" || exit 99
done
# shellcheck disable=SC2086 # the list is meant to be split
ln -s $paths "$tmp/bin/" || exit 99

# collect SHELL ARG...: runs the collector under SHELL in $tmp/work with the
# stub az, the stub sleep and nothing but $tmp/bin on PATH. Leaves stdout in
# $tmp/out, stderr in $tmp/err, the status in $rc, the stub's record of every
# az command in $tmp/argv and the operand of every sleep in $tmp/sleeps.
# COLLECT_PATH replaces the PATH (no az, no zip).
collect() {
	shell=$1
	shift
	rm -rf "$tmp/state" && mkdir "$tmp/state" && : >"$tmp/argv" && : >"$tmp/sleeps" || exit 99
	(cd "$tmp/work" && PATH=${COLLECT_PATH:-$tmp/stub:$tmp/nosleep:$tmp/bin} TMPDIR=$tmp/tmpdir \
		STUB_AZ_STATE=$tmp/state STUB_AZ_LOG=$tmp/argv STUB_SLEEP_LOG=$tmp/sleeps \
		"$tmp/bin/$shell" "$COLLECT" "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect_workdir WHAT NAME...: $tmp/work holds exactly these names, and no
# temporary file was left anywhere.
expect_workdir() {
	what=$1
	shift
	checks=$((checks + 1))
	got=$(cd "$tmp/work" && find . ! -name . -prune | sed 's#^\./##' | LC_ALL=C sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ')
	[ "$#" -gt 0 ] || want=
	[ "$got" = "$want" ] || fail "$what: the working folder holds '$got', expected '$want'"
	checks=$((checks + 1))
	[ -z "$(cd "$tmp/tmpdir" && find . ! -name . -prune)" ] || fail "$what: files left in TMPDIR"
}

# expect_same FILE1 FILE2 WHAT: the two files are the same bytes.
expect_same() {
	checks=$((checks + 1))
	cmp -s "$1" "$2" || fail "$3: $(basename "$1") differs from $(basename "$2")"
}

# rest_command ID FILE [URL]: the az rest command the collector runs, as
# bag-info.txt records it.
rest_command() {
	url=${3:-/subscriptions/$1/providers/Microsoft.Security/securityContacts?api-version=$api}
	printf "az rest --method get --url '%s' --output-file data/subscriptions/%s/%s\n" "$url" "$1" "$2"
}

# rest_argv ID FILE [URL]: the same command as the stub records it.
rest_argv() {
	url=${3:-/subscriptions/$1/providers/Microsoft.Security/securityContacts?api-version=$api}
	printf '[rest] [--method] [get] [--url] [%s] [--output-file] [data/subscriptions/%s/%s]\n' "$url" "$1" "$2"
}

metadata_commands="az account show --query '[tenantId, user.name, user.type]' -o tsv
az cloud show --query '[name, endpoints.resourceManager]' -o tsv
az version --query '\"azure-cli\"' -o tsv
az account list --all -o json
az account list --all --query '[].[id, state, cloudName]' -o tsv"
metadata_argv='[account] [show] [--query] [[tenantId, user.name, user.type]] [-o] [tsv]
[cloud] [show] [--query] [[name, endpoints.resourceManager]] [-o] [tsv]
[version] [--query] ["azure-cli"] [-o] [tsv]
[account] [list] [--all] [-o] [json]
[account] [list] [--all] [--query] [[].[id, state, cloudName]] [-o] [tsv]'

# main_commands FORMAT METADATA: the commands of a collection of every
# subscription of the fixture, in order (the throttled subscription twice,
# the unavailable one four times), as rest_command or rest_argv prints them.
main_commands() {
	printf '%s\n' "$2"
	"$1" "$sub_pass" securityContacts.json
	"$1" "$sub_forbidden" securityContacts.json
	"$1" "$sub_throttled" securityContacts.json
	"$1" "$sub_throttled" securityContacts.json
	"$1" "$sub_paged" securityContacts.json
	"$1" "$sub_paged" securityContacts-page2.json \
		"https://management.azure.com/subscriptions/$sub_paged/providers/Microsoft.Security/securityContacts?api-version=$api&\$skipToken=page2"
	"$1" "$sub_empty" securityContacts.json
	"$1" "$sub_legacy" securityContacts.json
	for _ in 1 2 3 4; do
		"$1" "$sub_unavailable" securityContacts.json
	done
	"$1" "$sub_offline" securityContacts.json
}

# bag_field BAG LABEL: the values of LABEL in BAG/bag-info.txt, one a line.
bag_field() {
	sed -n "s/^$2: //p" "$1/bag-info.txt"
}

# expect_field BAG LABEL VALUE: LABEL appears once, with exactly VALUE.
expect_field() {
	checks=$((checks + 1))
	got=$(bag_field "$1" "$2")
	[ "$got" = "$3" ] || fail "bag-info.txt $2: '$got', expected '$3'"
}

# expect_valid_bag BAG: complete and valid as RFC 8493 says. Every payload
# file is in the manifest and every manifest line names a payload file with
# its SHA-256; the tag manifest likewise for the tag files; Payload-Oxum
# counts the payload; bagit.txt is exact; nothing else is in the bag.
expect_valid_bag() {
	checks=$((checks + 1))
	printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$tmp/bagit.want"
	cmp -s "$1/bagit.txt" "$tmp/bagit.want" || fail "bagit.txt: $(cat "$1/bagit.txt")"
	checks=$((checks + 1))
	(cd "$1" && sha256sum -c --strict manifest-sha256.txt >"$tmp/check.out" 2>&1) ||
		fail "manifest-sha256.txt does not verify: $(grep -v ': OK$' "$tmp/check.out" | head -c 400)"
	checks=$((checks + 1))
	(cd "$1" && sha256sum -c --strict tagmanifest-sha256.txt >"$tmp/check.out" 2>&1) ||
		fail "tagmanifest-sha256.txt does not verify: $(grep -v ': OK$' "$tmp/check.out" | head -c 400)"
	checks=$((checks + 1))
	(cd "$1" && find data -type f | LC_ALL=C sort) >"$tmp/payload.have"
	sed 's/^[0-9a-f]\{64\}  //' "$1/manifest-sha256.txt" >"$tmp/payload.listed"
	cmp -s "$tmp/payload.have" "$tmp/payload.listed" ||
		fail "manifest-sha256.txt does not list exactly the payload: $(diff "$tmp/payload.have" "$tmp/payload.listed" | head -c 400)"
	checks=$((checks + 1))
	printf '%s\n' bag-info.txt bagit.txt collection-log.txt manifest-sha256.txt >"$tmp/tags.want"
	sed 's/^[0-9a-f]\{64\}  //' "$1/tagmanifest-sha256.txt" >"$tmp/tags.listed"
	cmp -s "$tmp/tags.want" "$tmp/tags.listed" || fail "tagmanifest-sha256.txt lists: $(cat "$tmp/tags.listed")"
	checks=$((checks + 1))
	(cd "$1" && find . -type f ! -path './data/*' | sed 's#^\./##' | LC_ALL=C sort) >"$tmp/tags.have"
	printf '%s\n' bag-info.txt bagit.txt collection-log.txt manifest-sha256.txt tagmanifest-sha256.txt >"$tmp/tags.want"
	cmp -s "$tmp/tags.have" "$tmp/tags.want" || fail "files outside data/: $(tr '\n' ' ' <"$tmp/tags.have")"
	checks=$((checks + 1))
	octets=0
	while IFS= read -r f; do
		octets=$((octets + $(wc -c <"$1/$f")))
	done <"$tmp/payload.have"
	oxum="$octets.$(wc -l <"$tmp/payload.have" | tr -d ' ')"
	[ "$(bag_field "$1" Payload-Oxum)" = "$oxum" ] || fail "Payload-Oxum $(bag_field "$1" Payload-Oxum), expected $oxum"
}

# expect_bag_info BAG RESULT: the fields every bag has, well-formed.
expect_bag_info() {
	expect_field "$1" Bag-Software-Agent "azure-contact-audit-collect $($COLLECT --version | sed 's/.* //')"
	expect_field "$1" Azure-Tenant-Id 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0
	expect_field "$1" Azure-Principal "collector@initech.io (user)"
	expect_field "$1" Azure-Cloud AzureCloud
	expect_field "$1" Azure-CLI-Version 2.61.0
	expect_field "$1" Collection-Result "$2"
	checks=$((checks + 1))
	stamp=$(bag_field "$1" Collection-Timestamp)
	case $stamp in
	[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z) ;;
	*) fail "Collection-Timestamp is not YYYY-MM-DDTHH:MM:SSZ: '$stamp'" ;;
	esac
	checks=$((checks + 1))
	# Taken when the collection started: inside the run, before its end.
	n_stamp=$(printf '%s' "$stamp" | tr -cd 0-9)
	[ "${n_stamp:-0}" -ge "$(printf '%s' "$before" | tr -cd 0-9)" ] || fail "Collection-Timestamp $stamp is before the run ($before)"
	[ "${n_stamp:-0}" -le "$(printf '%s' "$after" | tr -cd 0-9)" ] || fail "Collection-Timestamp $stamp is after the run ($after)"
	checks=$((checks + 1))
	day=$(bag_field "$1" Bagging-Date)
	case $day in
	[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]) ;;
	*) fail "Bagging-Date is not YYYY-MM-DD: '$day'" ;;
	esac
	[ "$day" = "${after%%T*}" ] || [ "$day" = "${before%%T*}" ] || fail "Bagging-Date $day is not the day of the run"
	checks=$((checks + 1))
	[ "$(grep -c '^Bagging-Date: ' "$1/bag-info.txt")" -eq 1 ] || fail "Bagging-Date given more than once"
	checks=$((checks + 1))
	grep -v '^[A-Za-z-]*: [^ ]' "$1/bag-info.txt" >"$tmp/badlines" && fail "bag-info.txt lines not 'Label: value': $(head -c 300 "$tmp/badlines")"
	# No token, secret or debug log in the bag, no --debug given to az.
	checks=$((checks + 1))
	grep -rliE 'bearer|accessToken|access_token|refresh_token|client_secret|DEBUG|urllib3.connectionpool' "$1" >"$tmp/secrets" &&
		fail "the bag holds what looks like a token or a debug log: $(cat "$tmp/secrets")"
	checks=$((checks + 1))
	grep -qF -- '--debug' "$tmp/argv" && fail "az was run with --debug"
}

# run_collect SHELL ARG...: collect, with $before and $after around the run.
run_collect() {
	before=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	collect "$@"
	after=$(date -u +%Y-%m-%dT%H:%M:%SZ)
}

# expect_main_verdicts WHAT: the audit of a collection of every subscription
# of the fixture ($tmp/out and $rc after run): each subscription's verdict,
# the reasons that show how each record was read, the summary.
expect_main_verdicts() {
	expect_rc 2 "$1"
	awk '$1 != "Total:" { print $1, $2 }' "$tmp/out" | LC_ALL=C sort >"$tmp/verdicts"
	printf '%s\n' "PASS $sub_pass" "ERROR $sub_forbidden" "PASS $sub_throttled" "PASS $sub_paged" "FAIL $sub_empty" \
		"PASS $sub_legacy" "ERROR $sub_unavailable" "ERROR $sub_offline" "ERROR $sub_gov" | LC_ALL=C sort >"$tmp/verdicts.want"
	checks=$((checks + 1))
	cmp -s "$tmp/verdicts" "$tmp/verdicts.want" || fail "$1: verdicts: $(diff "$tmp/verdicts.want" "$tmp/verdicts")"
	checks=$((checks + 1))
	grep -q "^ERROR  $sub_forbidden  (Initech Finance)  API error AuthorizationFailed: " "$tmp/out" ||
		fail "$1: the 403 is not read as an API error: $(grep "$sub_forbidden" "$tmp/out")"
	checks=$((checks + 1))
	grep -q "^ERROR  $sub_unavailable  (Initech Data)  API error ServiceUnavailable: " "$tmp/out" ||
		fail "$1: the 503 is not read as an API error: $(grep "$sub_unavailable" "$tmp/out")"
	checks=$((checks + 1))
	grep -q "^ERROR  $sub_offline  (Initech Edge)  unreadable evidence " "$tmp/out" ||
		fail "$1: the text record is not unreadable: $(grep "$sub_offline" "$tmp/out")"
	expect_line "$tmp/out" "FAIL  $sub_empty  (Initech Sandbox)  no security contact configured" "$1: empty list"
	checks=$((checks + 1))
	grep -q "^PASS  $sub_paged  .*'platform'" "$tmp/out" || fail "$1: page 2 was not read: $(grep "$sub_paged" "$tmp/out")"
	checks=$((checks + 1))
	grep -q '^Total: 10 subscriptions: 4 PASS, 1 FAIL, 4 ERROR, 0 WAIVED, 1 not audited (disabled); ' "$tmp/out" ||
		fail "$1: summary: $(tail -n 1 "$tmp/out")"
}
