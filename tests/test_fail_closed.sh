#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end: evidence that could put a contact on the wrong subscription,
# hide its state or name no subscription at all is an ERROR, never a PASS;
# az notice lines never swallow the text after them; a PASS warns of the
# addresses that did not count; --redact masks standard error too.
. "${srcdir:-.}/tests/lib.sh"
G=3fd65c5f-c586-49d2-adb2-0b8dc425eaed
H=11111111-1111-4111-8111-111111111111
ID="/subscriptions/$G/providers/Microsoft.Security/securityContacts/default"
good="$tmp/good/$H.json"
mkdir "$tmp/good" "$tmp/$G"
printf '{"id":"/subscriptions/%s/providers/Microsoft.Security/securityContacts/default","properties":{"emails":"soc@acme-corp.com"}}' "$H" >"$good"
GOOD_LINE="PASS  $H  1 deliverable address in contact 'default'"

# A short az notice (buffered whole) is blanked up to its newline only: the
# next line is JSON or an error at its own position.
printf 'WARNING: x\nhello\n{"id":"%s","properties":{"emails":"a@acme-corp.com"}}\n' "$ID" >"$tmp/notice-text.json"
run "$tmp/notice-text.json" "$good"
expect_rc 2 "text after a short notice"
expect_line "$tmp/err" "azure-contact-audit: $tmp/notice-text.json:2:1: error: invalid JSON: lexical error: invalid char in json text" "text after a short notice: position"
expect_line "$tmp/out" "$GOOD_LINE" "text after a short notice: the other file"
printf 'WARNING: x\n\n\n{"a":tru}' >"$tmp/notice-lines.json"
run "$tmp/notice-lines.json"
expect_line "$tmp/err" "azure-contact-audit: $tmp/notice-lines.json:4:8: error: invalid JSON: lexical error: invalid string in json text" "lines after a short notice"
printf 'WARNING: x\n[{"id":"%s","properties":{"emails":"a@acme-corp.com"}}]\n' "$ID" >"$tmp/notice-json.json"
run "$tmp/notice-json.json"
expect_rc 0 "JSON right after a short notice"
expect_line "$tmp/out" "PASS  $G  1 deliverable address in contact 'default'" "JSON after a short notice; name from the id"
# az's survey prompt, captured with 2>&1 after the JSON: its second line
# starts with a lowercase letter, and is a notice all the same.
printf '[{"id":"%s","properties":{"emails":"a@acme-corp.com"}}]\nPlease let us know how we are doing: https://aka.ms/azureclihats\nand let us know if you are interested in trying out our newest features: https://aka.ms/CLIUXstudy\n' "$ID" >"$tmp/survey.json"
run "$tmp/survey.json"
expect_rc 0 "az's survey prompt after the JSON"
expect_line "$tmp/err" "azure-contact-audit: $tmp/survey.json: note: skipped 2 az CLI notice line(s) (not JSON)" "az's survey prompt: both lines are notices"

# What a broken file is comes before the parser's words: az's error text
# captured with 2>&1, a page, an archive, an empty file, a file cut short.
mkdir "$tmp/broken"
B=$tmp/broken/$G
mkdir "$B"
printf 'ERROR: (AuthorizationFailed) The client does not have authorization to perform action\nCode: AuthorizationFailed\n' >"$B/az-error.json"
printf 'WARNING: preview\nERROR: The command failed with an unexpected error\n' >"$B/az-plain.json"
printf '\n  <!DOCTYPE html>\n<html><body>Sign in</body></html>\n' >"$B/page.json"
printf 'PK\003\004\024\000\000\000' >"$B/bundle.zip.json"
: >"$B/empty.json"
printf '[{"id": "%s", "properties": {"emails": "a@acme-corp.com"' "$ID" >"$B/cut.json"
(cd "$tmp/broken" && tar cf "$B/bundle.tar.json" "$G/cut.json" && tar czf "$B/bundle.tgz.json" "$G/cut.json")
printf '{"value": []}\nERROR: (ResourceNotFound) gone\n' >"$B/late-error.json"
run "$tmp/broken"
expect_rc 2 "broken files"
for want in \
	"$B/az-error.json:1:1: error: az CLI error text, not JSON (AuthorizationFailed)" \
	"$B/az-plain.json:2:1: error: az CLI error text, not JSON (no error code)" \
	"$B/page.json:2:3: error: an HTML page, not JSON (a sign-in or error page saved instead of the export?)" \
	"$B/bundle.zip.json: error: a zip archive, not JSON: in a folder, an archive is read entry by entry only under a name that does not say JSON (rename it .zip, .tar or .tar.gz), and never from standard input" \
	"$B/bundle.tar.json: error: a tar archive, not JSON: in a folder, an archive is read entry by entry only under a name that does not say JSON (rename it .zip, .tar or .tar.gz), and never from standard input" \
	"$B/bundle.tgz.json: error: gzip of a tar archive (.tar.gz), not JSON: in a folder, an archive is read entry by entry only under a name that does not say JSON (rename it .zip, .tar or .tar.gz), and never from standard input" \
	"$B/empty.json: error: empty file (0 bytes)" \
	"$B/cut.json:1:160: error: file ends early at 1:160 (truncated?)" \
	"$B/late-error.json:2:1: error: az CLI error text, not JSON (ResourceNotFound)"; do
	expect_line "$tmp/err" "azure-contact-audit: $want" "what a broken file is: $want"
