#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Driver of `make bench` (issue 8): generates the inputs, times
azure-contact-audit against json_verify, jq and cat with hyperfine, measures
peak RSS with /usr/bin/time -v, counts instructions with callgrind, and
prints the tables (also written to DATA/results.md and DATA/results.json).

  bench.py --audit PATH/azure-contact-audit --data DIR [--cflags FLAGS]

Environment: BENCH_QUICK=1 skips the 1 GB inputs and the 250,000-subscription
report case (a few minutes instead of about a quarter of an hour);
BENCH_KEEP=1 keeps the 1 GB inputs, which are otherwise deleted at the end.
Smaller inputs are kept in DIR and reused while gen.py is unchanged.
"""
import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, 'gen.py')
JQ_PROG = os.path.join(HERE, 'verdicts.jq')
MB = 1_000_000          # throughput and sizes in decimal MB
MIB = 1 << 20           # memory in MiB
TOOLS = {               # program -> Debian package
    'hyperfine': 'hyperfine', 'jq': 'jq', 'json_verify': 'yajl-tools',
    'valgrind': 'valgrind', 'callgrind_annotate': 'valgrind', 'iconv': 'libc-bin',
    'find': 'findutils', 'xargs': 'findutils', 'cat': 'coreutils',
}

# Targets of issue 8.
T_JV = 0.8          # throughput >= 0.8x json_verify
T_JQ = 15.0         # >= 15x jq
T_RSS = 16 * MIB    # peak RSS <= 16 MiB at 1 GB
T_FILES = 3.0       # 20,000 files within 3x cat
T_REPORT_JV = 2.5   # 250k subscriptions with both reports within 2.5x json_verify
T_UTF16 = 2.0       # UTF-16 within 2x UTF-8


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def die(msg):
    log('bench: ' + msg)
    sys.exit(1)


def q(path):
    return shlex.quote(path)


# ---- inputs ----------------------------------------------------------------

def gen_digest():
    h = hashlib.sha256()
    with open(GEN, 'rb') as f:
        h.update(f.read())
    return h.hexdigest()[:16]


def generate(data, name, mode, arg, digest):
    """Runs gen.py unless DATA/name is there from the same generator."""
    path = os.path.join(data, name)
    meta_path = path + '.meta'
    want = {'gen': digest, 'mode': mode, 'arg': arg}
    if os.path.exists(path) and os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if all(meta.get(k) == v for k, v in want.items()):
            return path, meta
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)
    t0 = time.monotonic()
    out = subprocess.run([sys.executable, GEN, mode, str(arg), path], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.split()
    meta = dict(want, subs=int(out[0]), failing=int(out[1]), bytes=int(out[2]))
    with open(meta_path, 'w') as f:
        json.dump(meta, f)
    log('  generated %s: %d subscriptions, %.1f MB in %.1f s'
        % (name, meta['subs'], meta['bytes'] / MB, time.monotonic() - t0))
    return path, meta


def utf16(data, src, src_meta, name):
    """The same text as UTF-16LE with a BOM (iconv)."""
    path = os.path.join(data, name)
    meta_path = path + '.meta'
    want = dict(src_meta, encoding='UTF-16LE')
    if os.path.exists(path) and os.path.exists(meta_path):
        with open(meta_path) as f:
            if json.load(f) == want:
                return path, want
    t0 = time.monotonic()
    with open(path + '.tmp', 'wb') as out:
        out.write(b'\xff\xfe')
        out.flush()
        subprocess.run(['iconv', '-f', 'UTF-8', '-t', 'UTF-16LE', src], stdout=out, check=True)
    os.replace(path + '.tmp', path)
    with open(meta_path, 'w') as f:
        json.dump(want, f)
    log('  converted %s: %.1f MB in %.1f s' % (name, os.path.getsize(path) / MB,
                                              time.monotonic() - t0))
    return path, want


# ---- measuring ---------------------------------------------------------------

def hyperfine(data, cmds, runs=None, warmup=0, min_runs=None):
    """cmds: list of (label, shell command). Returns label -> stats (seconds)."""
    export = os.path.join(data, 'hyperfine.json')
    argv = ['hyperfine', '--style', 'none', '-i', '--export-json', export,
            '--warmup', str(warmup)]
    if runs:
        argv += ['--runs', str(runs)]
    if min_runs:
        argv += ['--min-runs', str(min_runs)]
    for label, cmd in cmds:
        argv += ['-n', label, cmd]
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # The program exits 1 when a subscription fails (10% do, on purpose): -i.
    noise = ('Ignoring non-zero exit code', 'Statistical outliers', 'less than 5 ms')
    for line in p.stderr.splitlines():
        if line.strip() and not any(n in line for n in noise):
            log('    hyperfine: ' + line.strip())
    if p.returncode != 0:
        die('hyperfine failed (status %d)' % p.returncode)
    with open(export) as f:
        results = json.load(f)['results']
    os.remove(export)
    out = {}
    for (label, _), r in zip(cmds, results):
        times = sorted(r['times'])
        median = r.get('median')
        if median is None:
            n = len(times)
            median = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
        out[label] = {'median': median, 'mean': r['mean'], 'stddev': r.get('stddev') or 0.0,
                      'min': r['min'], 'max': r['max'], 'runs': len(times)}
        log('    %-34s median %8.3f s  (min %.3f, max %.3f, %d runs)'
            % (label, median, r['min'], r['max'], len(times)))
    return out


def peak_rss(data, argv, stdin_path=None, stdout=subprocess.PIPE):
    """Runs argv under /usr/bin/time -v. Returns (peak RSS bytes, wall s, rc, stdout)."""
    tv = os.path.join(data, 'time-v.txt')
    stdin = open(stdin_path, 'rb') if stdin_path else subprocess.DEVNULL
    try:
        p = subprocess.run(['/usr/bin/time', '-v', '-o', tv] + argv, stdin=stdin,
                           stdout=stdout, stderr=subprocess.PIPE, text=True)
    finally:
        if stdin_path:
            stdin.close()
    with open(tv) as f:
        text = f.read()
    os.remove(tv)
    m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', text)
    w = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)', text)
    wall = (int(w.group(1) or 0) * 3600 + int(w.group(2)) * 60 + float(w.group(3))) if w else None
    if p.returncode not in (0, 1) or not m:
        die('%s failed (status %d): %s' % (' '.join(argv), p.returncode, p.stderr[-2000:]))
    return int(m.group(1)) * 1024, wall, p.returncode, p.stdout


TOTAL_RE = re.compile(r'^Total: (\d+) subscriptions: (\d+) PASS, (\d+) FAIL, (\d+) ERROR')


def check_total(stdout, meta, what):
    """The tool must have decided every generated subscription correctly."""
    m = TOTAL_RE.search(stdout.strip().splitlines()[-1] if stdout.strip() else '')
    want = (meta['subs'], meta['subs'] - meta['failing'], meta['failing'], 0)
    if not m or tuple(int(x) for x in m.groups()) != want:
        die('%s: expected %d subscriptions, %d PASS, %d FAIL, 0 ERROR; got %r'
            % (what, want[0], want[1], want[2], stdout.strip()[-300:]))


def check_jq(stdout, meta, what):
    lines = stdout.splitlines()
    fail = sum(1 for ln in lines if ln.startswith('FAIL'))
    if len(lines) != meta['subs'] or fail != meta['failing']:
        die('%s: jq gave %d verdicts, %d FAIL; expected %d, %d'
            % (what, len(lines), fail, meta['subs'], meta['failing']))


# ---- machine ---------------------------------------------------------------

def machine(cflags):
    def first(cmd):
        try:
            return subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, text=True,
                                  stderr=subprocess.DEVNULL).stdout.strip()
        except OSError:
            return ''
    model = first("lscpu | sed -n 's/^Model name: *//p' | head -1")
    mem = ''
    try:
        with open('/proc/meminfo') as f:
            kb = int(re.search(r'MemTotal:\s+(\d+)', f.read()).group(1))
        mem = '%.1f GiB' % (kb / (1 << 20))
    except (OSError, AttributeError):
        pass
    return {
        'nproc': first('nproc'), 'cpu': model, 'memory': mem,
        'kernel': platform.release(),
        'hyperfine': first('hyperfine --version'), 'jq': first('jq --version'),
        'yajl': first("dpkg-query -W -f='${Version}' yajl-tools"),
        'cflags': cflags,
        'commit': first('git -C %s describe --always --dirty 2>/dev/null' % q(HERE)),
        'date': time.strftime('%Y-%m-%d'),
    }


# ---- tables ----------------------------------------------------------------

def mark(ok):
    return 'met' if ok else '**missed**'


def fmt_s(s):
    return '%.3f s' % s if s < 10 else '%.1f s' % s


def build_tables(res, quick):
    L = []
    m = res['machine']
    L.append('Machine: %s cores (`nproc`), %s, %s RAM, Linux %s; %s, %s, yajl-tools %s; '
             'CFLAGS `%s`; commit %s, %s%s.'
             % (m['nproc'], m['cpu'], m['memory'], m['kernel'], m['hyperfine'], m['jq'],
                m['yajl'], m['cflags'], m['commit'], m['date'],
                ' (BENCH_QUICK=1)' if quick else ''))
    L.append('')
    L.append('Single REST dump, `azure-contact-audit -q FILE` (median of hyperfine runs; '
             'MB = 10^6 bytes):')
    L.append('')
    L.append('| input | subscriptions | audit | audit MB/s | json_verify MB/s | ratio to json_verify '
             '(target ≥ %.1f) | jq MB/s | ratio to jq (target ≥ %.0f) | cat MB/s | audit peak RSS '
             '(target ≤ 16 MiB at 1 GB) | json_verify RSS | jq RSS |' % (T_JV, T_JQ))
    L.append('|---|---:|---:|---:|---:|---|---:|---|---:|---|---:|---:|')
    for row in res['sizes']:
        mbs = row['bytes'] / MB
        a, jv, jq, cat = row['audit'], row['json_verify'], row['jq'], row['cat']
        r_jv, r_jq = jv / a, jq / a
        rss_target = ' (%s)' % mark(row['rss_audit'] <= T_RSS) if row['label'] == '1 GB' else ''
        L.append('| %s | %d | %s | %.0f | %.0f | %.2f× %s | %.1f | %.1f× %s | %.0f | %.0f MiB%s | %.1f MiB | %.0f MiB |'
                 % (row['label'], row['subs'], fmt_s(a), mbs / a, mbs / jv, r_jv, mark(r_jv >= T_JV),
                    mbs / jq, r_jq, mark(r_jq >= T_JQ), mbs / cat, row['rss_audit'] / MIB,
                    rss_target, row['rss_json_verify'] / MIB, row['rss_jq'] / MIB))
    g = res.get('growth')
    if g:
        L.append('')
        L.append('Memory growth from %s to %s: %.0f MiB for %d more subscriptions, %.0f bytes '
                 'per subscription (the verdict table and everything kept per subscription).'
                 % (g['from'], g['to'], g['delta'] / MIB, g['subs'], g['per_sub']))
    fl = res.get('flat')
    if fl:
        L.append('')
        L.append('The per-byte path alone: %s (%.0f MB) holding one subscription, every other record inside '
                 'a member the reader skips: peak RSS %.1f MiB (target ≤ 16 MiB: %s), %s against json_verify '
                 '%s (%.2f× its throughput). Peak RSS above this is the verdict table: the bytes per '
                 'subscription above.'
                 % (fl['label'], fl['bytes'] / MB, fl['rss'] / MIB, mark(fl['rss'] <= T_RSS),
                    fmt_s(fl['audit']), fmt_s(fl['json_verify']), fl['json_verify'] / fl['audit']))
        L.append('')
        L.append('What yajl itself costs on that file (`tests/bench/yajl_callbacks`): with every callback set '
                 'and doing nothing, as this tool sets them, %s; with none, as json_verify runs it, %s; '
                 'json_verify %s. The 0.8× target allows %s.'
                 % (fmt_s(fl['yajl_callbacks']), fmt_s(fl['yajl_none']), fmt_s(fl['json_verify']),
                    fmt_s(fl['json_verify'] / T_JV)))
    L.append('')
    L.append('UTF-16LE with BOM (the same text through iconv) against UTF-8:')
    L.append('')
    L.append('| input | UTF-16 file | audit | UTF-8 audit | ratio (target ≤ %.0f) | peak RSS |' % T_UTF16)
    L.append('|---|---:|---:|---:|---|---:|')
    for row in res['utf16']:
        r = row['audit'] / row['utf8']
        L.append('| %s | %.0f MB | %s | %s | %.2f× %s | %.0f MiB |'
                 % (row['label'], row['bytes'] / MB, fmt_s(row['audit']), fmt_s(row['utf8']), r,
                    mark(r <= T_UTF16), row['rss'] / MIB))
    f = res['files']
    L.append('')
    L.append('%d small per-subscription files in a folder tree (%.1f MB), `azure-contact-audit -q DIR` '
             'against `find DIR -type f -name \'*.json\' -print0 | xargs -0 cat`:' % (f['files'], f['bytes'] / MB))
    L.append('')
    L.append('| files | audit | cat | ratio to cat (target ≤ %.0f) | per file | per file above cat | peak RSS |' % T_FILES)
    L.append('|---:|---:|---:|---|---:|---:|---:|')
    r = f['audit'] / f['cat']
    L.append('| %d | %s | %s | %.2f× %s | %.1f µs | %.1f µs | %.0f MiB |'
             % (f['files'], fmt_s(f['audit']), fmt_s(f['cat']), r, mark(r <= T_FILES),
                f['audit'] / f['files'] * 1e6, (f['audit'] - f['cat']) / f['files'] * 1e6, f['rss'] / MIB))
    L.append('')
    L.append('Reports: `-q` (parse and decide only) against `-q --junit x --html y` on one REST dump:')
    L.append('')
    L.append('| subscriptions | input | parse only | per subscription | with both reports | per subscription '
             '| writing the reports | reports / parse (target < 1) | json_verify | with reports / json_verify '
             '(target ≤ %.1f at 250k) | peak RSS with reports |' % T_REPORT_JV)
    L.append('|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|')
    for row in res['reports']:
        n = row['subs']
        write = row['reports'] - row['parse']
        rw = write / row['parse']
        rj = row['reports'] / row['json_verify']
        jv_mark = (' ' + mark(rj <= T_REPORT_JV)) if n == 250000 else ''
        L.append('| %d | %.0f MB | %s | %.1f µs | %s | %.1f µs | %s | %.2f× %s | %s | %.1f×%s | %.0f MiB |'
                 % (n, row['bytes'] / MB, fmt_s(row['parse']), row['parse'] / n * 1e6,
                    fmt_s(row['reports']), row['reports'] / n * 1e6, fmt_s(write), rw,
                    mark(rw < 1), fmt_s(row['json_verify']), rj, jv_mark, row['rss'] / MIB))
    rep = {r['subs']: r for r in res['reports']}
    if 10000 in rep and 100000 in rep:
        a, b = rep[10000], rep[100000]
        L.append('')
        L.append('Time per subscription from 10k to 100k: parse only ×%.2f, with reports ×%.2f '
                 '(1.00 is linear).' % ((b['parse'] / 1e5) / (a['parse'] / 1e4),
                                        (b['reports'] / 1e5) / (a['reports'] / 1e4)))
    c = res['callgrind']
    L.append('')
    L.append('Instruction count (`valgrind --tool=callgrind`, fixed %.1f MB input, %d subscriptions): '
             'audit %s Ir = %.1f Ir per input byte; json_verify %s Ir = %.1f Ir per byte (%.1f× fewer). '
             'Top functions by self Ir:'
             % (c['bytes'] / MB, c['subs'], '{:,}'.format(c['ir']), c['ir'] / c['bytes'],
                '{:,}'.format(c['ir_json_verify']), c['ir_json_verify'] / c['bytes'],
                c['ir'] / c['ir_json_verify']))
    L.append('')
    L.append('| Ir | share | function |')
    L.append('|---:|---:|---|')
    for ir, share, fn in c['top']:
        L.append('| %s | %.1f%% | `%s` |' % ('{:,}'.format(ir), share, fn))
    return '\n'.join(L) + '\n'


def callgrind_top(out_file, n=8):
    text = subprocess.run(['callgrind_annotate', out_file], check=True, stdout=subprocess.PIPE,
                          text=True).stdout
    top = []
    for line in text.splitlines():
        m = re.match(r'\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S.*?)\s*$', line)
        if m and 'PROGRAM TOTALS' not in line:
            fn = m.group(3)
            fn = re.sub(r' \[[^\]]*\]$', lambda mm: ' [' + os.path.basename(mm.group(0)[2:-1]) + ']', fn)
            top.append((int(m.group(1).replace(',', '')), float(m.group(2)), fn))
            if len(top) == n:
                break
    return top


# ---- main ------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--audit', required=True)
    ap.add_argument('--data', required=True)
    ap.add_argument('--yajl-callbacks', required=True)
    ap.add_argument('--cflags', default='')
    args = ap.parse_args()
    quick = os.environ.get('BENCH_QUICK', '') not in ('', '0')
    keep = os.environ.get('BENCH_KEEP', '') not in ('', '0')
    audit = os.path.abspath(args.audit)
    data = os.path.abspath(args.data)
    t_start = time.monotonic()

    missing = sorted({pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)})
    if not os.access('/usr/bin/time', os.X_OK):
        missing.append('time')
    if missing:
        die('missing tools; install them with: sh .ci/setup %s' % ' '.join(missing))
    if not os.access(audit, os.X_OK):
        die('%s is not built' % audit)
    os.makedirs(data, exist_ok=True)
    need = (1 if quick else 5) * 1000 * MB
    free = shutil.disk_usage(data).free
    if free < need:
        die('%s has %.1f GB free; this run needs about %.0f GB (BENCH_QUICK=1 needs 1 GB)'
            % (data, free / 1e9, need / 1e9))

    digest = gen_digest()
    sizes = [('10 MB', 10 * MB), ('100 MB', 100 * MB)] + ([] if quick else [('1 GB', 1000 * MB)])
    big = []   # paths deleted at the end
    res = {'machine': machine(args.cflags), 'quick': quick, 'sizes': [], 'utf16': [], 'reports': []}
    log('bench: %s, data in %s%s' % (audit, data, ' (BENCH_QUICK=1)' if quick else ''))

    # -- one large file at three sizes, UTF-8 then UTF-16 --
    for label, size in sizes:
        tag = label.replace(' ', '')
        log('%s REST dump:' % label)
        path, meta = generate(data, 'rest-%s.json' % tag, 'rest', size, digest)
        u16, _ = utf16(data, path, meta, 'rest-%s-utf16le.json' % tag)
        if size >= 1000 * MB:
            big += [path, path + '.meta', u16, u16 + '.meta']
        rss_a, _, _, out = peak_rss(data, [audit, '-q', path])
        check_total(out, meta, path)
        rss_u, _, _, out = peak_rss(data, [audit, '-q', u16])
        check_total(out, meta, u16)
        rss_jv, _, rc, _ = peak_rss(data, ['json_verify', '-q'], stdin_path=path)
        if rc != 0:
            die('json_verify rejects %s' % path)
        rss_jq, _, _, out = peak_rss(data, ['jq', '-r', '-f', JQ_PROG, path])
        check_jq(out, meta, path)
        if size >= 1000 * MB:
            opts, jq_opts = {'runs': 3}, {'runs': 1}
        elif size >= 100 * MB:
            opts, jq_opts = {'runs': 5, 'warmup': 1}, {'runs': 3, 'warmup': 1}
        else:
            opts, jq_opts = {'min_runs': 10, 'warmup': 1}, {'runs': 5, 'warmup': 1}
        t = hyperfine(data, [('audit -q', '%s -q %s' % (q(audit), q(path))),
                             ('audit -q (UTF-16LE)', '%s -q %s' % (q(audit), q(u16))),
                             ('json_verify -q', 'json_verify -q < %s' % q(path)),
                             ('cat', 'cat %s' % q(path))], **opts)
        t.update(hyperfine(data, [('jq', 'jq -r -f %s %s' % (q(JQ_PROG), q(path)))], **jq_opts))
        res['sizes'].append({'label': label, 'bytes': meta['bytes'], 'subs': meta['subs'],
                             'audit': t['audit -q']['median'],
                             'json_verify': t['json_verify -q']['median'],
                             'jq': t['jq']['median'], 'cat': t['cat']['median'],
                             'rss_audit': rss_a, 'rss_json_verify': rss_jv, 'rss_jq': rss_jq,
                             'timings': t})
        res['utf16'].append({'label': label, 'bytes': os.path.getsize(u16),
                             'audit': t['audit -q (UTF-16LE)']['median'],
                             'utf8': t['audit -q']['median'], 'rss': rss_u})
    # -- the per-byte path alone: the largest size, one subscription --
    label, size = sizes[-1]
    log('%s with one subscription (flat memory):' % label)
    path, meta = generate(data, 'flat-%s.json' % label.replace(' ', ''), 'flat', size, digest)
    if size >= 1000 * MB:
        big += [path, path + '.meta']
    rss_f, _, _, out = peak_rss(data, [audit, '-q', path])
    check_total(out, meta, path)
    yc = os.path.abspath(args.yajl_callbacks)
    t = hyperfine(data, [('audit -q (one subscription)', '%s -q %s' % (q(audit), q(path))),
                         ('json_verify -q', 'json_verify -q < %s' % q(path)),
                         ('yajl, every callback', '%s < %s' % (q(yc), q(path))),
                         ('yajl, no callback', '%s -n < %s' % (q(yc), q(path)))], runs=3)
    res['flat'] = {'label': label, 'bytes': meta['bytes'], 'rss': rss_f,
                   'audit': t['audit -q (one subscription)']['median'],
                   'json_verify': t['json_verify -q']['median'],
                   'yajl_callbacks': t['yajl, every callback']['median'],
                   'yajl_none': t['yajl, no callback']['median'], 'timings': t}

    s0, s1 = res['sizes'][0], res['sizes'][-1]
    res['growth'] = {'from': s0['label'], 'to': s1['label'], 'delta': s1['rss_audit'] - s0['rss_audit'],
                     'subs': s1['subs'] - s0['subs'],
                     'per_sub': (s1['rss_audit'] - s0['rss_audit']) / (s1['subs'] - s0['subs'])}

    # -- 20,000 small files --
    log('20,000 small files:')
    tree, meta = generate(data, 'tree-20k', 'tree', 20000, digest)
    rss, _, _, out = peak_rss(data, [audit, '-q', tree])
    check_total(out, meta, tree)
    t = hyperfine(data, [('audit -q DIR', '%s -q %s' % (q(audit), q(tree))),
                         ('find | xargs cat', "find %s -type f -name '*.json' -print0 | xargs -0 cat"
                          % q(tree))], warmup=1, min_runs=10)
    res['files'] = {'files': meta['subs'], 'bytes': meta['bytes'], 'audit': t['audit -q DIR']['median'],
                    'cat': t['find | xargs cat']['median'], 'rss': rss, 'timings': t}

    # -- report writing --
    for n in [10000, 100000] + ([] if quick else [250000]):
        log('%d subscriptions with reports:' % n)
        path, meta = generate(data, 'subs-%d.json' % n, 'subs', n, digest)
        junit = os.path.join(data, 'out-junit.xml')
        html = os.path.join(data, 'out-report.html')
        rss, _, _, out = peak_rss(data, [audit, '-q', '--junit', junit, '--html', html, path])
        check_total(out, meta, path)
        big_run = n >= 100000
        t = hyperfine(data, [('json_verify -q', 'json_verify -q < %s' % q(path)),
                             ('audit -q', '%s -q %s' % (q(audit), q(path))),
                             ('audit -q --junit --html', '%s -q --junit %s --html %s %s'
                              % (q(audit), q(junit), q(html), q(path)))],
                      **({'runs': 5, 'warmup': 1} if big_run else {'min_runs': 10, 'warmup': 1}))
        res['reports'].append({'subs': n, 'bytes': meta['bytes'], 'parse': t['audit -q']['median'],
                               'reports': t['audit -q --junit --html']['median'],
                               'json_verify': t['json_verify -q']['median'], 'rss': rss,
                               'junit_bytes': os.path.getsize(junit), 'html_bytes': os.path.getsize(html),
                               'timings': t})
        os.remove(junit)
        os.remove(html)

    # -- instruction count on the fixed 10 MB input --
    log('callgrind on the 10 MB dump:')
    path, meta = generate(data, 'rest-10MB.json', 'rest', 10 * MB, digest)
    cg = os.path.join(data, 'callgrind.out')
    cg_jv = os.path.join(data, 'callgrind-json_verify.out')

    def ir_of(argv, out_file, stdin_path=None):
        stdin = open(stdin_path, 'rb') if stdin_path else subprocess.DEVNULL
        try:
            p = subprocess.run(['valgrind', '--tool=callgrind', '--callgrind-out-file=' + out_file] + argv,
                               stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        finally:
            if stdin_path:
                stdin.close()
        m = re.search(r'refs:\s+([\d,]+)', p.stderr)
        if not m:
            die('callgrind failed: ' + p.stderr[-1000:])
        return int(m.group(1).replace(',', ''))
    ir = ir_of([audit, '-q', path], cg)
    ir_jv = ir_of(['json_verify', '-q'], cg_jv, stdin_path=path)
    res['callgrind'] = {'bytes': meta['bytes'], 'subs': meta['subs'], 'ir': ir, 'ir_json_verify': ir_jv,
                        'top': callgrind_top(cg), 'out': cg}
    log('  audit %s Ir (%.1f per byte), json_verify %s Ir; profile in %s'
        % ('{:,}'.format(ir), ir / meta['bytes'], '{:,}'.format(ir_jv), cg))

    if not keep:
        for p in big:
            if os.path.exists(p):
                os.remove(p)
    res['seconds'] = time.monotonic() - t_start
    tables = build_tables(res, quick)
    with open(os.path.join(data, 'results.md'), 'w') as f:
        f.write(tables)
    with open(os.path.join(data, 'results.json'), 'w') as f:
        json.dump(res, f, indent=1)
    print()
    print(tables)
    print('(bench took %.0f s; tables in %s, raw figures in %s%s)'
          % (res['seconds'], os.path.join(data, 'results.md'), os.path.join(data, 'results.json'),
             '' if keep or not big else '; the 1 GB inputs were deleted, BENCH_KEEP=1 keeps them'))


if __name__ == '__main__':
    main()
