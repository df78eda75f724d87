# SPDX-License-Identifier: ISC
# Shared set-up for the end-to-end tests (sourced): every check is one TAP
# line for automake's tap-driver.sh. automake exports srcdir; AUDIT is the
# built program; VALGRIND (set by --enable-valgrind) wraps it.
#
# A check is started by check WHAT (or by an expect_* helper, or by a test
# adding one to $checks itself) and fails when fail MSG is called before the
# next check starts: "not ok N - WHAT" with MSG as "# " lines. A check that
# did not fail is printed as "ok N - WHAT" when the next one starts. A case
# that cannot run here is skip WHY ("ok N # SKIP WHY"); a whole test that
# cannot run is skip_all WHY. finish prints the plan and ends the test.
set -u
srcdir=${srcdir:-.}
AUDIT=${AUDIT:-./src/azure-contact-audit}
# The Python 3 that configure chose (Debian's before one on PATH).
PYTHON3=${PYTHON3:-python3}
# tests/xpath-rows.c, built by make check.
XPATH_ROWS=${XPATH_ROWS:-${top_builddir:-.}/tests/xpath-rows}
FIX=$srcdir/fixtures
# The TAP lines go to the driver on descriptor 7; everything else the test
# prints goes to standard error (the test's log), so no stray output can be
# read as a result.
exec 7>&1 1>&2
# Each test's scratch folder is in memory (/dev/shm) where the machine has one
# that programs may run from, unless TMPDIR names a place: the suite makes and
# removes over 100,000 files, and on a disk the kernel's work for them costs
# about a tenth of the suite's time.
scratch=${TMPDIR:-}
if [ -z "$scratch" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && [ -r /proc/mounts ]; then
	while read -r _ mounted_on _ options _; do
		[ "$mounted_on" = /dev/shm ] || continue
		case ,$options, in
		*,noexec,*) scratch= ;;
		*) scratch=/dev/shm ;;
		esac
	done </proc/mounts
fi
tmp=$(mktemp -d "${scratch:-/tmp}/aca-test.XXXXXX") || exit 99
trap 'tap_exit $?' EXIT
failures=0
checks=0
tap_done=0 tap_failed=0 tap_what= tap_what_n=0 tap_planned=
tap_nl='
'
tab=$(printf '\t')

# tap_line RESULT [WHAT [DIRECTIVE]]: one TAP line. WHAT is kept on the
# line and a '#' in it escaped, so that it never reads as a directive.
tap_line() {
	case ${2:-} in
	'') printf '%s%s\n' "$1" "${3:+ $3}" >&7 ;;
	*'#'* | *"$tap_nl"*) printf '%s - %s%s\n' "$1" "$(printf '%s' "$2" | tr '\n' ' ' | sed 's/#/\\#/g')" "${3:+ $3}" >&7 ;;
	*) printf '%s - %s%s\n' "$1" "$2" "${3:+ $3}" >&7 ;;
	esac
}

# tap_diag TEXT: TEXT as TAP diagnostics, one "# " line per line.
tap_diag() {
	printf '%s\n' "$1" | sed 's/^/# /' >&7
}

# tap_flush: every check started and not failed has passed.
tap_flush() {
	while [ "$tap_done" -lt "$checks" ]; do
		tap_done=$((tap_done + 1))
		if [ "$tap_done" -eq "$tap_what_n" ]; then
			tap_line "ok $tap_done" "$tap_what"
		else
			tap_line "ok $tap_done"
		fi
	done
	tap_failed=0
}

# check WHAT: starts the next check.
check() {
	tap_flush
	checks=$((checks + 1))
	tap_what=$1 tap_what_n=$checks
}

# fail MSG: the check started last fails, with MSG as its diagnostic. A
# second failure of the same check adds to its diagnostics; a failure with
# no check started is a failed check of its own, named by MSG.
fail() {
	failures=$((failures + 1))
	if [ "$tap_done" -eq "$checks" ] && [ "$tap_failed" -eq 1 ]; then
		tap_diag "$*"
		return
	fi
	[ "$tap_done" -lt "$checks" ] || checks=$((checks + 1))
	checks=$((checks - 1))
	tap_flush
	checks=$((checks + 1))
	tap_done=$checks tap_failed=1
	tap_msg=$*
	if [ "$tap_what_n" -eq "$checks" ] && [ -n "$tap_what" ]; then
		tap_line "not ok $checks" "$tap_what"
		tap_diag "$tap_msg"
	else
		tap_line "not ok $checks" "${tap_msg%%"$tap_nl"*}"
		case $tap_msg in *"$tap_nl"*) tap_diag "${tap_msg#*"$tap_nl"}" ;; esac
	fi
}

# skip WHY: a case that cannot run here, shown as SKIP with its reason.
skip() {
	tap_why=$*
	case $tap_why in *"$tap_nl"*) tap_why=$(printf '%s' "$tap_why" | tr '\n' ' ') ;; esac
	tap_flush
	checks=$((checks + 1))
	tap_done=$checks
	tap_line "ok $checks" "" "# SKIP $tap_why"
}

