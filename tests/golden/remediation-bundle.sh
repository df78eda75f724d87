#!/bin/sh
# Security-contact fixes for the subscriptions that FAIL, written by azure-contact-audit 0.2.0
# at 2026-01-01T00:00:00Z. azure-contact-audit never runs this script: read every block,
# then run it yourself, signed in with az login as someone who may write security
# contacts (Security Admin).
#
# Each block is one PUT of the subscription's whole security contact 'default'
# (api-version 2023-12-01-preview, the only one that sets isEnabled): addresses,
# isEnabled, e-mails to owners, alert e-mails and attack-path notifications. A phone
# number, or roles other than Owner, that the contact had are dropped: add them to
# the body to keep them. In a sovereign cloud, use its Resource Manager host in
# place of management.azure.com.
set -eu

# The security team's address(es), semicolon-separated, for each contact below that
# has no deliverable address of its own: a placeholder, replace it.
ADDRESSES="<SECURITY-CONTACT-ADDRESS>"
case $ADDRESSES in
'' | *'<'* | *'>'* | *'"'* | *\\*)
	echo 'set ADDRESSES to real addresses first: it holds a placeholder' >&2
	exit 1
	;;
esac

# ---- 3fd65c5f-c586-49d2-adb2-0b8dc425eaed (Contoso Dev)
# FAIL 2.3.2: emails is empty
# evidence: fixtures/bundle/tenant-contoso/3fd65c5f-c586-49d2-adb2-0b8dc425eaed/securityContacts.json:1:2 (sha256 ff3bc5974755ae01afc13aa2c6915a75be8eeb0e286db1ab23340c92ae2513cc)
az rest --method put \
	--url 'https://management.azure.com/subscriptions/3fd65c5f-c586-49d2-adb2-0b8dc425eaed/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview' \
	--body '{"properties":{"emails":"'"$ADDRESSES"'","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"},{"sourceType":"AttackPath","minimalRiskLevel":"Critical"}]}}'

# ---- 68c5e8be-98da-4358-9851-6ccae846149f (Contoso DR)
# FAIL 2.3.2: no security contact configured
# evidence: fixtures/bundle/tenant-contoso/68c5e8be-98da-4358-9851-6ccae846149f/securityContacts.json:1:10 (sha256 c8b78defcc1bd410187e4a8ce37446ee8b1bd6a4a9f941f49ba3d8707f11c64e)
az rest --method put \
	--url 'https://management.azure.com/subscriptions/68c5e8be-98da-4358-9851-6ccae846149f/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview' \
	--body '{"properties":{"emails":"'"$ADDRESSES"'","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"},{"sourceType":"AttackPath","minimalRiskLevel":"Critical"}]}}'

# ---- 7ee6fb9d-b169-4f2f-889f-0ebde2d28ee6 (Contoso Marketing)
# FAIL 2.3.2: only reserved/sample addresses: soc@example.com (RFC 2606)
# evidence: fixtures/bundle/az-cli/contact-show-7ee6fb9d-b169-4f2f-889f-0ebde2d28ee6.json:1:1 (sha256 d3610eca063d88acd8bd39f48ba2bbfc9e35d14c20a7a13325aa636ba11927e6)
az rest --method put \
	--url 'https://management.azure.com/subscriptions/7ee6fb9d-b169-4f2f-889f-0ebde2d28ee6/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview' \
	--body '{"properties":{"emails":"'"$ADDRESSES"'","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"},{"sourceType":"AttackPath","minimalRiskLevel":"Critical"}]}}'

# ---- 9e22163d-dbf2-4059-b077-600c13493828 (Contoso Sandbox)
# FAIL 2.3.2: no valid address: '<validEmailAddress>' is not an email address
# evidence: fixtures/bundle/az-cli/contact-list-9e22163d-dbf2-4059-b077-600c13493828.json:2:3 (sha256 b3c49404b6f32d7dde2c32506bf8276e73f8e8154ddc5c0d7b6a731d71638754)
az rest --method put \
	--url 'https://management.azure.com/subscriptions/9e22163d-dbf2-4059-b077-600c13493828/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview' \
	--body '{"properties":{"emails":"'"$ADDRESSES"'","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"},{"sourceType":"AttackPath","minimalRiskLevel":"Critical"}]}}'

