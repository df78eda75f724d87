#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end, the hostile-input matrix (files): FIFOs, sockets, device
# symlinks, symlink loops, unreadable files and folders, a file cut short
# while it is being read, a folder of 100,000 empty files. Inside a folder a
# file that is not a regular file is skipped with a warning (README); named
# on the command line it is an error. Each case is audited together with a
# good file (hostile-lib.sh).
. "${srcdir:-.}/tests/lib.sh"
. "$srcdir/tests/hostile-lib.sh"

# contact_file FILE: a complete, passing contact for G.
contact_file() {
	{ contact_head; printf '  "phone": ""}}\n'; } >"$1"
}

# proc_has_open PID FILE: PID has FILE open (Linux /proc); prints the offset.
proc_has_open() {
	for fd in /proc/$1/fd/*; do
		if [ "$(readlink "$fd" 2>/dev/null)" = "$2" ]; then
			sed -n 's/^pos:[[:space:]]*//p' "/proc/$1/fdinfo/${fd##*/}" 2>/dev/null
			return 0
		fi
	done
	return 1
}

# ---- special files in a folder: skipped with a warning, never read ----------------
d=$tmp/special/$G
mkdir -p "$d"
mkfifo "$d/fifo.json"
ln -s /dev/zero "$d/zero.json"
ln -s /dev/null "$d/null.json"
ln -s loop-b.json "$d/loop-a.json"
ln -s loop-a.json "$d/loop-b.json"
ln -s .. "$d/up"
socket=
if command -v "$PYTHON3" >/dev/null 2>&1 &&
	"$PYTHON3" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$d/sock.json" 2>/dev/null; then
	socket=$d/sock.json
else
	skip "socket cases: no python3, or AF_UNIX bind refused"
fi
hostile "$tmp/special"
expect_rc 0 "special files in a folder"
expect_rest "special files in a folder"
expect_no_match "$tmp/out" "  $G  " "special files in a folder: no verdict from skipped files"
expect_diag "$d/fifo.json" - warning "FIFO in a folder"
expect_diag "$d/zero.json" - warning "/dev/zero symlink in a folder"
expect_diag "$d/null.json" - warning "/dev/null symlink in a folder"
expect_diag "$d/loop-a.json" - warning "symlink loop in a folder"
expect_diag "$d/loop-b.json" - warning "symlink loop in a folder"
expect_diag "$d/up" - warning "symlink to a parent folder"
[ -n "$socket" ] && expect_diag "$socket" - warning "socket in a folder"
expect_err_text "not a regular file (FIFO): skipped" "FIFO in a folder"
expect_err_text "symbolic link loop: skipped" "symlink loop in a folder"

# ---- the same files named on the command line: errors, never a hang -------------
for name in fifo.json zero.json null.json loop-a.json ${socket:+sock.json}; do
	hostile "$d/$name"
	expect_unreadable "$d/$name" - "$name named on the command line"
	case $name in
	fifo.json) expect_err_text "error: empty file (0 bytes)" "FIFO without a writer" ;;
	loop-a.json) expect_err_text "cannot open: Too many levels of symbolic links" "symlink loop named" ;;
	esac
done

# ---- unreadable file and folder (mode 000) --------------------------------------
f=$(case_file mode-000)
contact_file "$f"
chmod 000 "$f"
# Root reads a mode 000 file: the audit then runs as nobody (setpriv), if
# that user can reach the program, the test folder and the good file.
saved_guard=$GUARD
unreadable_ok=1
if [ -r "$f" ]; then
	unreadable_ok=0
	if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
		as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
		chmod 755 "$tmp" "$tmp/mode-000" "$tmp/mode-000/$G"
		if $as_nobody test -x "$AUDIT" -a -r "$REST" 2>/dev/null; then
			GUARD="$as_nobody $GUARD"
			unreadable_ok=1
		fi
	fi
fi
if [ $unreadable_ok -eq 0 ]; then
	skip "unreadable-file cases: a mode 000 file is still readable (root without setpriv, or nobody cannot reach the program)"
else
	hostile "$tmp/mode-000"
	expect_unreadable "$f" - "mode 000 file in a folder"
	expect_err_text "Permission denied" "mode 000 file"
	hostile "$f"
	expect_unreadable "$f" - "mode 000 file named"
	chmod 644 "$f"
	chmod 000 "$tmp/mode-000/$G"
	hostile "$tmp/mode-000"
	expect_unreadable "$tmp/mode-000/$G" - "mode 000 folder"
	chmod 755 "$tmp/mode-000/$G"
fi
GUARD=$saved_guard
chmod 644 "$f"

