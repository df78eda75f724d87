#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: azure-contact-audit-collect against the stub az, under dash and
# bash: its command line and exit statuses, the commands it runs, the bag it
# writes (RFC 8493 complete and valid, bag-info.txt, the pages as Azure sent
# them, the error records), that it writes nothing else, and the audit's
# verdicts on the bag.
. "${srcdir:-.}/tests/lib.sh"
# shellcheck source=tests/collect-lib.sh
. "$srcdir/tests/collect-lib.sh"
data=$STUB_AZ_DATA/rest/$api

# ---- command line ---------------------------------------------------------------
collect sh --help
expect_rc 0 "--help"
expect_line "$tmp/out" "Usage: azure-contact-audit-collect -o DIR [--subscription ID]... [--api-version V] [--archive tar.gz|zip]" "--help usage line"
checks=$((checks + 1)); [ ! -s "$tmp/err" ] || fail "--help wrote to stderr"
# Every option of --help is in the man page.
grep -oE -- '--?[a-z][a-z-]*' "$tmp/out" | sort -u >"$tmp/options"
while IFS= read -r opt; do
	checks=$((checks + 1))
	grep -qF -- "$(printf '%s' "$opt" | sed 's/-/\\-/g')" "${top_builddir:-.}/azure-contact-audit-collect.1" ||
		fail "option $opt of --help is not in the man page"
done <"$tmp/options"

collect sh --version
expect_rc 0 "--version"
# The collector carries the audit's version (both come from configure.ac).
expect_line "$tmp/out" "azure-contact-audit-collect $("$AUDIT" --version | sed '1s/^azure-contact-audit //;q')" "--version"

# usage_case WHAT MESSAGE ARG...: exit 64, the message and the usage line on
# stderr, nothing on stdout, nothing written, az never run.
usage_case() {
	what=$1 msg=$2
	shift 2
	collect dash "$@"
	expect_rc 64 "$what"
	expect_line "$tmp/err" "azure-contact-audit-collect: error: $msg" "$what: message"
	expect_line "$tmp/err" "Usage: azure-contact-audit-collect -o DIR [--subscription ID]... [--api-version V] [--archive tar.gz|zip]" "$what: usage"
	checks=$((checks + 1)); [ ! -s "$tmp/out" ] || fail "$what: wrote to stdout"
	checks=$((checks + 1)); [ ! -s "$tmp/argv" ] || fail "$what: az was run"
	expect_workdir "$what"
}
usage_case "no -o" "no output folder given (-o DIR)"
usage_case "unknown option" "unrecognized option: --tenant" -o bag --tenant x
usage_case "-o without its argument" "option needs an argument: -o" -o
usage_case "a positional argument" "unexpected argument: extra" -o bag extra
usage_case "not a GUID" "not a subscription id (8-4-4-4-12 hexadecimal digits): 1234" -o bag --subscription 1234
usage_case "a bad api-version" "not an api-version (YYYY-MM-DD or YYYY-MM-DD-preview): 2023-12-01&x=1" \
	-o bag --api-version '2023-12-01&x=1'
usage_case "a bad archive format" "--archive takes tar.gz or zip: 7z" -o bag --archive 7z

# Refuses to overwrite: an existing folder is left as it was, az is not run.
mkdir "$tmp/work/bag" && echo keep >"$tmp/work/bag/mine"
collect dash -o bag
expect_rc 64 "existing DIR"
expect_line "$tmp/err" "azure-contact-audit-collect: error: bag already exists: refusing to overwrite it (name a new folder)" "existing DIR message"
checks=$((checks + 1)); [ ! -s "$tmp/argv" ] || fail "existing DIR: az was run"
checks=$((checks + 1))
if [ "$(ls -A "$tmp/work/bag")" != mine ] || [ "$(cat "$tmp/work/bag/mine")" != keep ]; then
	fail "existing DIR was changed"
fi
rm -rf "$tmp/work/bag"
echo keep >"$tmp/work/bag.zip"
collect dash -o bag --archive zip
expect_rc 64 "existing archive"
expect_line "$tmp/err" "azure-contact-audit-collect: error: bag.zip already exists: refusing to overwrite it" "existing archive message"
expect_workdir "existing archive" bag.zip
rm -f "$tmp/work/bag.zip"

collect dash -o no-such-parent/bag
expect_rc 73 "DIR whose parent is missing"
expect_line "$tmp/err" "azure-contact-audit-collect: error: cannot create no-such-parent/bag" "DIR whose parent is missing: message"
expect_workdir "DIR whose parent is missing"