done
expect_line "$tmp/out" "ERROR  $G  unreadable evidence $B/az-error.json:1:1: az CLI error text, not JSON (AuthorizationFailed)" "the reason says it too"
# Text that is none of these keeps the parser's words.
printf 'hello\n' >"$tmp/broken/text.json"
run "$tmp/broken/text.json"
expect_line "$tmp/err" "azure-contact-audit: $tmp/broken/text.json:1:1: error: invalid JSON: lexical error: invalid char in json text" "plain text"

# Evidence naming no subscription proves nothing: ERROR, exit 2.
printf '"a@acme-corp.com"\n' >"$tmp/jq-output.json"
run "$tmp/jq-output.json" "$good"
expect_rc 2 "jq output without a subscription"
expect_line "$tmp/out" "ERROR  unknown-subscription($tmp/jq-output.json)  no subscription id in the evidence (no id, no subscriptionId, no GUID in the path)" "jq output without a subscription"
expect_line "$tmp/out" "$GOOD_LINE" "jq output: the other file"
printf '{"error":{"code":"ExpiredAuthenticationToken","message":"token for auditor@initech.io expired"}}' >"$tmp/error-body.json"
run "$tmp/error-body.json" "$good"
expect_rc 2 "error body naming no subscription"
expect_line "$tmp/out" "ERROR  unknown-subscription($tmp/error-body.json)  API error ExpiredAuthenticationToken: token for auditor@initech.io expired" "error body naming no subscription"
run --redact "$tmp/error-body.json"
expect_no_match "$tmp/err" "auditor@initech" "--redact on standard error"
expect_no_match "$tmp/out" "auditor@initech" "--redact on standard output"

# Settings that cannot be read are ERROR.
expect_error() { # FILE-CONTENT REASON WHAT
	printf '%s' "$1" >"$tmp/case.json"
	run "$tmp/case.json" "$good"
	expect_rc 2 "$3"
	expect_line "$tmp/out" "ERROR  $G  $2" "$3"
	expect_line "$tmp/out" "$GOOD_LINE" "$3: the other file"
}
expect_error "{\"id\":\"$ID\",\"isEnabled\":[false],\"emails\":\"a@acme-corp.com\"}" \
	"'isEnabled' has unexpected type array" "isEnabled in an array"
expect_error "{\"id\":\"$ID\",\"isEnabled\":{\"v\":false},\"emails\":\"a@acme-corp.com\"}" \
	"'isEnabled' has unexpected type object" "isEnabled in an object"
expect_error "{\"value\":[{\"id\":\"$ID\",\"properties\":\"@{emails=a@acme-corp.com; phone=}\"}]}" \
	"'properties' is a string, not an object (PowerShell ConvertTo-Json cut at its depth?): the contact cannot be read" \
	"depth-truncated properties"
expect_error "{\"id\":\"$ID\",\"subscriptionId\":\"$H\",\"emails\":\"a@acme-corp.com\"}" \
	"'id' names subscription $G but 'subscriptionId' names $H: ambiguous" "id and subscriptionId disagree"
printf '{"id":"/subscriptions/not-a-guid/providers/Microsoft.Security/securityContacts/default","emails":"a@acme-corp.com"}' >"$tmp/$G/bad-id.json"
run "$tmp/$G/bad-id.json"
expect_rc 2 "id without a GUID"
expect_line "$tmp/out" "ERROR  $G  'id' names no valid subscription: /subscriptions/not-a-guid/providers/Microsoft.Security/securityContacts/default" "id without a GUID: not guessed from the path"

# A PASS names the address that did not count, on stdout and stderr.
printf '{"id":"%s","emails":"a@acme-corp.com; <validEmailAddress>"}' "$ID" >"$tmp/placeholder.json"
run "$tmp/placeholder.json"
expect_rc 0 "good and placeholder address"
expect_line "$tmp/out" "PASS  $G  1 deliverable address in contact 'default'; warning: 1 address not deliverable, '<validEmailAddress>' (not an email address)" "placeholder warning on stdout"
expect_line "$tmp/err" "azure-contact-audit: $tmp/placeholder.json:1:124: warning: address '<validEmailAddress>' is not deliverable (not an email address); the subscription passes on its other addresses" "placeholder warning on stderr"

# A paged list says that other pages exist.
printf '{"value":[],"nextLink":"https://management.azure.com/x?page=2"}' >"$tmp/$G/page1.json"
run "$tmp/$G/page1.json"
expect_line "$tmp/err" "azure-contact-audit: $tmp/$G/page1.json:1:24: warning: nextLink is set: this file is one page of a longer list; contacts on other pages count only if they are in the bundle" "nextLink warning"
finish
