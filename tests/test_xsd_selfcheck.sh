#!/bin/sh
# Self-check of tests/junit-strict.xsd, run by make check: the schema must accept a report of the shape we write and refuse each known-bad variant.
#
# Each bad document is the good one with one sed edit.  An edit that no
# longer changes anything fails the check, so a case cannot pass vacuously.
# Exit 0 on success, 1 on failure, 77 (automake's SKIP) without xmllint.

srcdir=${srcdir:-.}
# automake exports the srcdir of the Makefile that lists the test: the top
# one in a non-recursive build, tests/ in a recursive one.
xsd=$srcdir/tests/junit-strict.xsd
[ -r "$xsd" ] || xsd=$srcdir/junit-strict.xsd

command -v xmllint >/dev/null 2>&1 || {
	echo "xmllint not found: skipping" >&2
	exit 77
}
[ -r "$xsd" ] || {
	echo "cannot read $xsd" >&2
	exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xsdcheck.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

status=0
good=$tmp/good.xml
cat >"$good" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="securityContacts" package="azsc" id="0" tests="4" failures="1" errors="1" skipped="1" time="0.002" timestamp="2024-01-02T03:04:05" hostname="localhost">
    <properties>
      <property name="tool.version" value="0.1.0"/>
      <property name="input.0.path" value="exports/sub-0000.json"/>
    </properties>
    <testcase name="AZSC-001 security contact email set" classname="azsc.sub-0000" time="0.000"/>
    <testcase name="AZSC-002 alert notifications on" classname="azsc.sub-0000" time="0.001">
      <failure type="rule-violation" message="alertNotifications.state is Off">expected On, found Off</failure>
    </testcase>
    <testcase name="AZSC-003 notify owners" classname="azsc.sub-0000" time="0">
      <skipped message="not applicable">not applicable</skipped>
    </testcase>
    <testcase name="AZSC-000 input parsed" classname="azsc.sub-0001" time="0.000">
      <error type="input-error" message="lexical error at byte 17">bad byte \xC0 &lt;here&gt;</error>
    </testcase>
    <system-out>sanitised text</system-out>
    <system-err></system-err>
  </testsuite>
  <testsuite name="second" package="azsc" id="1" tests="0" failures="0" errors="0" time="12.5" timestamp="2024-12-31T23:59:59" hostname="build-7">
    <properties/>
    <system-out/>
    <system-err/>
  </testsuite>
</testsuites>
EOF

# validate NAME FILE WANT: WANT is 0 (valid) or 3 (xmllint's "fails to validate").
validate() {
	xmllint --nonet --noout --schema "$xsd" "$2" >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: xmllint exit $rc, wanted $3" >&2
		sed 's/^/    /' "$tmp/out" >&2
		status=1
	fi
}

# bad NAME SED-SCRIPT: the good document with one edit must be refused.
bad() {
	sed "$2" "$good" >"$tmp/$1.xml"
	if cmp -s "$good" "$tmp/$1.xml"; then
		echo "FAIL: $1: the edit changed nothing" >&2
		status=1
		return
	fi
	validate "$1 is refused" "$tmp/$1.xml" 3
}

validate "good report is accepted" "$good" 0

bad attribute-on-testsuites	's/<testsuites>/<testsuites name="all">/'
bad no-testsuite		'/<testsuite /,/<\/testsuite>/d'
bad nested-testsuite		's|<properties/>|<properties/><testsuite name="n" package="p" id="9" tests="0" failures="0" errors="0" time="0" timestamp="2024-01-02T03:04:05" hostname="h"><properties/><system-out/><system-err/></testsuite>|'
bad timestamp-zulu		's/T03:04:05"/T03:04:05Z"/'
bad timestamp-offset		's/T03:04:05"/T03:04:05+01:00"/'
bad timestamp-fraction		's/T03:04:05"/T03:04:05.5"/'
bad timestamp-month-13		's/2024-01-02T/2024-13-02T/'
bad timestamp-february-30	's/2024-01-02T/2024-02-30T/'
bad timestamp-hour-24		's/T03:04:05"/T24:00:00"/'
bad suite-time-4-decimals	's/time="0.002"/time="0.0021"/'
bad case-time-4-decimals	's/time="0.001"/time="0.0011"/'
bad case-time-comma		's/time="0.001"/time="0,001"/'
bad suite-time-spaces		's/time="0.002"/time=" 0.002 "/'
bad case-time-missing		's/ time="0.001"//'
bad negative-count		's/failures="1"/failures="-1"/'
bad count-with-sign		's/tests="4"/tests="+4"/'
bad count-with-spaces		's/tests="4"/tests=" 4 "/'
bad count-beyond-int		's/tests="4"/tests="2147483648"/'
bad id-missing			's/ id="0"//'
bad package-missing		's/ package="azsc"//'
bad hostname-empty		's/hostname="localhost"/hostname=" "/'
bad file-on-testsuite		's/<testsuite name="second"/<testsuite file="x.json" name="second"/'
bad file-on-testcase		's/classname="azsc.sub-0001"/classname="azsc.sub-0001" file="x.json"/'
bad properties-missing		'/<properties\/>/d'
bad system-err-missing		'/<system-err><\/system-err>/d'
bad system-out-in-testcase	's|</skipped>|</skipped><system-out>x</system-out>|'
bad children-out-of-order	's|<properties/>|<system-out/><properties/>|'
bad two-failures		's|</failure>|</failure><failure type="t" message="m">again</failure>|'
bad failure-and-error		's|</failure>|</failure><error type="t" message="m">also</error>|'
bad failure-without-type	's/<failure type="rule-violation" /<failure /'
bad failure-without-message	's/ message="alertNotifications.state is Off"//'
bad error-without-type		's/<error type="input-error" /<error /'
bad skipped-without-message	's/<skipped message="not applicable">/<skipped>/'
bad skipped-with-type		's/<skipped /<skipped type="t" /'
bad markup-in-failure		's|expected On|expected <b>On</b>|'
bad property-without-value	's/ value="0.1.0"//'
bad duplicate-testcase		's/AZSC-001 security contact email set/AZSC-002 alert notifications on/'
bad duplicate-suite-id		's/id="1"/id="0"/'

exit "$status"
