#!/bin/sh
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
checks=$((checks + 1))
verdicts "$tmp/plain.out" >"$tmp/plain.verdicts"
verdicts "$tmp/out" >"$tmp/masked.verdicts"
diff -u "$tmp/plain.verdicts" "$tmp/masked.verdicts" >&2 || fail "--redact changed a verdict"
checks=$((checks + 1))
[ "$(grep -c '' "$tmp/out")" -gt 10 ] || fail "too few verdict lines: $(cat "$tmp/out")"
# local@domain -> l***@domain, as the tool masks it.
sed -E 's/([A-Za-z0-9!#$%&*+\/=?^_`{|}~.-])[A-Za-z0-9!#$%&*+\/=?^_`{|}~.-]*@([A-Za-z0-9])/\1***@\2/g' \
	"$tmp/plain.out" >"$tmp/plain.masked"
checks=$((checks + 1))
diff -u "$tmp/plain.masked" "$tmp/out" >&2 || fail "standard output under --redact is not the plain output masked"

# Every address written anywhere in the bundle, by name.
grep -rhoE '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+' "$FIX/bundle" | sort -u >"$tmp/addresses"
checks=$((checks + 1))
grep -qx 'secops@initech.io' "$tmp/addresses" || fail "the bundle's addresses were not found: $(head -3 "$tmp/addresses")"
shown=0
while read -r addr; do
	for f in "$tmp/masked.html" "$tmp/masked.xml" "$tmp/out"; do
		checks=$((checks + 1))
		if grep -qF -- "$addr" "$f"; then fail "$addr in full in $(basename "$f") under --redact"; fi
	done
	# What the plain reports show in full, the masked ones show masked.
	masked=$(printf '%s\n' "$addr" | sed -E 's/^(.)[^@]*@/\1***@/')
	for kind in html xml; do
		grep -qF -- "$addr" "$tmp/plain.$kind" || continue
		shown=$((shown + 1))
		checks=$((checks + 1))
		grep -qF -- "$masked" "$tmp/masked.$kind" || fail "$masked missing from the --redact $kind report"
	done
done <"$tmp/addresses"
checks=$((checks + 1))
[ "$shown" -ge 10 ] || fail "only $shown addresses shown in the plain reports: nothing to mask?"
for s in 's***@initech.io' 'a***@initech.io' 's***@example.com'; do
	checks=$((checks + 1))
	grep -qF -- "$s" "$tmp/masked.html" || fail "$s missing from the --redact HTML report"
done
checks=$((checks + 1))
grep -qF 'masked (--redact)' "$tmp/masked.html" || fail "the HTML report does not say addresses are masked"
finish
