# SPDX-License-Identifier: ISC
# The check a user would write in jq instead of azure-contact-audit, on a
# REST securityContacts list ({"value":[...]}): per subscription (from the
# contact's resource id), PASS when an enabled contact holds an address that
# looks deliverable (split on ; and ,, trimmed, local@domain.tld), else FAIL.
# Prints "VERDICT  subscription" lines, like the tool without -q.
reduce .value[] as $c ({};
  ($c.id | capture("/subscriptions/(?<s>[0-9A-Fa-f-]{36})/").s | ascii_downcase) as $sub
  | (($c.properties.isEnabled // true) != false
     and ([($c.properties.emails // "") | splits("[;,]")
           | select(test("^\\s*[^@\\s]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+\\s*$"))] | length > 0)) as $ok
  | .[$sub] = ((.[$sub] // false) or $ok))
| to_entries[]
| "\(if .value then "PASS" else "FAIL" end)  \(.key)"
