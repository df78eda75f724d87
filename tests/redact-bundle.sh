# SPDX-License-Identifier: ISC
# Sourced by tests/test_redact.sh and tests/test_redact_html.sh: builds in
# $tmp/rb a bundle with addresses in every place evidence can carry one (a
# contact named after a mailbox, as PowerShell and the 2017 API name them;
# an API error body; a folder named after a mailbox; an inventory display
# name and account; a waiver's reason and ticket, and a refused waiver's
# ticket), runs the audit with --redact and both reports, and lists every
# address of the inputs in $tmp/rb-addresses.
G1=aaaaaaaa-1111-4111-8111-111111111111
G2=bbbbbbbb-2222-4222-8222-222222222222
G3=cccccccc-3333-4333-8333-333333333333
G4=dddddddd-4444-4444-8444-444444444444
rb=$tmp/rb
mkdir -p "$rb/b/carol.white@initech.io/$G1" "$rb/b/carol.white@initech.io/$G4" "$rb/b/$G2" "$rb/b/$G3"
cat >"$rb/b/carol.white@initech.io/$G1/contacts.json" <<JSON
{"value": [{"id": "/subscriptions/$G1/providers/Microsoft.Security/securityContacts/bob.jones@acme-corp.com",
  "name": "bob.jones@acme-corp.com", "properties": {"emails": "", "phone": ""}}]}
JSON
printf '{"value": [{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default", "properties": {"emails": "jo' "$G4" \
	>"$rb/b/carol.white@initech.io/$G4/cut.json"
cat >"$rb/b/$G2/contacts.json" <<JSON
{"error": {"code": "AuthorizationFailed", "message": "The client 'dave.grey@initech.io' with object id '0d5e2c1a-9f7b-4e3d-8a6c-2b1f0e9d8c7a' does not have authorization to perform action 'Microsoft.Security/securityContacts/read' over scope '/subscriptions/$G2' or the scope is invalid."}}
JSON
cat >"$rb/b/$G3/contacts.json" <<JSON
[{"Name": "erin.black@umbrella-health.org", "Email": "erin.black@example.com", "AlertNotifications": "On", "AlertsToAdmins": "On",
  "Id": "/subscriptions/$G3/providers/Microsoft.Security/securityContacts/erin.black@umbrella-health.org"}]
JSON
cat >"$rb/inventory.json" <<JSON
[{"cloudName": "AzureCloud", "homeTenantId": "9bd1c556-42cf-465d-b7c1-dd5e55043bb3", "id": "$G1", "isDefault": true,
  "name": "frank.blue@acme-corp.com sandbox", "state": "Enabled", "tenantId": "9bd1c556-42cf-465d-b7c1-dd5e55043bb3",
  "user": {"name": "auditor.one@initech.io", "type": "user"}},
 {"cloudName": "AzureCloud", "homeTenantId": "9bd1c556-42cf-465d-b7c1-dd5e55043bb3", "id": "$G2", "isDefault": false,
  "name": "Payments (owner kim.teal@acme-corp.com)", "state": "Enabled", "tenantId": "9bd1c556-42cf-465d-b7c1-dd5e55043bb3",
  "user": {"name": "auditor.one@initech.io", "type": "user"}}]
JSON
cat >"$rb/waivers.json" <<JSON
[{"subscription": "$G1", "rule": "*", "reason": "accepted by gina.red@acme-corp.com", "ticket": "mailto:hank.gold@acme-corp.com", "expires": "2099-12-31"},
 {"subscription": "$G3", "rule": "*", "reason": " ", "ticket": "ivy.pink@acme-corp.com", "expires": "2099-12-31"}]
JSON
(cd "$rb" && ${VALGRIND:-} "$AUDIT" --redact --subscriptions inventory.json --waivers waivers.json \
	--junit j.xml --html r.html b >out 2>err)
rb_rc=$?
# every address written in any input or path, by name
{ find "$rb/b" -type f; cat "$rb/inventory.json" "$rb/waivers.json"; find "$rb/b" -type f -exec cat {} +; } |
	grep -oE '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+' | sort -u >"$tmp/rb-addresses"
