#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: the OSCAL document of every fixture set (and of the waived,
# the redacted and the hostile runs) validates against NIST's OSCAL 1.0.6
# assessment-results JSON schema (tests/oscal/), with ajv and ajv-formats
# (tests/package.json; `npm ci` in tests/, which `.ci/setup --test` runs).
# Broken documents must fail, so the check cannot pass by validating
# nothing. SKIP where node or the npm packages are absent.
. "${srcdir:-.}/tests/lib.sh"
command -v node >/dev/null 2>&1 || skip_all "node is not installed"
command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "python3 is not installed"
schema=$srcdir/tests/oscal/oscal_assessment-results_schema-1.0.6.json
validate="$srcdir/tests/validate-oscal.js"
(cd "$srcdir/tests" && node -e 'require("ajv"); require("ajv-formats")' >/dev/null 2>&1) ||
	skip_all "ajv and ajv-formats are not installed (npm ci in tests/)"

export SOURCE_DATE_EPOCH=1767225600
docs=
# oscal NAME ARG...: the document of ARG... as $tmp/NAME.json
oscal() {
	name=$1
	shift
	run --oscal "$tmp/$name.json" "$@"
	checks=$((checks + 1))
	[ -s "$tmp/$name.json" ] || fail "$name: no OSCAL document (exit $rc)"
	docs="$docs $tmp/$name.json"
}
for dir in bundle shapes hostile compressed; do
	oscal "$dir" --rule all "$FIX/$dir"
done
oscal waived --rule all --waivers "$srcdir/tests/data/waivers.json" "$FIX/bundle"
oscal redacted --redact --benchmark 6.0.0 --rule all "$FIX/bundle"
oscal injection --rule all "$srcdir/tests/data/injection"
oscal nothing "$srcdir/tests/data/waivers.json"

# Broken on purpose, each the way a careless writer would get it wrong.
"$PYTHON3" - "$tmp/bundle.json" "$tmp" <<'PY' || fail "could not write the broken documents"
import json, sys
doc = json.load(open(sys.argv[1]))
def broken(name, change):
    d = json.loads(json.dumps(doc))
    change(d["assessment-results"])
    json.dump(d, open("%s/broken-%s.json" % (sys.argv[2], name), "w"))
broken("state", lambda d: d["results"][0]["findings"][0]["target"]["status"].update(state="error"))
broken("control-id", lambda d: d["results"][0]["reviewed-controls"]["control-selections"][0]
       ["include-controls"][0].update({"control-id": "2.3.2"}))
broken("uuid-v1", lambda d: d.update(uuid="6f12d9e8-e019-136a-877a-361c373c7da1"))
broken("start-no-zone", lambda d: d["results"][0].update(start="2026-01-01T00:00:00"))
broken("no-import-ap", lambda d: d.pop("import-ap"))
PY
for b in state control-id uuid-v1 start-no-zone no-import-ap; do
	docs="$docs !$tmp/broken-$b.json"
done
checks=$((checks + 1))
# shellcheck disable=SC2086
node "$validate" "$schema" $docs >"$tmp/validate" 2>&1 || fail "$(cat "$tmp/validate")"
cat "$tmp/validate"
checks=$((checks + 1))
[ "$(grep -c '^ok: ' "$tmp/validate")" -eq 13 ] || fail "not every document was checked: $(cat "$tmp/validate")"
finish
