# Shared set-up for the end-to-end tests (sourced). automake exports srcdir;
# AUDIT is the built program; VALGRIND (set by --enable-valgrind) wraps it.
set -u
srcdir=${srcdir:-.}
AUDIT=${AUDIT:-./src/azure-contact-audit}
FIX=$srcdir/fixtures
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aca-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0

# run ARGS...: runs the audit, leaving stdout in $tmp/out, stderr in
# $tmp/err and the exit status in $rc.
run() {
	${VALGRIND:-} "$AUDIT" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# in_tree: makes $run_dir, a folder laid out like the source tree (fixtures
# and tests linked), so that the paths in reports are relative and the same
# on every machine; AUDIT becomes absolute. Then run_in_tree NAME EXIT ARG...
# runs the audit there under SOURCE_DATE_EPOCH, stdout in NAME.out, stderr
# in NAME.err, and checks the exit status.
in_tree() {
	case $AUDIT in /*) ;; *) AUDIT=$(pwd)/$AUDIT ;; esac
	src=$(cd "$srcdir" && pwd)
	run_dir=$tmp/run
	mkdir "$run_dir" && ln -s "$src/fixtures" "$run_dir/fixtures" && ln -s "$src/tests" "$run_dir/tests" ||
		exit 99
}
run_in_tree() {
	name=$1 want=$2
	shift 2
	(cd "$run_dir" && SOURCE_DATE_EPOCH=1767225600 ${VALGRIND:-} "$AUDIT" "$@" >"$name.out" 2>"$name.err")
	rc=$?
	expect_rc "$want" "$name"
}

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect_rc N WHAT
expect_rc() {
	checks=$((checks + 1))
	[ "$rc" -eq "$1" ] || fail "$2: exit status $rc, expected $1 (stderr: $(head -c 400 "$tmp/err"))"
}

# expect_line FILE LINE WHAT: LINE must be a whole line of FILE.
expect_line() {
	checks=$((checks + 1))
	grep -qxF -- "$2" "$1" || fail "$3: no line '$2' in $(basename "$1"): $(head -c 600 "$1")"
}

# expect_no_match FILE PATTERN WHAT
expect_no_match() {
	checks=$((checks + 1))
	if grep -qE -- "$2" "$1"; then fail "$3: '$2' found in $(basename "$1")"; fi
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

finish() {
	echo "$checks checks, $failures failed"
	[ "$failures" -eq 0 ]
	exit $?
}