# ---- az missing, not signed in, zip missing: 69, and no folder ------------------
COLLECT_PATH=$tmp/bin collect dash -o bag
expect_rc 69 "az missing"
expect_line "$tmp/err" "azure-contact-audit-collect: error: az is not installed or not on PATH: install the Azure CLI (https://aka.ms/azure-cli) and run az login" "az missing: message"
expect_workdir "az missing"

STUB_AZ_SIGNED_OUT=1 collect dash -o bag
expect_rc 69 "not signed in"
expect_line "$tmp/err" "azure-contact-audit-collect: error: az is not signed in: run az login (az said: Please run 'az login' to setup account.)" "not signed in: message"
expect_line "$tmp/argv" "[account] [show] [--query] [[tenantId, user.name, user.type]] [-o] [tsv]" "not signed in: az account show asked"
checks=$((checks + 1)); [ "$(wc -l <"$tmp/argv")" -eq 1 ] || fail "not signed in: more az commands run: $(cat "$tmp/argv")"
expect_workdir "not signed in"

mkdir "$tmp/nozip" && for t in $tools; do [ "$t" = zip ] || ln -s "$(command -v "$t")" "$tmp/nozip/$t"; done
COLLECT_PATH=$tmp/stub:$tmp/nozip collect dash -o bag --archive zip
expect_rc 69 "zip missing"
expect_line "$tmp/err" "azure-contact-audit-collect: error: zip is not installed or not on PATH: needed for --archive zip (or use --archive tar.gz)" "zip missing: message"
expect_workdir "zip missing"

