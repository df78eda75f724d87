#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: the README's sample bundle gives exactly the golden verdict
# lines and exit status 2 (it holds unreadable evidence on purpose), at every
# read size from 1 to 31 bytes as well as the default.
. "${srcdir:-.}/tests/lib.sh"

cd "$srcdir" || exit 99
run fixtures/bundle
expect_rc 2 "bundle"
check "bundle stdout is tests/golden/bundle.stdout"
diff -u tests/golden/bundle.stdout "$tmp/out" >&2 || fail "bundle stdout differs from tests/golden/bundle.stdout"
check "bundle stderr is tests/golden/bundle.stderr"
diff -u tests/golden/bundle.stderr "$tmp/err" >&2 || fail "bundle stderr differs from tests/golden/bundle.stderr"

size=1
while [ $size -le 31 ]; do
	${VALGRIND:-} "$AUDIT" --read-size $size fixtures/bundle >"$tmp/out.$size" 2>"$tmp/err.$size"
	check "read size $size gives the same output"
	cmp -s "$tmp/out" "$tmp/out.$size" && cmp -s "$tmp/err" "$tmp/err.$size" ||
		fail "read size $size gives different output"
	size=$((size + 1))
done
finish