# skip_all WHY: the whole test cannot run here (exit 77, automake's SKIP).
skip_all() {
	if [ "$checks" -eq 0 ]; then
		tap_line "1..0" "" "# SKIP $*"
	else
		skip "$*"
		echo "1..$checks" >&7
	fi
	tap_planned=1
	exit 77
}

# note TEXT: a remark in the log. A note that says a case was skipped is
# reported as a skipped case, so that no skip hides behind a PASS.
note() {
	case $* in
	*skipped) skip "$*" ;;
	*) tap_diag "$*" ;;
	esac
}

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

# expect_rc N WHAT
expect_rc() {
	check "$2"
	[ "$rc" -eq "$1" ] || fail "exit status $rc, expected $1 (stderr: $(head -c 400 "$tmp/err"))"
}

# A table read out of a report in one process ($XPATH_ROWS, see
# tests/xpath-rows.c): one row a line, its values separated by tabs.
# next_cell: the first value of $row into $cell, and $row keeps the rest.
next_cell() {
	cell=${row%%"$tab"*}
	case $row in
	*"$tab"*) row=${row#*"$tab"} ;;
	*) row= ;;
	esac
}

# xpath_escaped: standard input with its backslashes doubled, as
# $XPATH_ROWS prints a value, for comparing lines with its rows.
xpath_escaped() {
	sed 's/\\/\\\\/g'
}

# expect_line FILE LINE WHAT: LINE must be a whole line of FILE.
expect_line() {
	check "$3"
	grep -qxF -- "$2" "$1" || fail "no line '$2' in $(basename "$1"): $(head -c 600 "$1")"
}

# junit_property FILE NAME: the value of the property NAME of a JUnit
# report's inputs suite (the run's facts), read by xmllint.
junit_property() {
	xmllint --xpath "string(/testsuites/testsuite[@name='inputs']/properties/property[@name='$2']/@value)" "$1" 2>/dev/null
}

# expect_junit_valid FILE WHAT: FILE is valid against the project's strict
# JUnit schema, and against each third-party schema of
# ../shared/reference/junit when that folder is beside the tree (CI puts
# it there); without it, that case is a SKIP, not a pass.
expect_junit_valid() {
	for xsd in "$srcdir/tests/junit-strict.xsd" "$srcdir"/../shared/reference/junit/*.xsd; do
		if [ ! -f "$xsd" ]; then
			skip "$2 against the third-party JUnit schemas: no ../shared/reference/junit beside the tree"
			continue
		fi
		checks=$((checks + 1))
		xmllint --noout --schema "$xsd" "$1" 2>"$tmp/xsd.err" ||
			fail "$2 is not valid against $xsd: $(head -c 400 "$tmp/xsd.err")"
	done
}

# expect_junit_property FILE NAME VALUE WHAT
expect_junit_property() {
	check "$4"
	got=$(junit_property "$1" "$2")
	[ "$got" = "$3" ] || fail "JUnit property $2 is '$got', not '$3'"
}

# expect_no_match FILE PATTERN WHAT
expect_no_match() {
	check "$3"
	if grep -qE -- "$2" "$1"; then fail "'$2' found in $(basename "$1")"; fi
}

# expect_no_pass SUB WHAT
expect_no_pass() {
	expect_no_match "$tmp/out" "^PASS  $1  " "$2: never PASS for the hostile subscription"
}

# expect_verdict STATUS SUB WHAT: a STATUS line for SUB on stdout.
expect_verdict() {
	check "$3"
	grep -q "^$1  $2  " "$tmp/out" || fail "no $1 line for $2: $(head -c 600 "$tmp/out")"
}

# expect_diag FILE POS LEVEL WHAT: stderr has "azure-contact-audit: FILE:POS: LEVEL: ..."
# where POS is LINE:COL, "any" for some LINE:COL, or "-" for none (a
# message about the whole file). FILE is matched literally.
expect_diag() {
	check "$4"
	awk -v p="azure-contact-audit: $1" -v pos="$2" -v level="$3" '
		index($0, p) == 1 {
			rest = substr($0, length(p) + 1)
			if (pos == "-" && index(rest, ": " level ": ") == 1) ok = 1
			if (pos == "any" && rest ~ ("^:[0-9]+:[0-9]+: " level ": ")) ok = 1
			if (index(rest, ":" pos ": " level ": ") == 1) ok = 1
		}
		END { exit !ok }' "$tmp/err" ||
		fail "no '$3' at $2 for $1 on stderr: $(head -c 600 "$tmp/err")"
}

# expect_err_text TEXT WHAT: stderr contains TEXT.
expect_err_text() {
	check "$2"
	grep -qF -- "$1" "$tmp/err" || fail "'$1' not on stderr: $(head -c 600 "$tmp/err")"
}

# finish: the plan; the exit status says whether a check failed (the TAP
# driver reads the results, a person running the test by hand the status).
finish() {
	tap_flush
	echo "1..$checks" >&7
	tap_planned=1
	echo "$checks checks, $failures failed"
	[ "$failures" -eq 0 ]
	exit $?
}

# tap_exit STATUS: on exit, the temporary files go; a test that exits 77
# without skip_all is still reported as skipped.
tap_exit() {
	rm -rf "$tmp"
	if [ -z "$tap_planned" ] && [ "$1" -eq 77 ]; then
		skip_all "exit status 77 (the reason is in the log)"
	fi
}