# ---- a FIFO whose writer stops in the middle of the JSON --------------------------
f=$(case_file fifo-cut)
rm -f "$f"
mkfifo "$f"
# Read-write keeps the FIFO open without a reader (Linux); the cut JSON
# waits in the pipe until the audit reads it, then the writer goes away.
exec 3<>"$f"
{ contact_head; printf '  "phone": "cut he'; } >&3
${VALGRIND:-} "$AUDIT" "$f" "$REST" >"$tmp/out" 2>"$tmp/err" 3>&- &
pid=$!
i=0
# (a look every 100 ms: at every 10 ms the writer went away, on a busy
# machine, before the audit had read what waits in the pipe)
while [ $i -lt 600 ] && ! proc_has_open $pid "$f" >/dev/null; do
	[ -d /proc/$pid ] || break
	sleep 0.1 2>/dev/null || sleep 1
	i=$((i + 1))
done
exec 3>&-
wait $pid
rc=$?
expect_unreadable "$f" 3:19 "FIFO writer stopping early"
expect_err_text "3:19: error: file ends early at 3:19 (truncated?)" "FIFO writer stopping early"

# ---- a regular file truncated, or deleted, while it is being read -------------------
# stopped PID: PID is stopped by a signal, as /proc/PID/stat says ("T").
# Leaves that state in $state: empty once PID is gone, Z once it has ended.
stopped() {
	state=
	read -r _ _ state _ 2>/dev/null <"/proc/$1/stat"
	[ "$state" = T ]
}

# changed_while_read NAME ACTION MESSAGE WHAT: one byte per read and 128 KB
# of blanks before the closing bracket. The audit starts stopped (SIGSTOP)
# and runs in steps of 10 ms; once it is stopped past the first contact,
# ACTION (a shell command on "$f") changes the file, and the audit runs on to
# its end. The file must be unreadable with MESSAGE. Deleting it leaves the
# bytes read whole, but the reports' sha256sum line could no longer be
# checked: an error too. The file changes only while the audit is stopped,
# so no look at it can come too late, however busy the machine. A step reads
# 4 to 10 KB here (under valgrind, a few hundred bytes), so the blanks leave
# room for a machine ten times as fast, and the deleted file, which is read
# to its end, costs a fifth of a second. The loop gives up (SKIP) after 6,000
# steps, or 100,000 looks at a process that does not stop.
changed_while_read() {
	f=$(case_file "$1")
	{ printf '[{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default",\n' "$G"
		printf ' "properties": {"emails": "secops@acme-corp.com"}}'
		head -c 131072 /dev/zero | tr '\0' ' '; printf ']\n'; } >"$f"
	if [ ! -d /proc/$$ ]; then
		skip "$4: no /proc"
		return
	fi
	# shellcheck disable=SC2016 # $$ and $@ are the inner shell's
	sh -c 'kill -STOP $$ && exec "$@"' sh ${VALGRIND:-} "$AUDIT" --read-size 1 "$f" "$REST" \
		>"$tmp/out" 2>"$tmp/err" &
	pid=$!
	steps=0 looks=0 pos=0
	while [ $steps -lt 6000 ] && [ $looks -lt 100000 ]; do
		looks=$((looks + 1))
		if stopped $pid; then
			pos=$(proc_has_open $pid "$f") && [ "${pos:-0}" -gt 200 ] && break
			kill -CONT $pid
			sleep 0.01 2>/dev/null || sleep 1
			kill -STOP $pid 2>/dev/null
			steps=$((steps + 1))
		elif [ -z "$state" ] || [ "$state" = Z ]; then
			break
		fi
	done
	eval "$2"
	kill -CONT $pid 2>/dev/null
	wait $pid
	rc=$?
	if [ "${pos:-0}" -gt 200 ]; then
		expect_unreadable "$f" - "$4 (at byte $pos)"
		expect_err_text "$3" "$4"
	else
		skip "$4: the audit was not caught reading (pos ${pos:-none})"
	fi
}
changed_while_read cut-while-read ': >"$f"' "file changed while it was being read" "file truncated while being read"
changed_while_read deleted-while-read 'rm -f "$f"' "file removed or replaced while it was being read" \
	"file deleted while being read"

# ---- a folder of 100,000 empty files (2,000 under valgrind) -----------------------
if [ -n "${VALGRIND:-}" ]; then n=2000; else n=100000; fi
empty=$tmp/empty
d=$empty/$G
mkdir -p "$d"
awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) printf "e%06d.json\n", i }' | (cd "$d" && xargs touch) || exit 99
hostile "$empty"
expect_rc 2 "$n empty files"
expect_verdict ERROR "$G" "$n empty files"
expect_rest "$n empty files"
checks=$((checks + 1))
listed=$(grep -c "^azure-contact-audit: $d/e[0-9]\{6\}\.json: error: empty file (0 bytes)\$" "$tmp/err")
[ "$listed" -eq $n ] || fail "$n empty files: $listed listed as errors on stderr"
expect_line "$tmp/out" "Total: 2 subscriptions: 1 PASS, 0 FAIL, 1 ERROR, 0 WAIVED; $((n + 1)) evidence files, $n unreadable" "$n empty files: total"
rm -rf "$empty"

finish
