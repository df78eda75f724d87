#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: the remediation script (--remediation FILE) and the fixes in
# the JUnit failure text. The script of the sample bundle equals
# tests/golden/remediation-bundle.sh under SOURCE_DATE_EPOCH; every script
# (sample bundle, every rule, --redact, hostile evidence, addresses given)
# passes sh -n, dash -n and shellcheck; run against a stub az it refuses to
# start while the placeholder address remains, and with --remediation-email
# it PUTs one whole contact per failing subscription, with evidence that
# holds shell syntax arriving as plain data. An undeliverable
# --remediation-email is a usage error. No flag the current az CLI refuses
# is ever written.
. "${srcdir:-.}/tests/lib.sh"
command -v shellcheck >/dev/null 2>&1 || skip_all "shellcheck is not installed"
command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "python3 is not installed"

in_tree

# script NAME EXIT ARG...: the script of ARG... as NAME.sh (stdout NAME.out).
script() {
	name=$1 want=$2
	shift 2
	run_in_tree "$name" "$want" --remediation "$name.sh" --junit "$name.xml" "$@"
	for check in "sh -n" "dash -n" "shellcheck"; do
		command -v "${check%% *}" >/dev/null 2>&1 || continue
		checks=$((checks + 1))
		$check "$run_dir/$name.sh" >"$tmp/lint" 2>&1 || fail "$name.sh fails $check: $(head -20 "$tmp/lint")"
	done
	for f in "$name.sh" "$name.xml"; do
		checks=$((checks + 1))
		if grep -qE -- '--email[ =]|--alerts-admins|--is-enabled' "$run_dir/$f"; then
			fail "$f holds a flag the current az CLI refuses"
		fi
	done
}

script bundle 2 fixtures/bundle
if [ -n "${UPDATE_GOLDEN:-}" ]; then
	cp "$run_dir/bundle.sh" "$src/tests/golden/remediation-bundle.sh"
	echo "updated tests/golden/remediation-bundle.sh"
fi
checks=$((checks + 1))
cmp -s "$src/tests/golden/remediation-bundle.sh" "$run_dir/bundle.sh" ||
	fail "bundle.sh differs from tests/golden/remediation-bundle.sh: $(diff -u "$src/tests/golden/remediation-bundle.sh" "$run_dir/bundle.sh" | head -30)"
script all-rules 2 --rule all --waivers tests/data/waivers.json fixtures/bundle
script redacted 2 --redact --rule all fixtures/bundle tests/data/injection
script hostile 2 --rule all fixtures/hostile tests/data/injection
script given 2 --rule all --remediation-email secops@acme-corp.com \
	--remediation-email "o'neil+soc@acme-corp.com" fixtures/bundle tests/data/injection

# The JUnit failure text ends with the fix that fits the reason.
checks=$((checks + 1))
grep -q "^how to fix: re-export with a role that can read security contacts (Security Reader)$" "$run_dir/bundle.xml" ||
	fail "no AuthorizationFailed fix in the JUnit text"
checks=$((checks + 1))
grep -q "^  az CLI (api-version 2020-01-01-preview; replaces the whole contact): az security contact create --subscription 68c5e8be-98da-4358-9851-6ccae846149f -n default --emails '&lt;SECURITY-CONTACT-ADDRESS&gt;' --notifications-by-role " "$run_dir/bundle.xml" ||
	fail "no az security contact create fix for the subscription without a contact"

