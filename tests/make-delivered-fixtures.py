#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Writes fixtures/delivered/: evidence as auditors receive it, one archive each.

Usage: make-delivered-fixtures.py FIXTURES_DIR

- q4.zip: a loose export zipped ("Send to compressed folder"): a passing
  subscription, a failing one, and an entry whose name climbs out of the
  archive ("../"), which is refused (ERROR for the subscription it names).
- bag.tar.gz: a BagIt bag as azure-contact-audit-collect writes it, with a
  manifest, a collection date and an inventory.

Deterministic (fixed times, no owner names): the same bytes on every run.
The subscriptions occur nowhere else in fixtures/.
"""

import gzip
import hashlib
import io
import os
import sys
import tarfile
import zipfile

Q4_PASS = "4b0e7c1a-93d2-4f5e-8a61-2c7d9e0f1b35"
Q4_FAIL = "5c1f8d2b-a4e3-4a6f-9b72-3d8e0f1a2c46"
Q4_ESCAPE = "6d209e3c-b5f4-4b70-8c83-4e9f1a2b3d57"
BAG_PASS = "7e31af4d-c605-4c81-9d94-5fa02b3c4e68"
BAG_FAIL = "8f42b05e-d716-4d92-ae05-60b13c4d5f79"
WHEN = (2026, 11, 28, 8, 0, 0)


def contact(sub, emails):
    return (
        '{"value": [{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default",\n'
        '  "name": "default", "type": "Microsoft.Security/securityContacts",\n'
        '  "properties": {"emails": "%s", "isEnabled": true,\n'
        '    "notificationsByRole": {"state": "On", "roles": ["Owner"]},\n'
        '    "notificationsSources": [{"sourceType": "Alert", "minimalSeverity": "High"}]}}]}\n'
        % (sub, emails)
    ).encode()


def zip_q4(path):
    members = [
        ("q4/%s/securityContacts.json" % Q4_PASS, contact(Q4_PASS, "secops@acme-corp.com")),
        ("q4/%s/securityContacts.json" % Q4_FAIL, contact(Q4_FAIL, "")),
        ("../escape/%s/securityContacts.json" % Q4_ESCAPE, contact(Q4_ESCAPE, "secops@acme-corp.com")),
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, WHEN)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def bag_files():
    inventory = (
        '[{"id": "%s", "name": "Delivered Bag One", "state": "Enabled", "tenantId": '
        '"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},\n'
        ' {"id": "%s", "name": "Delivered Bag Two", "state": "Enabled", "tenantId": '
        '"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}]\n' % (BAG_PASS, BAG_FAIL)
    ).encode()
    payload = [
        ("data/inventory/accounts.json", inventory),
        ("data/subscriptions/%s/securityContacts.json" % BAG_PASS, contact(BAG_PASS, "cloud-sec@initech.io")),
        ("data/subscriptions/%s/securityContacts.json" % BAG_FAIL, contact(BAG_FAIL, "")),
    ]
    manifest = "".join("%s  %s\n" % (sha256(d), n) for n, d in payload).encode()
    oxum = "%d.%d" % (sum(len(d) for _, d in payload), len(payload))
    bagit = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    info = (
        "Bag-Software-Agent: azure-contact-audit-collect 0.2.0\n"
        "Bagging-Date: 2026-11-28\n"
        "Collection-Timestamp: 2026-11-28T08:00:00Z\n"
        "Payload-Oxum: %s\n"
        "Azure-Tenant-Id: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\n" % oxum
    ).encode()
    tags = [("bagit.txt", bagit), ("bag-info.txt", info), ("manifest-sha256.txt", manifest)]
    tagmanifest = "".join("%s  %s\n" % (sha256(d), n) for n, d in tags).encode()
    return tags + [("tagmanifest-sha256.txt", tagmanifest)] + payload


def tar_bag(path):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in bag_files():
            info = tarfile.TarInfo("bag/" + name)
            info.size = len(data)
            info.mtime = 1795852800
            info.mode = 0o644
            t.addfile(info, io.BytesIO(data))
    with open(path, "wb") as f:
        f.write(gzip.compress(raw.getvalue(), mtime=0))


def main():
    out = os.path.join(sys.argv[1], "delivered")
    os.makedirs(out, exist_ok=True)
    zip_q4(os.path.join(out, "q4.zip"))
    tar_bag(os.path.join(out, "bag.tar.gz"))


main()
