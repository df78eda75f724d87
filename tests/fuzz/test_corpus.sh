#!/bin/sh
# SPDX-License-Identifier: ISC
# Regression test: every fuzz target runs over its saved inputs: the JSON
# targets (fuzz_reader, fuzz_pipeline) over their seed corpus
# (tests/fuzz/corpus/) and every fixture, fuzz_manifests over its own seeds
# (tests/fuzz/corpus-manifests/), fuzz_archives over its own
# (tests/fuzz/archives-corpus/), and all of them over every crash found so
# far (tests/fuzz/crashes/). Without --enable-fuzzing the targets are linked
# with tests/fuzz/replay.c; with it they are libFuzzer programs, which run
# each file named on the command line once. A crash, a sanitizer report or a
# failed check (abort) fails the test.
. "${srcdir:-.}/tests/lib.sh"

# saved_inputs DIR...: the files below them, in byte order, dot files left out.
saved_inputs() {
	find "$@" -type f ! -name '.*' | LC_ALL=C sort
}

json_inputs=$(saved_inputs "$srcdir/tests/fuzz/corpus" "$srcdir/tests/fuzz/crashes" "$srcdir/fixtures")
manifest_inputs=$(saved_inputs "$srcdir/tests/fuzz/corpus-manifests" "$srcdir/tests/fuzz/crashes")
archive_inputs=$(saved_inputs "$srcdir/tests/fuzz/archives-corpus" "$srcdir/tests/fuzz/crashes")
for target in fuzz_reader fuzz_pipeline fuzz_manifests fuzz_archives; do
	case $target in
	fuzz_manifests) inputs=$manifest_inputs ;;
	fuzz_archives) inputs=$archive_inputs ;;
	*) inputs=$json_inputs ;;
	esac
	checks=$((checks + 1))
	[ -n "$inputs" ] || { fail "$target: no saved fuzz input found"; continue; }
	prog=${top_builddir:-.}/tests/fuzz/$target
	check "$target replays every saved input"
	# shellcheck disable=SC2086 # one argument per input file (names have no blanks)
	if ${VALGRIND:-} "$prog" $inputs >"$tmp/$target.log" 2>&1; then
		echo "$target: $(echo "$inputs" | wc -l) inputs replayed"
	else
		tail -40 "$tmp/$target.log" >&2
		fail "$target crashed on a saved input"
	fi
done
finish