# ---- every subscription, under dash and under bash ------------------------------
main_commands rest_command "$metadata_commands" >"$tmp/commands.want"
main_commands rest_argv "$metadata_argv" >"$tmp/argv.want"
say_line() {
	expect_line "$tmp/err" "azure-contact-audit-collect: $1" "$2"
}
for shell in dash bash; do
	rm -rf "$tmp/work/bag"
	run_collect "$shell" -o bag
	bag=$tmp/work/bag
	expect_rc 1 "$shell: some subscriptions not collected"
	checks=$((checks + 1)); [ ! -s "$tmp/out" ] || fail "$shell: wrote to stdout without --archive: $(head -c 300 "$tmp/out")"
	say_line "$sub_pass: collected (1 page)" "$shell: a subscription"
	say_line "$sub_disabled: Disabled in the inventory: not queried" "$shell: disabled subscription"
	say_line "$sub_forbidden: not collected: HTTP 403 Forbidden: AuthorizationFailed" "$shell: 403"
	say_line "$sub_throttled: collected (1 page)" "$shell: 429 then success"
	say_line "$sub_paged: collected (2 pages)" "$shell: two pages"
	say_line "$sub_empty: collected (1 page)" "$shell: empty list"
	say_line "$sub_unavailable: not collected: HTTP 503 Service Unavailable after 4 attempts: ServiceUnavailable" "$shell: 503 every time"
	say_line "$sub_gov: not collected: in cloud AzureUSGovernment, not the active cloud AzureCloud: run again after az cloud set" "$shell: other cloud"
	say_line "5 collected, 4 failed, 1 disabled not queried; bag written to bag" "$shell: summary"
	checks=$((checks + 1))
	grep -qF "azure-contact-audit-collect: $sub_offline: not collected: az rest failed: HTTPSConnectionPool(host='management.azure.com', port=443): Max retries exceeded" "$tmp/err" ||
		fail "$shell: connection failure line: $(grep "$sub_offline" "$tmp/err")"
	checks=$((checks + 1)); [ "$(wc -l <"$tmp/err")" -eq 11 ] || fail "$shell: stderr has other lines: $(cat "$tmp/err")"

	# Exactly these az commands, in this order, never --debug; bag-info.txt
	# records each as it was run.
	checks=$((checks + 1))
	cmp -s "$tmp/argv" "$tmp/argv.want" || fail "$shell: az commands run: $(diff "$tmp/argv.want" "$tmp/argv" | head -c 800)"
	bag_field "$bag" Collection-Command >"$tmp/commands.have"
	checks=$((checks + 1))
	cmp -s "$tmp/commands.have" "$tmp/commands.want" ||
		fail "$shell: Collection-Command lines: $(diff "$tmp/commands.want" "$tmp/commands.have" | head -c 800)"

	expect_valid_bag "$bag"
	expect_bag_info "$bag" "5 collected, 4 failed, 1 disabled not queried"
	expect_field "$bag" Collection-Api-Version "$api"
	expect_field "$bag" Subscription-Not-Queried "$sub_disabled (Disabled in the inventory)"
	checks=$((checks + 1))
	bag_field "$bag" Subscription-Not-Collected | cut -d ' ' -f 1 | tr '\n' ' ' >"$tmp/nc"
	[ "$(cat "$tmp/nc")" = "$sub_forbidden $sub_unavailable $sub_offline $sub_gov " ] ||
		fail "$shell: Subscription-Not-Collected: $(cat "$tmp/nc")"

	# The payload: the inventory as az printed it, each page as Azure sent
	# it, one error record per failed subscription.
	(cd "$bag" && find data -type f | LC_ALL=C sort) >"$tmp/payload.have"
	{
		echo data/account-list.json
		for s in "$sub_pass" "$sub_forbidden" "$sub_throttled" "$sub_paged" "$sub_empty" "$sub_legacy" \
			"$sub_unavailable" "$sub_offline"; do
			case $s in
			"$sub_forbidden" | "$sub_unavailable" | "$sub_offline") echo "data/subscriptions/$s/securityContacts.error.json" ;;
			"$sub_paged") printf 'data/subscriptions/%s/securityContacts-page2.json\ndata/subscriptions/%s/securityContacts.json\n' "$s" "$s" ;;
			*) echo "data/subscriptions/$s/securityContacts.json" ;;
			esac
		done
	} | LC_ALL=C sort >"$tmp/payload.want"
	checks=$((checks + 1))
	cmp -s "$tmp/payload.have" "$tmp/payload.want" || fail "$shell: payload files: $(diff "$tmp/payload.want" "$tmp/payload.have")"
	expect_same "$bag/data/account-list.json" "$STUB_AZ_DATA/account-list.json" "$shell: inventory"
	for s in "$sub_pass" "$sub_throttled" "$sub_empty" "$sub_legacy"; do
		expect_same "$bag/data/subscriptions/$s/securityContacts.json" "$data/$s/1.json" "$shell: page of $s"
	done
	expect_same "$bag/data/subscriptions/$sub_paged/securityContacts.json" "$data/$sub_paged/1.json" "$shell: page 1"
	expect_same "$bag/data/subscriptions/$sub_paged/securityContacts-page2.json" "$data/$sub_paged/2.json" "$shell: page 2"
	# An error record is the JSON error body inside az's "ERROR: Forbidden(...)".
	sed 's/^ERROR: Forbidden(//; s/)$//' "$data/$sub_forbidden/1.stderr" >"$tmp/envelope"
	expect_same "$bag/data/subscriptions/$sub_forbidden/securityContacts.error.json" "$tmp/envelope" "$shell: 403 envelope"
	sed 's/^ERROR: Service Unavailable(//; s/)$//' "$data/$sub_unavailable/1.stderr" >"$tmp/envelope"
	expect_same "$bag/data/subscriptions/$sub_unavailable/securityContacts.error.json" "$tmp/envelope" "$shell: 503 envelope"
	# ... and az's text when it printed no JSON body.
	{
		echo "azure-contact-audit-collect: az rest --method get --url /subscriptions/$sub_offline/providers/Microsoft.Security/securityContacts?api-version=$api failed; az printed:"
		cat "$data/$sub_offline/1.stderr"
	} >"$tmp/text-record"
	expect_same "$bag/data/subscriptions/$sub_offline/securityContacts.error.json" "$tmp/text-record" "$shell: text error record"

	# The retries: the wait the 429 message asked for (1 s) although the
	# back-off is 0, and three more tries of the 503, as logged and as slept.
	checks=$((checks + 1))
	[ "$(tr '\n' ' ' <"$tmp/sleeps")" = "1 0 0 0 " ] || fail "$shell: sleep was asked for: $(tr '\n' ' ' <"$tmp/sleeps")"
	checks=$((checks + 1))
	grep -qx "[0-9-]*T[0-9:]*Z az rest GET /subscriptions/$sub_throttled/providers/Microsoft.Security/securityContacts?api-version=$api -> HTTP 429 Too Many Requests; attempt 2 of 4 in 1 s" "$bag/collection-log.txt" ||
		fail "$shell: the 429 wait: $(grep "$sub_throttled" "$bag/collection-log.txt")"
	checks=$((checks + 1))
	[ "$(grep -c "$sub_unavailable.* -> HTTP 503 Service Unavailable; attempt [234] of 4 in 0 s" "$bag/collection-log.txt")" -eq 3 ] ||
		fail "$shell: 503 retries in the log: $(grep "$sub_unavailable" "$bag/collection-log.txt")"
	expect_workdir "$shell: nothing outside DIR" bag
	checks=$((checks + 1)); [ ! -e "$bag/.collect-tmp" ] || fail "$shell: temporary folder left in the bag"
	rm -rf "$tmp/bag.$shell" && cp -R "$bag" "$tmp/bag.$shell"
