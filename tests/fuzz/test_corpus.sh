#!/bin/sh
# Regression test: every fuzz target runs over every saved input: the JSON
# targets over their seed corpus (tests/fuzz/corpus/) and every fixture,
# fuzz_archives over its own (tests/fuzz/archives-corpus/), and all of them
# over every crash found so far (tests/fuzz/crashes/). Without
# --enable-fuzzing the targets are linked with tests/fuzz/replay.c; with it
# they are libFuzzer programs, which run each file named on the command line
# once. A crash, a sanitizer report or a failed check (abort) fails the test.
. "${srcdir:-.}/tests/lib.sh"

# inputs DIR...: the files below the folders, one a line, in byte order.
inputs() {
	find "$@" -type f ! -name '.*' | LC_ALL=C sort
}
json_inputs=$(inputs "$srcdir/tests/fuzz/corpus" "$srcdir/tests/fuzz/crashes" "$srcdir/fixtures")
archive_inputs=$(inputs "$srcdir/tests/fuzz/archives-corpus" "$srcdir/tests/fuzz/crashes")
checks=$((checks + 1))
if [ -z "$json_inputs" ] || [ -z "$archive_inputs" ]; then fail "no saved fuzz input found"; fi
for target in fuzz_reader fuzz_pipeline fuzz_archives; do
	case $target in
	fuzz_archives) these=$archive_inputs ;;
	*) these=$json_inputs ;;
	esac
	prog=$top_builddir/tests/fuzz/$target
	checks=$((checks + 1))
	# shellcheck disable=SC2086 # one argument per input file (names have no blanks)
	if ${VALGRIND:-} "$prog" $these >"$tmp/$target.log" 2>&1; then
		echo "$target: $(echo "$these" | wc -l) inputs replayed"
	else
		tail -40 "$tmp/$target.log" >&2
		fail "$target crashed on a saved input"
	fi
done
finish
