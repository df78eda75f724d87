#!/bin/sh
# SPDX-License-Identifier: ISC
# Self-check of tests/junit-strict.xsd, run by make check: the schema must
# accept a report of the shape azure-contact-audit writes and refuse each
# known-bad variant.
#
# Each bad document is the good one with one sed edit. An edit that no
# longer changes anything fails the check, so a case cannot pass vacuously.
. "${srcdir:-.}/tests/lib.sh"

xsd=$srcdir/tests/junit-strict.xsd
command -v xmllint >/dev/null 2>&1 || skip_all "xmllint is not installed"
check "the schema is readable"
[ -r "$xsd" ] || { fail "cannot read $xsd"; finish; }

good=$tmp/good.xml
cat >"$good" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="CIS 1.5.0 2.3.2 Ensure 'Additional email addresses' is Configured with a Security Contact Email" package="azure-contact-audit" id="0" tests="4" failures="1" errors="1" skipped="1" time="0.002" timestamp="2024-01-02T03:04:05" hostname="localhost">
    <properties>
      <property name="tool.version" value="0.1.0"/>
      <property name="input.0.path" value="fixtures/bundle/az-cli/account-list.json"/>
    </properties>
    <testcase name="CIS 2.3.2 Ensure 'Additional email addresses' is Configured with a Security Contact Email" classname="azure-contact-audit.54cae10f-1d90-4a2e-affe-0fcca9f7ab4a" time="0.000"/>
    <testcase name="CIS 2.3.2 Ensure 'Additional email addresses' is Configured with a Security Contact Email" classname="azure-contact-audit.3fd65c5f-c586-49d2-adb2-0b8dc425eaed" time="0.001">
      <failure type="non-compliant" message="emails is empty">subscription: 3fd65c5f-c586-49d2-adb2-0b8dc425eaed (Contoso Dev)</failure>
    </testcase>
    <testcase name="CIS 2.3.2 Ensure 'Additional email addresses' is Configured with a Security Contact Email" classname="azure-contact-audit.92225099-58ee-473c-8674-f06d86059f0f" time="0">
      <skipped message="subscription disabled: not audited">subscription disabled: not audited</skipped>
    </testcase>
    <testcase name="CIS 2.3.2 Ensure 'Additional email addresses' is Configured with a Security Contact Email" classname="azure-contact-audit.d9ec16e1-4dde-4d83-b82c-ba6f625faf31" time="0.000">
      <error type="undecided" message="unreadable evidence securityContacts.json:1:103: invalid JSON">bad byte \xC0 &lt;here&gt;</error>
    </testcase>
    <system-out>sanitised text</system-out>
    <system-err></system-err>
  </testsuite>
  <testsuite name="evidence" package="azure-contact-audit" id="1" tests="0" failures="0" errors="0" time="12.5" timestamp="2024-12-31T23:59:59" hostname="build-7">
    <properties/>
    <system-out/>
    <system-err/>
  </testsuite>
</testsuites>
EOF

# validate NAME FILE WANT: WANT is 0 (valid) or 3 (xmllint's "fails to validate").
validate() {
	check "$1"
	xmllint --nonet --noout --schema "$xsd" "$2" >"$tmp/out" 2>&1
	rc=$?
	[ "$rc" -eq "$3" ] || fail "xmllint exit $rc, wanted $3: $(cat "$tmp/out")"
}

# bad NAME SED-SCRIPT: the good document with one edit must be refused.
bad() {
	sed "$2" "$good" >"$tmp/$1.xml"
	if cmp -s "$good" "$tmp/$1.xml"; then
		check "$1 is refused"
		fail "the edit changed nothing"
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
bad package-missing		's/ package="azure-contact-audit"//'
bad hostname-empty		's/hostname="localhost"/hostname=" "/'
bad file-on-testsuite		's/<testsuite name="evidence"/<testsuite file="x.json" name="evidence"/'
bad file-on-testcase		's/classname="azure-contact-audit.d9ec16e1-4dde-4d83-b82c-ba6f625faf31"/& file="x.json"/'
bad properties-missing		'/<properties\/>/d'
bad system-err-missing		'/<system-err><\/system-err>/d'
bad system-out-in-testcase	's|</skipped>|</skipped><system-out>x</system-out>|'
bad children-out-of-order	's|<properties/>|<system-out/><properties/>|'
bad two-failures		's|</failure>|</failure><failure type="t" message="m">again</failure>|'
bad failure-and-error		's|</failure>|</failure><error type="t" message="m">also</error>|'
bad failure-without-type	's/<failure type="non-compliant" /<failure /'
bad failure-without-message	's/ message="emails is empty"//'
bad error-without-type		's/<error type="undecided" /<error /'
bad skipped-without-message	's/<skipped message="subscription disabled: not audited">/<skipped>/'
bad skipped-with-type		's/<skipped /<skipped type="t" /'
bad markup-in-failure		's|(Contoso Dev)|<b>(Contoso Dev)</b>|'
bad property-without-value	's/ value="0.1.0"//'
bad duplicate-testcase		's/classname="azure-contact-audit.54cae10f-1d90-4a2e-affe-0fcca9f7ab4a"/classname="azure-contact-audit.3fd65c5f-c586-49d2-adb2-0b8dc425eaed"/'
bad duplicate-suite-id		's/id="1"/id="0"/'
finish