done

# Both shells write the same bag but for the times.
checks=$((checks + 1))
diff -r "$tmp/bag.dash/data" "$tmp/bag.bash/data" >"$tmp/diff" 2>&1 || fail "dash and bash payloads differ: $(head -c 400 "$tmp/diff")"
checks=$((checks + 1))
grep -vE '^(Bagging-Date|Collection-Timestamp): ' "$tmp/bag.dash/bag-info.txt" >"$tmp/info.dash"
grep -vE '^(Bagging-Date|Collection-Timestamp): ' "$tmp/bag.bash/bag-info.txt" >"$tmp/info.bash"
cmp -s "$tmp/info.dash" "$tmp/info.bash" || fail "dash and bash bag-info.txt differ: $(diff "$tmp/info.dash" "$tmp/info.bash")"

# ---- the audit reads the bag ------------------------------------------------------
# The bag's folder as evidence: its JSON files are read, the tag files are
# skipped as not JSON.
run "$tmp/bag.dash"
expect_main_verdicts "audit of the bag"

# ---- some subscriptions, another api-version --------------------------------------
rm -rf "$tmp/work/bag"
run_collect dash -o bag --subscription "$(printf '%s' "$sub_pass" | tr a-f A-F)" --subscription="$sub_throttled" \
	--subscription "$sub_pass"
expect_rc 0 "two subscriptions"
expect_valid_bag "$tmp/work/bag"
expect_bag_info "$tmp/work/bag" "2 collected, 0 failed, 0 disabled not queried"
{
	printf '%s\n' "$metadata_argv"
	rest_argv "$sub_pass" securityContacts.json
	rest_argv "$sub_throttled" securityContacts.json
	rest_argv "$sub_throttled" securityContacts.json
} >"$tmp/argv.want"
checks=$((checks + 1))
cmp -s "$tmp/argv" "$tmp/argv.want" || fail "two subscriptions: az commands: $(diff "$tmp/argv.want" "$tmp/argv")"
checks=$((checks + 1))
got=$(cd "$tmp/work/bag/data/subscriptions" && find . ! -name . -prune | sed 's#^\./##' | LC_ALL=C sort | tr '\n' ' ')
[ "$got" = "$sub_pass $sub_throttled " ] || fail "two subscriptions: folders $got"
expect_same "$tmp/work/bag/data/account-list.json" "$STUB_AZ_DATA/account-list.json" "two subscriptions: the whole inventory"

rm -rf "$tmp/work/bag"
unknown=0b0b0b0b-1c1c-4d2d-8e3e-4f4f4f4f4f4f
run_collect bash -o bag --subscription "$sub_disabled" --subscription "$unknown"
expect_rc 1 "a disabled and an unknown subscription"
expect_valid_bag "$tmp/work/bag"
expect_bag_info "$tmp/work/bag" "0 collected, 1 failed, 1 disabled not queried"
expect_line "$tmp/err" "azure-contact-audit-collect: $unknown: not collected: az rest failed: Subscription '$unknown' not found. Check the spelling and casing and try again." "unknown subscription"
checks=$((checks + 1))
grep -q "$sub_disabled" "$tmp/argv" && fail "the disabled subscription was queried"
{
	echo "azure-contact-audit-collect: az rest --method get --url /subscriptions/$unknown/providers/Microsoft.Security/securityContacts?api-version=$api failed; az printed:"
	echo "ERROR: Subscription '$unknown' not found. Check the spelling and casing and try again."
} >"$tmp/text-record"
expect_same "$tmp/work/bag/data/subscriptions/$unknown/securityContacts.error.json" "$tmp/text-record" "unknown subscription: record"

