# SPDX-License-Identifier: ISC
# Shared set-up for the hostile-input tests (sourced after lib.sh). Every
# case audits its hostile input together with a good file, REST, and checks
# that REST still passes: one bad file must never stop the rest of a bundle.
REST=$FIX/shapes/rest-2023-get.json
REST_SUB=23ee64f7-9259-4f28-9d44-e3027bd8f051
REST_LINE="PASS  $REST_SUB  2 deliverable addresses in contact 'default'"
# The subscription every hostile file is filed under (folder name and id).
G=7c0ffee0-1d2e-4f3a-8b4c-5d6e7f8a9b0c
# A hang must fail the test, not the CI job.
GUARD=
command -v timeout >/dev/null 2>&1 && GUARD="timeout 300"

# case_file NAME: prints the path of a fresh evidence file NAME/<G>/c.json.
case_file() {
	mkdir -p "$tmp/$1/$G" && echo "$tmp/$1/$G/c.json"
}

# contact_head: the start of a contact for G, the hostile part comes after.
# Line 1 is the id, line 2 starts the properties with a deliverable address,
# so a reader that skipped the hostile part would wrongly PASS.
contact_head() {
	printf '{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default",\n' "$G"
	printf ' "properties": {"emails": "secops@acme-corp.com",\n'
}

# hostile ARGS...: audits ARGS (options and files) together with REST.
hostile() {
	${GUARD} ${VALGRIND:-} "$AUDIT" "$@" "$REST" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect_rest WHAT: REST was still audited and passed.
expect_rest() {
	expect_line "$tmp/out" "$REST_LINE" "$1: the good file is still audited"
}

# A hostile file that fails: exit 2, ERROR for G, never PASS, REST passes,
# and an error at POS (see expect_diag) naming the file.
# expect_unreadable FILE POS WHAT
expect_unreadable() {
	expect_rc 2 "$3"
	expect_verdict ERROR "$G" "$3"
	expect_no_pass "$G" "$3"
	expect_rest "$3"
	expect_diag "$1" "$2" error "$3"
}
