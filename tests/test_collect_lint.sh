#!/bin/sh
# SPDX-License-Identifier: ISC
# Static checks of the collector: shellcheck finds nothing in the script and
# the stub az it is tested with (as POSIX sh); test_man_lint.sh checks its
# man page, and make check-style lints its tests with every other script.
# Skipped without shellcheck.
. "${srcdir:-.}/tests/lib.sh"
command -v shellcheck >/dev/null 2>&1 || skip_all "shellcheck is not installed"

cd "$srcdir" || exit 99
checks=$((checks + 1))
shellcheck -s sh -x src/azure-contact-audit-collect.in tests/stub-az/az >"$tmp/sc" 2>&1 ||
	fail "shellcheck: $(head -c 3000 "$tmp/sc")"
finish
