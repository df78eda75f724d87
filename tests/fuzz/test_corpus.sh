#!/bin/sh
# Regression test: both fuzz targets run over every saved input, the seed
# corpus (tests/fuzz/corpus/), every crash found so far (tests/fuzz/crashes/)
# and every fixture. Without --enable-fuzzing the targets are linked with
# tests/fuzz/replay.c; with it they are libFuzzer programs, which run each
# file named on the command line once. A crash, a sanitizer report or a
# failed check (abort) fails the test.
. "${srcdir:-.}/tests/lib.sh"

inputs=$(find "$srcdir/tests/fuzz/corpus" "$srcdir/tests/fuzz/crashes" "$srcdir/fixtures" -type f \
	! -name '.*' | LC_ALL=C sort)
checks=$((checks + 1))
[ -n "$inputs" ] || fail "no saved fuzz input found"
for target in fuzz_reader fuzz_pipeline; do
	prog=$top_builddir/tests/fuzz/$target
	checks=$((checks + 1))
	# shellcheck disable=SC2086 # one argument per input file (names have no blanks)
	if ${VALGRIND:-} "$prog" $inputs >"$tmp/$target.log" 2>&1; then
		echo "$target: $(echo "$inputs" | wc -l) inputs replayed"
	else
		tail -40 "$tmp/$target.log" >&2
		fail "$target crashed on a saved input"
	fi
done
finish
