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

finish() {
	echo "$checks checks, $failures failed"
	[ "$failures" -eq 0 ]
	exit $?
}
