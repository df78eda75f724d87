#!/bin/sh
# SPDX-License-Identifier: ISC
# End to end, a sample of the byte-cut matrix: every fixture of
# fixtures/bundle, shapes, hostile and compressed cut at every 61st byte
# offset (under valgrind every 487th), run by the program itself; every
# offset is cut in process by tests/test_cuts. The copies of
# one fixture go in a folder named after the fixture's subscription, so each
# cut file's ERROR lands on it; each folder is audited together with a good
# file. Never PASS for that subscription, never a crash (exit 2 exactly),
# every cut file named on stderr as an error, with line:col unless the cut
# left no JSON text at all (whole-file message). A cut that happens to be
# complete JSON (between concatenated documents, say) is not a truncation
# and is left out.
. "${srcdir:-.}/tests/lib.sh"
. "$srcdir/tests/hostile-lib.sh"

command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "python3 is needed to cut the fixtures"
stride=61
[ -n "${VALGRIND:-}" ] && stride=487

# Writes the cut copies under $tmp/cut/NN/<subscription>/ and one manifest
# line per copy: group, subscription, path, 1 if it holds JSON text.
"$PYTHON3" - "$FIX" "$tmp/cut" "$stride" >"$tmp/manifest" <<'EOF' || exit 99
import codecs, json, os, re, sys
fix, out, stride = sys.argv[1], sys.argv[2], int(sys.argv[3])
subs = {}
for line in open(os.path.join(fix, 'expected.tsv'), encoding='utf-8'):
    if not line.startswith('#'):
        path, sub = line.split('\t')[:2]
        subs.setdefault(path, sub)
NOTICES = ("WARNING:", "Command group '", "Command '", "This command ", "The command ")

def text_of(b):
    if b.startswith(codecs.BOM_UTF8):
        return b[3:].decode('utf-8')
    if b[:2] == b'\xff\xfe':
        return b[2:].decode('utf-16-le')
    if b[:2] == b'\xfe\xff':
        return b[2:].decode('utf-16-be')
    return b.decode('utf-8')

def complete(b):
    """The cut is itself a whole evidence file: one or more JSON values."""
    try:
        lines = text_of(b).split('\n')
    except UnicodeDecodeError:
        return False
    while lines and (lines[0].strip() == '' or lines[0].startswith(NOTICES)):
        lines.pop(0)
    t, pos, n, dec = '\n'.join(lines), 0, 0, json.JSONDecoder()
    while True:
        while pos < len(t) and t[pos] in ' \t\r\n':
            pos += 1
        if pos == len(t):
            return n > 0
        try:
            pos = dec.raw_decode(t, pos)[1]
        except ValueError:
            return False
        n += 1

def has_json_text(b):
    """Anything but blanks and az notice text: an error must have a position."""
    try:
        t = text_of(b)
    except UnicodeDecodeError:
        return True
    if any(c in t for c in '[{"'):
        return True
    return not all(l.strip() == '' or l.lstrip()[:1].isupper() for l in t.split('\n'))

group = 0
for top in ('bundle', 'shapes', 'hostile', 'compressed'):
    for root, dirs, files in sorted(os.walk(os.path.join(fix, top))):
        dirs.sort()
        for name in sorted(files):
            rel = os.path.relpath(os.path.join(root, name), fix)
            data = open(os.path.join(fix, rel), 'rb').read()
            group += 1
            sub = subs.get(rel, '-')
            named = re.findall(r'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', name)
            if sub == '-' and named:  # the cut keeps the name, so its GUID wins
                sub = named[-1].lower()
            if sub == '-':  # no subscription anywhere: file it under a made-up one
                sub = '00000000-0000-4000-8000-%012d' % group
            n = len(data)
            offsets = range(n)
            dest = os.path.join(out, '%02d' % group, sub)
            os.makedirs(dest)
            for off in list(offsets)[::stride]:
                cut = data[:off]
                if complete(cut):
                    continue
                path = os.path.join(dest, '%s.%05d.json' % (name.rsplit('.', 1)[0], off))
                with open(path, 'wb') as f:
                    f.write(cut)
                print('%02d\t%s\t%s\t%d\t%s' % (group, sub, path, has_json_text(cut), rel))
EOF

echo "$(wc -l <"$tmp/manifest") cut files"
for group in $(cut -f1 "$tmp/manifest" | uniq); do
	sub=$(awk -F'\t' -v g="$group" '$1 == g { print $2; exit }' "$tmp/manifest")
	rel=$(awk -F'\t' -v g="$group" '$1 == g { print $5; exit }' "$tmp/manifest")
	what="$rel cut"
	good=$REST good_line=$REST_LINE
	if [ "$sub" = "$REST_SUB" ]; then
		# The good file's own cuts: audit them with another good file.
		good=$FIX/shapes/az-show.json
		good_line="PASS  a3b39c4f-02d2-4591-9e12-ddef002bd601  1 deliverable address in contact 'default'"
	fi
	${GUARD} ${VALGRIND:-} "$AUDIT" "$tmp/cut/$group" "$good" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_rc 2 "$what"
	expect_no_pass "$sub" "$what"
	expect_verdict ERROR "$sub" "$what"
	expect_line "$tmp/out" "$good_line" "$what: the good file is still audited"
	# Every cut file of the group has an error, positioned when it has text.
	check "$what: every cut file named as an error"
	awk -F'\t' -v g="$group" '
		NR == FNR { if ($1 == g) want[$3] = $4; next }
		index($0, "azure-contact-audit: ") == 1 && (i = index($0, ": error: ")) > 0 {
			path = substr($0, 22, i - 22)
			if (match(path, /:[0-9]+:[0-9]+$/)) positioned[substr(path, 1, RSTART - 1)] = 1
			else whole[path] = 1
		}
		END {
			bad = 0
			for (f in want) {
				if (!(f in positioned) && !(f in whole)) { print "no error for " f; bad++ }
				else if (want[f] == 1 && !(f in positioned)) { print "no line:col for " f; bad++ }
				if (bad >= 5) break
			}
			exit bad > 0
		}' "$tmp/manifest" "$tmp/err" >"$tmp/missing" ||
		fail "$what: $(cat "$tmp/missing")"
done
finish
