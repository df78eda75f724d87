#!/bin/sh
# SPDX-License-Identifier: ISC
# Static checks of the collector: shellcheck finds nothing in the script, the
# stub az and the collector's tests (as POSIX sh); test_man_lint.sh checks
# its man page. Skipped without shellcheck.
. "${srcdir:-.}/tests/lib.sh"
command -v shellcheck >/dev/null 2>&1 || skip_all "shellcheck is not installed"

cd "$srcdir" || exit 99
checks=$((checks + 1))
shellcheck -s sh -x src/azure-contact-audit-collect.in tests/stub-az/az tests/collect-lib.sh tests/test_collect.sh \
	tests/test_collect_archive.sh tests/test_collect_audit_archive.sh tests/test_collect_lint.sh >"$tmp/sc" 2>&1 ||
	fail "shellcheck: $(head -c 3000 "$tmp/sc")"
finish
