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

# expect_no_pass SUB WHAT
expect_no_pass() {
	expect_no_match "$tmp/out" "^PASS  $1  " "$2: never PASS for the hostile subscription"
}

# expect_verdict STATUS SUB WHAT: a STATUS line for SUB on stdout.
expect_verdict() {
	checks=$((checks + 1))
	grep -q "^$1  $2  " "$tmp/out" || fail "$3: no $1 line for $2: $(head -c 600 "$tmp/out")"
}

# expect_diag FILE POS LEVEL WHAT: stderr has "azure-contact-audit: FILE:POS: LEVEL: ..."
# where POS is LINE:COL, "any" for some LINE:COL, or "-" for none (a
# message about the whole file). FILE is matched literally.
expect_diag() {
	checks=$((checks + 1))
	awk -v p="azure-contact-audit: $1" -v pos="$2" -v level="$3" '
		index($0, p) == 1 {
			rest = substr($0, length(p) + 1)
			if (pos == "-" && index(rest, ": " level ": ") == 1) ok = 1
			if (pos == "any" && rest ~ ("^:[0-9]+:[0-9]+: " level ": ")) ok = 1
			if (index(rest, ":" pos ": " level ": ") == 1) ok = 1
		}
		END { exit !ok }' "$tmp/err" ||
		fail "$4: no '$3' at $2 for $1 on stderr: $(head -c 600 "$tmp/err")"
}

# expect_err_text TEXT WHAT: stderr contains TEXT.
expect_err_text() {
	checks=$((checks + 1))
	grep -qF -- "$1" "$tmp/err" || fail "$2: '$1' not on stderr: $(head -c 600 "$tmp/err")"
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

note() {
	echo "NOTE: $*"
}
