#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end, "offline by construction": the audit of every fixture,
# in every input form and with every report, makes no network system call
# (strace -f -e trace=network), the program installs a seccomp filter that
# refuses sockets before it reads anything, and it neither links a
# networking library nor imports a socket function.
. "${srcdir:-.}/tests/lib.sh"

command -v strace >/dev/null 2>&1 || skip_all "strace is not installed"
strace -f -o "$tmp/probe.log" true >/dev/null 2>&1 || skip_all "strace cannot trace here (ptrace refused)"

# LeakSanitizer stops the world with ptrace, which strace already holds.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS

# traced WHAT ARGS...: runs the audit under strace; any network call fails.
traced() {
	what=$1
	shift
	strace -f -e trace=network -o "$tmp/net.log" "$AUDIT" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	check "$what: no network system call"
	# Every line but the exit and signal notes is a network system call.
	if grep -vE '^[0-9]+ +(\+\+\+|---) ' "$tmp/net.log" >"$tmp/calls"; then
		fail "network system calls: $(head -5 "$tmp/calls")"
	fi
	check "$what: strace saw the exit"
	grep -q '+++ exited with' "$tmp/net.log" || fail "strace saw no exit: $(head -c 300 "$tmp/net.log")"
}

cp "$FIX/shapes/rest-2023-get.json" "$tmp/rest.json"
if command -v gzip >/dev/null 2>&1; then
	gzip -c "$FIX/shapes/rest-2023-list.json" >"$tmp/rest-list.json.gz"
else
	skip "a .json.gz of its own in the every-fixture run: gzip is not installed"
fi
traced "every fixture, both reports, every rule" -o "$tmp/reports" --rule all --redact \
	--subscriptions "$FIX/bundle/az-cli/account-list.json" \
	"$FIX/bundle" "$FIX/shapes" "$FIX/hostile" "$tmp"
expect_rc 2 "every fixture"
check "every fixture: both reports written"
[ -s "$tmp/reports/junit.xml" ] && [ -s "$tmp/reports/report.html" ] || fail "every fixture: reports not written"
strace -f -e trace=network -o "$tmp/net.log" "$AUDIT" --junit "$tmp/stdin.xml" - <"$tmp/rest.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "standard input"
check "standard input: no network system call"
! grep -vqE '^[0-9]+ +(\+\+\+|---) ' "$tmp/net.log" || fail "standard input: network system calls: $(head -5 "$tmp/net.log")"
traced "usage error" --no-such-option
expect_rc 64 "usage error"
traced "--help" --help
expect_rc 0 "--help"

# By construction: before reading anything the program has the kernel
# refuse it sockets (a seccomp filter), so even libxml2's HTTP client could
# not connect. strace shows the filter installed and accepted.
strace -f -e trace=prctl,seccomp -o "$tmp/seccomp.log" "$AUDIT" -q "$FIX/shapes/az-show.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "seccomp filter"
check "a seccomp filter installed"
grep -qE '(prctl\(PR_SET_SECCOMP, SECCOMP_MODE_FILTER|seccomp\(SECCOMP_SET_MODE_FILTER).*= 0$' "$tmp/seccomp.log" ||
	fail "no seccomp filter installed: $(head -c 400 "$tmp/seccomp.log")"

# Linked libraries: only what the README lists (and what they pull in).
if command -v ldd >/dev/null 2>&1 && ldd "$AUDIT" >"$tmp/ldd" 2>&1; then
	check "no networking library linked"
	if grep -iE 'lib(curl|ssl|crypto|gnutls|nss3|ssl3|resolv|nsl|ldap|lber|gssapi|krb5|k5crypto|ssh|nghttp|psl|idn|socket|microhttpd|soup|gio|zmq|cares|uv|event)[.-]' "$tmp/ldd" >"$tmp/netlibs"; then
		fail "networking libraries linked: $(cat "$tmp/netlibs")"
	fi
	echo "linked: $(awk '{ print $1 }' "$tmp/ldd" | tr '\n' ' ')"
else
	why=$(head -c 200 "$tmp/ldd" 2>/dev/null)
	skip "linked libraries: ldd unavailable or refused ($why)"
fi

# Imported functions: the program itself calls nothing that opens a socket
# or resolves a name.
if command -v nm >/dev/null 2>&1; then
	check "no network function imported"
	nm -D --undefined-only "$AUDIT" >"$tmp/imports" 2>/dev/null || nm -u "$AUDIT" >"$tmp/imports" 2>/dev/null
	if grep -wE '(socket|socketpair|connect|bind|listen|accept4?|sendto|sendmsg|recvfrom|recvmsg|getaddrinfo|gethostbyname2?|gethostbyaddr|getnameinfo|res_n?query|curl_easy_perform|xmlNanoHTTP[A-Za-z]*|xmlNanoFTP[A-Za-z]*|xmlIOHTTP[A-Za-z]*)(@.*)?$' "$tmp/imports" >"$tmp/netcalls"; then
		fail "the program imports network functions: $(cat "$tmp/netcalls")"
	fi
else
	skip "imported functions: nm is not installed"
fi

finish