# ---- e36a19f1-b249-405c-b531-2a375225eae3 (Contoso Analytics)
# FAIL 2.3.2: contact disabled (isEnabled=false)
# evidence: fixtures/bundle/tenant-contoso/e36a19f1-b249-405c-b531-2a375225eae3/securityContact-default.json:1:1 (sha256 ab9bc4bb1dca70d40d47cb0bcc62d22b871f2981b4fee3c39cdf5c33e37155db)
az rest --method put \
	--url 'https://management.azure.com/subscriptions/e36a19f1-b249-405c-b531-2a375225eae3/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview' \
	--body '{"properties":{"emails":"analytics-sec@acme-corp.com","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"Medium"},{"sourceType":"AttackPath","minimalRiskLevel":"Critical"}]}}'

# ---- e413be40-ded3-45c8-8302-9fbb74439ff6 (Contoso Test)
# FAIL 2.3.2: emails is null
# evidence: fixtures/bundle/tenant-contoso/e413be40-ded3-45c8-8302-9fbb74439ff6/securityContacts.json:3:5 (sha256 bcee15e667f658d47d91a68b83d02a830c8d69e3bbc2771c6ed6aa0f8f65d810)
az rest --method put \
	--url 'https://management.azure.com/subscriptions/e413be40-ded3-45c8-8302-9fbb74439ff6/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview' \
	--body '{"properties":{"emails":"'"$ADDRESSES"'","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"Medium"},{"sourceType":"AttackPath","minimalRiskLevel":"Critical"}]}}'

# ---- f6f40db4-72cc-41cd-8a55-acb1cf12605f (Contoso Legacy)
# FAIL 2.3.2: default1: only reserved/sample addresses: john@contoso.com (Microsoft documentation sample domain); default2: only reserved/sample addresses: chen@contoso.com (Microsoft documentation sample domain); john: only reserved/sample addresses: jane@fabrikam.com (Microsoft documentation sample domain)
# evidence: fixtures/bundle/tenant-contoso/f6f40db4-72cc-41cd-8a55-acb1cf12605f/securityContacts.json:3:5 (sha256 4462339e03630676c988149613119864ea6f73062163b98fd3779a891c98fa16)
# evidence: fixtures/bundle/tenant-contoso/f6f40db4-72cc-41cd-8a55-acb1cf12605f/securityContacts.json:14:5 (sha256 4462339e03630676c988149613119864ea6f73062163b98fd3779a891c98fa16)
# evidence: fixtures/bundle/tenant-contoso/f6f40db4-72cc-41cd-8a55-acb1cf12605f/securityContacts.json:25:5 (sha256 4462339e03630676c988149613119864ea6f73062163b98fd3779a891c98fa16)
az rest --method put \
	--url 'https://management.azure.com/subscriptions/f6f40db4-72cc-41cd-8a55-acb1cf12605f/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview' \
	--body '{"properties":{"emails":"'"$ADDRESSES"'","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"},{"sourceType":"AttackPath","minimalRiskLevel":"Critical"}]}}'

# ---- not changed by this script (ERROR: undecided; WAIVED: accepted)
# c6ff6cca-aad3-46be-863f-011bd6fa5dc9
#   ERROR 2.3.2: no evidence for subscription
#   how to fix: collect this subscription: the inventory lists it, no evidence names it
#     azure-contact-audit-collect -o DIR --subscription c6ff6cca-aad3-46be-863f-011bd6fa5dc9
# d9ec16e1-4dde-4d83-b82c-ba6f625faf31
#   ERROR 2.3.2: unreadable evidence fixtures/bundle/tenant-contoso/d9ec16e1-4dde-4d83-b82c-ba6f625faf31/securityContacts.json:1:103: file ends early at 1:103 (truncated?)
#   how to fix: re-export this subscription: its evidence could not be read to the end
#     azure-contact-audit-collect -o DIR --subscription d9ec16e1-4dde-4d83-b82c-ba6f625faf31
# fe0a6992-798a-43b8-8c4c-c93e6ab48a29
#   ERROR 2.3.2: API error AuthorizationFailed: The client 'auditor@initech.io' with object id '07335300-3c4c-4dd3-aa66-35d1f9769faf' does not have authorization to perform action 'Microsoft.Security/securityContacts/read' over scope '/subscriptions/fe0a6992-798a-43b8-8c4c-c93e6ab48a29' or the scope is invalid. If access was recently granted, please refresh your credentials.
#   how to fix: re-export with a role that can read security contacts (Security Reader)
#     azure-contact-audit-collect -o DIR --subscription fe0a6992-798a-43b8-8c4c-c93e6ab48a29
