#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: azure-contact-audit-collect --archive tar.gz and zip write the
# bag beside it as one archive: the SHA-256 it prints is the archive's, the
# members are the bag's files under its name, sorted, with no absolute or
# parent path, one time stamp, no owner (tar) and no gzip name or time, and
# the bag extracted from it verifies.
. "${srcdir:-.}/tests/lib.sh"
# shellcheck source=tests/collect-lib.sh
. "$srcdir/tests/collect-lib.sh"
command -v unzip >/dev/null 2>&1 || skip_all "unzip is not installed (the zip archive cannot be read back)"

# members ARCHIVE: the member names of a .tar.gz or .zip.
members() {
	case $1 in
	*.zip) unzip -Z1 "$1" ;;
	*) tar -tzf "$1" ;;
	esac
}

# extract ARCHIVE DIR
extract() {
	case $1 in
	*.zip) unzip -q "$1" -d "$2" ;;
	*) tar -xzf "$1" -C "$2" ;;
	esac
}

# expect_archive NAME FORMAT: checks NAME.FORMAT of the last run.
expect_archive() {
	a=$tmp/work/$1.$2
	expect_workdir "--archive $2: nothing but the bag and its archive" "$1" "$1.$2"
	checks=$((checks + 1))
	[ "$(cat "$tmp/out")" = "$(cd "$tmp/work" && sha256sum "$1.$2")" ] ||
		fail "--archive $2: printed '$(cat "$tmp/out")', the archive is $(sha256sum <"$a")"
	expect_line "$tmp/err" "azure-contact-audit-collect: 5 collected, 4 failed, 1 disabled not queried; bag written to $1 and $1.$2" \
		"--archive $2: summary"
	members "$a" >"$tmp/members"
	(cd "$tmp/work" && find "$1" -type f | LC_ALL=C sort) >"$tmp/members.want"
	checks=$((checks + 1))
	cmp -s "$tmp/members" "$tmp/members.want" ||
		fail "--archive $2: members (sorted, files only): $(diff "$tmp/members.want" "$tmp/members" | head -c 600)"
	checks=$((checks + 1))
	grep -E '^/|(^|/)\.\.(/|$)' "$tmp/members" && fail "--archive $2: absolute or parent paths"
	rm -rf "$tmp/x" && mkdir "$tmp/x"
	extract "$a" "$tmp/x"
	checks=$((checks + 1))
	diff -r "$tmp/x/$1" "$tmp/work/$1" >"$tmp/diff" 2>&1 || fail "--archive $2: extracted bag differs: $(head -c 400 "$tmp/diff")"
	expect_valid_bag "$tmp/x/$1"
}

run_collect dash -o bag --archive tar.gz
expect_rc 1 "--archive tar.gz"
expect_archive bag tar.gz
# gzip -n: no file name (FLG.FNAME) and no time (MTIME) in the header.
checks=$((checks + 1))
[ "$(od -An -tx1 -j3 -N5 "$tmp/work/bag.tar.gz" | tr -d ' \n')" = 0000000000 ] ||
	fail "gzip header holds a name or a time: $(od -An -tx1 -N10 "$tmp/work/bag.tar.gz")"
if tar --version 2>/dev/null | grep -q 'GNU tar'; then
	# Every member: owner 0/0 and the collection start as its time.
	stamp=$(bag_field "$tmp/work/bag" Collection-Timestamp | sed 's/T/ /; s/Z$//')
	TZ=UTC0 tar --full-time -tvzf "$tmp/work/bag.tar.gz" | awk '{ print $2, $4, $5 }' | sort -u >"$tmp/meta"
	checks=$((checks + 1))
	[ "$(cat "$tmp/meta")" = "0/0 $stamp" ] || fail "tar members' owner and time: $(cat "$tmp/meta") (collection $stamp)"
else
	echo "note: not GNU tar: owner and time of the members not checked"
fi

rm -rf "$tmp/work/bag" "$tmp/work/bag.tar.gz"
run_collect bash -o bagz --archive zip
expect_rc 1 "--archive zip"
expect_archive bagz zip
# One time for every member (zip keeps even seconds only), no extra fields.
checks=$((checks + 1))
[ "$(TZ=UTC0 unzip -ZT "$tmp/work/bagz.zip" | awk '/^-/ { print $7 }' | sort -u | wc -l)" -eq 1 ] ||
	fail "zip members have different times: $(TZ=UTC0 unzip -ZT "$tmp/work/bagz.zip")"
checks=$((checks + 1))
unzip -Zv "$tmp/work/bagz.zip" | grep 'length of extra field:' | grep -qv ' 0 bytes' &&
	fail "zip members carry extra fields (owners, times): $(unzip -Zv "$tmp/work/bagz.zip" | grep -A3 'extra field' | head -20)"
finish