# A stub az that records its arguments, one JSON array a call.
mkdir "$tmp/bin" "$tmp/cwd"
{ printf '#!%s\n' "$(command -v "$PYTHON3")"; cat <<'PY'; } >"$tmp/bin/az"
import json, os, sys
with open(os.environ["AZ_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\n")
PY
chmod +x "$tmp/bin/az"
# run_script NAME: runs NAME.sh with the stub; $rc, calls in $tmp/NAME.calls.
run_script() {
	: >"$tmp/$1.calls"
	(cd "$tmp/cwd" && AZ_LOG=$tmp/$1.calls PATH=$tmp/bin:$PATH sh "$run_dir/$1.sh" >"$tmp/$1.run" 2>&1)
	rc=$?
}

run_script bundle
expect_rc 1 "the script with a placeholder"
checks=$((checks + 1))
[ ! -s "$tmp/bundle.calls" ] || fail "the script called az while a placeholder remained: $(head -3 "$tmp/bundle.calls")"
expect_line "$tmp/bundle.run" "set ADDRESSES to real addresses first: it holds a placeholder" "refusal message"

run_script given
expect_rc 0 "the script with --remediation-email"
checks=$((checks + 1))
"$PYTHON3" - "$tmp/given.calls" "$run_dir/given.out" >"$tmp/calls-check" 2>&1 <<'PY' || fail "az calls: $(cat "$tmp/calls-check")"
import json, re, sys
failing = sorted({l.split("  ")[1] for l in open(sys.argv[2]) if l.startswith("FAIL  ")})
calls = [json.loads(l) for l in open(sys.argv[1])]
subs = []
for argv in calls:
    assert argv[:4] == ["rest", "--method", "put", "--url"], argv
    m = re.fullmatch(r"https://management\.azure\.com/subscriptions/([0-9a-f-]{36})/providers/"
                     r"Microsoft\.Security/securityContacts/default\?api-version=2023-12-01-preview",
                     argv[4])
    assert m and argv[5] == "--body" and len(argv) == 7, argv
    subs.append(m.group(1))
    p = json.loads(argv[6])["properties"]
    assert p["isEnabled"] is True and p["notificationsByRole"] == {"state": "On", "roles": ["Owner"]}, p
    emails = p["emails"].split(";")
    if m.group(1) == "b71673fd-897f-485a-bf29-bd7673ea0a30":
        # the evidence's own addresses, shell syntax and all, arrive as data
        assert emails == ["o'brien@acme-corp.com", "`touch${IFS}pwned`@acme-corp.com",
                          "secops@acme-corp.com", "o'neil+soc@acme-corp.com"], emails
    elif m.group(1) == "68c5e8be-98da-4358-9851-6ccae846149f":
        assert emails == ["secops@acme-corp.com", "o'neil+soc@acme-corp.com"], emails
assert subs == failing, (subs, failing)
print("ok: %d PUTs, one per failing subscription" % len(calls))
PY
checks=$((checks + 1))
[ ! -e "$tmp/cwd/pwned" ] || fail "evidence in the script ran as a command"

# Evidence whose path holds a line break stays in its comment.
nl='
'
mkdir -p "$tmp/ev/a${nl}touch pwned"
printf '{"value":[]}' >"$tmp/ev/a${nl}touch pwned/0804510a-22a0-4975-b0f2-cefb1456f111.json"
run --remediation "$tmp/nl.sh" "$tmp/ev"
expect_rc 1 "evidence with a line break in its path"
checks=$((checks + 1))
sh -n "$tmp/nl.sh" && shellcheck "$tmp/nl.sh" >/dev/null || fail "nl.sh does not pass sh -n and shellcheck"
checks=$((checks + 1))
grep -q '^# evidence: .*/a\\ntouch pwned/0804510a-22a0-4975-b0f2-cefb1456f111.json:1:10 (sha256 ' "$tmp/nl.sh" ||
	fail "the evidence path is not one comment line: $(grep -n evidence "$tmp/nl.sh")"

# --remediation-email must be deliverable under the run's policy.
for bad in "not an address:not an email address" "soc@example.com:RFC 2606 reserved domain" \
	"x@initech.io:outside --org-domain"; do
	addr=${bad%%:*}
	run --org-domain acme-corp.com --remediation-email "$addr" "$FIX/bundle"
	expect_rc 64 "--remediation-email $addr"
	expect_line "$tmp/err" "azure-contact-audit: error: --remediation-email is not a deliverable address: $addr (${bad#*:})" "usage message for $addr"
done
finish