rm -rf "$tmp/work/bag"
run_collect dash -o bag --api-version 2017-08-01-preview --subscription "$sub_legacy"
expect_rc 0 "--api-version 2017-08-01-preview"
expect_field "$tmp/work/bag" Collection-Api-Version 2017-08-01-preview
expect_line "$tmp/argv" "$(api=2017-08-01-preview rest_argv "$sub_legacy" securityContacts.json)" "2017 request"
expect_same "$tmp/work/bag/data/subscriptions/$sub_legacy/securityContacts.json" \
	"$STUB_AZ_DATA/rest/2017-08-01-preview/$sub_legacy/1.json" "2017-shape body"
# The inventory is saved whole: the audit names what was left out.
run "$tmp/work/bag"
expect_rc 2 "audit of the 2017 bag"
expect_line "$tmp/out" "PASS  $sub_legacy  (Initech Legacy)  1 deliverable address in contact 'default1'" "2017-shape verdict"
expect_line "$tmp/out" "ERROR  $sub_pass  (Initech Production)  no evidence for subscription" "a subscription left out"

# ---- a nextLink elsewhere than the active cloud's Resource Manager ----------------
# is not followed (az rest would send it the token of any Azure endpoint).
cp -R "$STUB_AZ_DATA" "$tmp/data-elsewhere"
sed 's#https://management.azure.com/#https://management.example.net/#' "$data/$sub_paged/1.json" \
	>"$tmp/data-elsewhere/rest/$api/$sub_paged/1.json"
rm -rf "$tmp/work/bag"
STUB_AZ_DATA=$tmp/data-elsewhere run_collect dash -o bag --subscription "$sub_paged"
expect_rc 1 "a nextLink on another host"
expect_valid_bag "$tmp/work/bag"
expect_line "$tmp/err" "azure-contact-audit-collect: $sub_paged: not collected: page 2 not requested: nextLink https://management.example.net/subscriptions/$sub_paged/providers/Microsoft.Security/securityContacts?api-version=$api&\$skipToken=page2 is not under https://management.azure.com/subscriptions/$sub_paged/" \
	"a nextLink on another host: message"
checks=$((checks + 1))
grep -q 'example\.net' "$tmp/argv" && fail "the foreign nextLink was requested"
expect_line "$tmp/work/bag/data/subscriptions/$sub_paged/securityContacts-page2.error.json" \
	"azure-contact-audit-collect: page 2 not requested: nextLink https://management.example.net/subscriptions/$sub_paged/providers/Microsoft.Security/securityContacts?api-version=$api&\$skipToken=page2 is not under https://management.azure.com/subscriptions/$sub_paged/" \
	"a nextLink on another host: error record"

# ---- an interrupted run leaves nothing --------------------------------------------
rm -rf "$tmp/work/bag" "$tmp/state" && mkdir "$tmp/state" && : >"$tmp/argv"
(cd "$tmp/work" && PATH=$tmp/stub:$tmp/bin TMPDIR=$tmp/tmpdir STUB_AZ_STATE=$tmp/state STUB_AZ_LOG=$tmp/argv \
	exec "$tmp/bin/dash" "$COLLECT" -o bag --subscription "$sub_throttled") >"$tmp/out" 2>"$tmp/err" &
pid=$!
# The 429 answer makes it wait 1 s: stop it there.
n=0
while ! grep -q "$sub_throttled" "$tmp/argv" && [ $n -lt 100 ]; do
	sleep 0.1 2>/dev/null || sleep 1
	n=$((n + 1))
done
kill -TERM "$pid"
wait "$pid"
rc=$?
expect_rc 143 "terminated"
expect_line "$tmp/err" "azure-contact-audit-collect: terminated: bag removed" "terminated: message"
expect_workdir "terminated"

# ---- the man page example ---------------------------------------------------------
# EXAMPLE: azure-contact-audit-collect -o evidence --archive tar.gz, then
# azure-contact-audit -o reports evidence
run_collect dash -o evidence --archive tar.gz
expect_rc 1 "the man page example"
checks=$((checks + 1))
[ "$(cat "$tmp/out")" = "$(cd "$tmp/work" && sha256sum evidence.tar.gz)" ] || fail "example: printed '$(cat "$tmp/out")'"
(cd "$tmp/work" && ${VALGRIND:-} "$AUDIT" -o reports evidence >/dev/null 2>&1; echo $? >"$tmp/rc")
rc=$(cat "$tmp/rc")
expect_rc 2 "the man page example's audit"
checks=$((checks + 1))
if [ ! -s "$tmp/work/reports/junit.xml" ] || [ ! -s "$tmp/work/reports/report.html" ]; then
	fail "example wrote no reports"
fi
finish
