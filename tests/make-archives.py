#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Writes the archives that tests/test_archives.c reads, and their manifest.

Usage: make-archives.py OUTDIR

Every case is a file in OUTDIR, good bundles and hostile ones alike. The
hostile ones are crafted byte by byte where zipfile or tarfile will not
make them (a bad CRC, an encrypted flag, a CP437 name, a broken header).
Everything is deterministic (fixed times, no owner names), so the files are
the same on every run.

OUTDIR/manifest.txt has one line per entry whose bytes the reader should
produce, tab-separated: case file, entry index, size, SHA-256 of the bytes.
The index counts the entries as libarchive lists them (tar's pax and GNU
long-name records are not entries).
"""

import gzip
import hashlib
import io
import os
import struct
import sys
import tarfile
import zipfile
import zlib

manifest = []


def note(case, index, data):
    manifest.append((case, index, len(data), hashlib.sha256(data).hexdigest()))


def contacts(sub, email):
    """A small securityContacts body, different for every call."""
    return (
        '{"value":[{"id":"/subscriptions/%s/providers/Microsoft.Security/'
        'securityContacts/default","name":"default","properties":{"emails":"%s"}}]}\n'
        % (sub, email)
    ).encode()


SUB1 = "11111111-1111-4111-8111-111111111111"
SUB2 = "22222222-2222-4222-8222-222222222222"
OK = b'{"value":[]}\n'

# ---- zip, written by hand --------------------------------------------------

DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the earliest a zip can say


def deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


class Member:
    """One zip entry: every field that a hostile case may need to bend."""

    def __init__(self, name, data=b"", method=8, flags=0, crc=None, unix_mode=None):
        self.name = name if isinstance(name, bytes) else name.encode()
        self.data = data
        self.method = method
        self.flags = flags
        self.crc = zlib.crc32(data) if crc is None else crc
        self.unix_mode = unix_mode


def zip_bytes(members):
    out = io.BytesIO()
    central = []
    for m in members:
        body = deflate(m.data) if m.method == 8 else m.data
        offset = out.tell()
        fixed = (20, m.flags, m.method, 0, DOS_DATE, m.crc, len(body), len(m.data))
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHIII", *fixed))
        out.write(struct.pack("<HH", len(m.name), 0) + m.name + body)
        made_by = (3 << 8 | 20) if m.unix_mode is not None else 20
        external = (m.unix_mode << 16) if m.unix_mode is not None else 0
        if m.unix_mode is None and m.name.endswith(b"/"):
            external = 0x10  # MS-DOS directory attribute
        central.append(
            b"PK\x01\x02"
            + struct.pack("<HHHHHHIII", made_by, *fixed)
            + struct.pack("<HHHHHII", len(m.name), 0, 0, 0, 0, external, offset)
            + m.name
        )
    cd_offset = out.tell()
    for c in central:
        out.write(c)
    cd_size = out.tell() - cd_offset
    n = len(members)
    out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, n, n, cd_size, cd_offset, 0))
    return out.getvalue()


def write_zip(case, members, read=None):
    """read: the indexes whose bytes the reader produces in full (default:
    every member with data whose name does not end in a slash)."""
    with open(os.path.join(outdir, case), "wb") as f:
        f.write(zip_bytes(members))
    for i, m in enumerate(members):
        if (read is None and not m.name.endswith(b"/") and m.unix_mode is None) or (
            read is not None and i in read
        ):
            note(case, i, m.data)


# ---- tar, one header at a time ---------------------------------------------


def tar_member(name, data=b"", kind=tarfile.REGTYPE, link="", fmt=tarfile.PAX_FORMAT,
               encoding="utf-8", devmajor=0, devminor=0):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    info.linkname = link
    info.mtime = 0
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    info.uname = info.gname = ""
    info.devmajor, info.devminor = devmajor, devminor
    block = info.tobuf(fmt, encoding, "surrogateescape")
    if kind == tarfile.REGTYPE:
        block += data + b"\0" * (-len(data) % 512)
    return block


def tar_bytes(blocks):
    return b"".join(blocks) + b"\0" * 1024


def write(case, data):
    with open(os.path.join(outdir, case), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, 9, mtime=0)


def good_tar(*cases):
    """A tar as `tar -C bundle -cf x .` makes it, with a pax UTF-8 name, a
    long name and a latin-1 name (GNU, raw bytes); its entries are noted
    for each of cases."""
    c1, c2 = contacts(SUB1, "a@example.com"), contacts(SUB2, "b@example.com")
    long_name = "./tenant/" + "d" * 120 + "/securityContacts.json"
    blocks = [
        tar_member("./", kind=tarfile.DIRTYPE),
        tar_member("./tenant/", kind=tarfile.DIRTYPE),
        tar_member("./tenant/%s/securityContacts.json" % SUB1, c1),
        tar_member("./tenant/%s/securityContacts.json" % SUB2, c2),
        tar_member("./tenant/caf\u00e9.json", OK),
        tar_member(long_name, c1),
        tar_member("./tenant/caf\udce9-latin1.json", c2, fmt=tarfile.GNU_FORMAT),
    ]
    for case in cases:
        for i, data in ((2, c1), (3, c2), (4, OK), (5, c1), (6, c2)):
            note(case, i, data)
    return tar_bytes(blocks)


def main():
    c1, c2 = contacts(SUB1, "a@example.com"), contacts(SUB2, "b@example.com")
    gz_json = gz(c1)

    # Good bundles.
    write_zip(
        "good.zip",
        [
            Member("tenant/", method=0),
            Member("tenant/%s/securityContacts.json" % SUB1, c1),
            Member("tenant/%s/securityContacts.json" % SUB2, c2, method=0),
            Member("tenant/caf\u00e9.json", OK, flags=0x800),  # UTF-8 flag
            Member(b"tenant/\x9a.json", OK),  # CP437 for U+00DC, no flag
            Member("tenant/compressed.json.gz", gz_json),  # gzip of JSON: evidence
        ],
    )
    tar = good_tar("good.tar", "good.tar.gz")
    write("good.tar", tar)
    write("good.tar.gz", gz(tar))
    write_zip("empty.zip", [])

    # A zip as a program writes it to a pipe: sizes in data descriptors.
    class Pipe(io.RawIOBase):
        def __init__(self):
            self.buf = io.BytesIO()

        def writable(self):
            return True

        def write(self, b):
            return self.buf.write(b)

    pipe = Pipe()
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as z:
        for i, body in enumerate((c1, c2)):
            info = zipfile.ZipInfo("sub%d/securityContacts.json" % i,
                                                 (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w") as w:
                w.write(body)
            note("stream.zip", i, body)
    write("stream.zip", pipe.buf.getvalue())

    # Hostile names: each refused, the good entry at the end still read.
        # libarchive turns the backslash of "a\\b.json" into a slash (old
    # Windows tools wrote it as the folder separator), but not in a name
    # that is not valid in the locale's charset.
    names = ["../x.json", "/abs.json", "a\\b.json", b"x\x82\\b.json", "ctl\x01.json",
             "C:/drive.json", "a/../../up.json", "tab\t.json", "ok.json"]
    write_zip("names.zip", [Member(n, OK) for n in names], read=[2, 8])
    write(
        "names.tar",
        tar_bytes([tar_member(n, OK) for n in ["../x.json", "/abs.json", "a\\b.json",
                                               "a\0b.json", "ok.json"]]),
    )
    note("names.tar", 3, OK)  # libarchive ends the name at the NUL: "a"
    note("names.tar", 4, OK)
    write_zip("badutf8.zip", [Member(b"bad\xff.json", OK, flags=0x800), Member("ok.json", OK)],
              read=[1])

    # Entries that are not regular files.
    write(
        "types.tar",
        tar_bytes(
            [
                tar_member("link.json", kind=tarfile.SYMTYPE, link="/etc/passwd"),
                tar_member("ok.json", OK),
                tar_member("hard.json", kind=tarfile.LNKTYPE, link="ok.json"),
                tar_member("tty", kind=tarfile.CHRTYPE, devmajor=5, devminor=0),
                tar_member("disk", kind=tarfile.BLKTYPE, devmajor=8, devminor=0),
                tar_member("pipe", kind=tarfile.FIFOTYPE),
                tar_member("folder/", kind=tarfile.DIRTYPE),
            ]
        ),
    )
    note("types.tar", 1, OK)
    write_zip(
        "symlink.zip",
        [Member("link.json", b"/etc/passwd", method=0, unix_mode=0o120777),
         Member("ok.json", OK, unix_mode=0o100644)],
        read=[1],
    )

    # Damage.
    write_zip("encrypted.zip", [Member("secret.json", c1, flags=1), Member("ok.json", OK)],
              read=[1])
    write_zip("badcrc.zip", [Member("bad.json", c1, crc=zlib.crc32(c1) ^ 1),
                             Member("ok.json", OK)], read=[1])
    warn = bytearray(zip_bytes([Member("w.json", OK), Member("ok.json", OK)]))
    warn[14] ^= 1  # the local header's CRC-32 no longer matches the central directory's
    write("warn.zip", bytes(warn))
    note("warn.zip", 1, OK)
    good = zip_bytes([Member("a.json", c1), Member("b.json", c2)])
    write("truncated.zip", good[: len(good) // 2])
    cut = tar_bytes([tar_member("a.json", c1), tar_member("b.json", c2 * 8)])
    note("truncated.tar", 0, c1)
    write("truncated.tar", cut[: 512 * 3 + 200])
    # Bytes that do not compress, so that the cut is met after the first
    # entry, not while libarchive opens the stream.
    noise = b"".join(hashlib.sha256(b"%d" % i).digest() for i in range(4096))
    note("truncated.tar.gz", 0, c1)
    whole = gz(tar_bytes([tar_member("a.json", c1), tar_member("b.json", noise),
                          tar_member("c.json", OK)]))
    write("truncated.tar.gz", whole[: len(whole) // 2])
    broken = bytearray(tar_bytes([tar_member("a.json", c1), tar_member("b.json", c2),
                                  tar_member("c.json", OK)]))
    broken[1024 + 148] ^= 0x01  # the second header's checksum no longer adds up
    write("badheader.tar", bytes(broken))
    note("badheader.tar", 0, c1)

    # Two entries an extractor would write to one path.
    write_zip("dup.zip", [Member("a.json", c1), Member("b.json", OK), Member("a.json", c2)],
              read=[0, 1])
    write("dup.tar", tar_bytes([tar_member("a.json", c1), tar_member("./a.json", c2),
                                tar_member("d//b.json", OK), tar_member("d/./b.json", c2)]))
    note("dup.tar", 0, c1)
    note("dup.tar", 2, OK)

    # Archives inside the archive: refused; a gzip of JSON is evidence.
    inner_zip = zip_bytes([Member("x.json", c1)])
    inner_tar = tar_bytes([tar_member("x.json", c1)])
    write_zip(
        "nested.zip",
        [Member("inner.zip", inner_zip), Member("inner.tar", inner_tar),
         Member("inner.bin", gz(inner_tar)), Member("data.json.gz", gz_json),
         Member("ok.json", OK)],
        read=[3, 4],
    )

    # Compression bombs (against small caps in the test) and many entries.
    zeros = bytes(4 * 1024 * 1024)
    write_zip("bomb.zip", [Member("zeros.json", zeros), Member("ok.json", OK)], read=[1])
    write("bomb.tar.gz", gz(tar_bytes([tar_member("zeros.json", zeros),
                                       tar_member("ok.json", OK)])))
    note("bomb.tar.gz", 1, OK)
    write_zip("many.zip", [Member("e%02d.json" % i, OK) for i in range(10)])

    # Not archives, for the sniffer.
    write("contacts.json", c1)
    write("contacts.json.gz", gz_json)
    write("short.gz", gz(b"{}"))
    write("empty", b"")
    write("zeros.tar", bytes(10240))

    with open(os.path.join(outdir, "manifest.txt"), "w") as f:
        for case, index, size, digest in manifest:
            f.write("%s\t%d\t%d\t%s\n" % (case, index, size, digest))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make-archives.py OUTDIR")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    main()
