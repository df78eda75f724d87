#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate benchmark evidence for `make bench` (never committed).

  gen.py rest BYTES OUT     REST-shaped Microsoft.Security/securityContacts
                            2020-01-01-preview list {"value":[...]}, pretty-
                            printed, about BYTES bytes; every 10th
                            subscription fails (emails "")
  gen.py subs N OUT         the same shape with exactly N subscriptions
  gen.py tree N DIR         N small per-subscription files (one REST list
                            each) in DIR/tenant-NN/<guid>/securityContacts.json
  gen.py flat BYTES OUT     one passing contact whose unknown member "history"
                            holds a REST list of about BYTES bytes: the tool
                            parses every byte but keeps one subscription, so
                            its peak RSS is what the per-byte path costs
  gen.py spaces BYTES OUT   the rest list again, about BYTES bytes, with each
                            line's indentation SPACE_SCALE times as deep, so
                            that about 95% of the bytes are spaces

Output is deterministic (fixed seed). Prints "subscriptions failing bytes".
"""
import os
import random
import re
import sys

RECORD = '''    {
      "properties": {
        "notificationsByRole": {
          "state": "On",
          "roles": [
            "Owner",
            "Admin"
          ]
        },
        "emails": "%s",
        "phone": "(214)275-%04d",
        "alertNotifications": {
          "state": "On",
          "minimalSeverity": "Low"
        }
      },
      "id": "/subscriptions/%s/providers/Microsoft.Security/securityContact/default",
      "name": "default",
      "type": "Microsoft.Security/securityContact"
    }'''
HEAD = '{\n  "value": [\n'
TAIL = '\n  ],\n  "nextLink": null\n}\n'
DOMAINS = ('acme-corp.com', 'initech.io', 'umbrella-health.org')


def guids(seed):
    rnd = random.Random(seed)
    seen = set()
    while True:
        v = rnd.getrandbits(128)
        v = (v & ~(0xF << 76)) | (0x4 << 76)          # version 4
        v = (v & ~(0x3 << 62)) | (0x2 << 62)          # RFC 4122 variant
        h = '%032x' % v
        g = '%s-%s-%s-%s-%s' % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])
        if g not in seen:  # a 128-bit collision is unlikely, but be exact
            seen.add(g)
            yield g


def record(i, g):
    if i % 10 == 9:
        emails = ''
    else:
        d = DOMAINS[i % 3]
        emails = 'secops-%d@%s;jane.doe@%s' % (i, d, d)
    return RECORD % (emails, i % 10000, g)


def deep(text, scale):
    """Each line's leading spaces repeated scale times."""
    return re.sub(r'\n( +)', lambda m: '\n' + m.group(1) * scale, text)


def space_scale(share=0.95):
    """The smallest indentation factor that makes spaces share of a record."""
    r = ',\n' + record(0, '00000000-0000-4000-8000-000000000000')
    lead = sum(len(m.group(1)) for m in re.finditer(r'\n( +)', r))
    other = r.count(' ') - lead
    solid = len(r) - r.count(' ')
    need = share / (1 - share) * solid - other
    return -(-int(need) // lead)


def write_list(out, n, gen, budget=None, scale=1):
    """Writes one list of n records (or until budget bytes); returns (n, failing, bytes).
    scale > 1 deepens the indentation (see deep)."""
    size = len(HEAD) + len(TAIL)
    buf = [HEAD]
    pending = len(HEAD)
    i = 0
    failing = 0
    while (n is None or i < n):
        r = record(i, next(gen))
        if scale > 1:
            r = deep('\n' + r, scale)[1:]
        if budget is not None and size + len(r) + 2 > budget and i > 0:
            break
        if i:
            buf.append(',\n')
            size += 2
            pending += 2
        buf.append(r)
        size += len(r)
        pending += len(r)
        failing += (i % 10 == 9)
        i += 1
        if pending > (4 << 20):
            out.write(''.join(buf))
            buf = []
            pending = 0
    buf.append(TAIL)
    out.write(''.join(buf))
    return i, failing, size


def main():
    mode, arg, dest = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    gen = guids(20240508)
    if mode in ('rest', 'subs'):
        tmp = dest + '.tmp'
        with open(tmp, 'w', encoding='ascii', newline='\n', buffering=1 << 20) as out:
            if mode == 'rest':
                n, failing, size = write_list(out, None, gen, arg)
            else:
                n, failing, size = write_list(out, arg, gen)
        os.replace(tmp, dest)
    elif mode == 'spaces':
        tmp = dest + '.tmp'
        with open(tmp, 'w', encoding='ascii', newline='\n', buffering=1 << 20) as out:
            n, failing, size = write_list(out, None, gen, arg, space_scale())
        os.replace(tmp, dest)
    elif mode == 'flat':
        tmp = dest + '.tmp'
        g = next(gen)
        head = ('{"value": [{"id": "/subscriptions/%s/providers/Microsoft.Security/securityContacts/default",'
                ' "name": "default", "properties": {"emails": "soc@acme-corp.com", "history": ' % g)
        tail = '}}]}\n'
        with open(tmp, 'w', encoding='ascii', newline='\n', buffering=1 << 20) as out:
            out.write(head)
            _, _, inner = write_list(out, None, gen, arg - len(head) - len(tail))
            out.write(tail)
        os.replace(tmp, dest)
        n, failing, size = 1, 0, len(head) + inner + len(tail)
    elif mode == 'tree':
        n = failing = size = 0
        for i in range(arg):
            g = next(gen)
            d = os.path.join(dest, 'tenant-%02d' % (i % 100), g)
            os.makedirs(d, exist_ok=True)
            r = record(i, g)
            text = HEAD + r + TAIL
            with open(os.path.join(d, 'securityContacts.json'), 'w', encoding='ascii',
                      newline='\n') as out:
                out.write(text)
            n += 1
            failing += (i % 10 == 9)
            size += len(text)
    else:
        sys.exit('gen.py: unknown mode ' + mode)
    print(n, failing, size)


if __name__ == '__main__':
    main()
