#!/bin/sh
# Static checks of the collector: shellcheck finds nothing in the script, the
# stub az and the collector's tests (as POSIX sh), and mandoc -Tlint nothing
# in its man page. Skipped (77) without shellcheck or mandoc.
. "${srcdir:-.}/tests/lib.sh"
command -v shellcheck >/dev/null 2>&1 || skip_all "shellcheck is not installed"
command -v mandoc >/dev/null 2>&1 || skip_all "mandoc is not installed"

cd "$srcdir" || exit 99
checks=$((checks + 1))
shellcheck -s sh -x src/azure-contact-audit-collect.in tests/stub-az/az tests/collect-lib.sh tests/test_collect.sh \
	tests/test_collect_archive.sh tests/test_collect_audit_archive.sh tests/test_collect_lint.sh >"$tmp/sc" 2>&1 ||
	fail "shellcheck: $(head -c 3000 "$tmp/sc")"
checks=$((checks + 1))
mandoc -Tlint azure-contact-audit-collect.1 >"$tmp/lint" 2>&1
[ ! -s "$tmp/lint" ] || fail "mandoc -Tlint azure-contact-audit-collect.1: $(cat "$tmp/lint")"
finish
