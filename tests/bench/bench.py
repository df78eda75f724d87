#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Driver of `make bench` (issue 19): generates the inputs, times
azure-contact-audit against json_verify, jq, gzip and cat with hyperfine in
the same run, measures peak RSS with /usr/bin/time -v, counts instructions
with callgrind, and prints every target of issue 19 as met or missed (also
written to DATA/results.md and DATA/results.json).

  bench.py --audit PATH/azure-contact-audit --data DIR --yajl-callbacks PATH
           --xmlwriter-floor PATH [--builddir DIR] [--cflags FLAGS]

With --builddir, `make -j2 check` is timed there too (issue 12's 25 s).

Environment: BENCH_QUICK=1 runs every row on smaller inputs (25,000
subscriptions instead of 250,000, 100 MB instead of 1 GB, a 10 MB dump in
the archives); its rows say "quick" and its verdicts only hint at the real
ones. BENCH_KEEP=1 keeps the 1 GB inputs, which are otherwise deleted at
the end. Smaller inputs are kept in DIR and reused while gen.py is unchanged.
"""
import argparse
import filecmp
import gzip
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, 'gen.py')
JQ_PROG = os.path.join(HERE, 'verdicts.jq')
# The one-liner a user would write first (issue 19).
JQ_LINE = ('.value[] | [(.id|split("/")[2]), (if ((.properties.emails // "")|length)>0 '
           'then "PASS" else "FAIL" end)] | @tsv')
MB = 1_000_000          # throughput and sizes in decimal MB
MIB = 1 << 20           # memory in MiB
TOOLS = {               # program -> Debian package
    'hyperfine': 'hyperfine', 'jq': 'jq', 'json_verify': 'yajl-tools',
    'valgrind': 'valgrind', 'callgrind_annotate': 'valgrind', 'gzip': 'gzip',
    'cat': 'coreutils',
}

# Targets of issue 19, each a ratio to a baseline timed in the same run.
T_Q_SUBS = 0.5          # -q throughput >= 0.5x json_verify's, 250k subscriptions
T_Q_FLAT = 0.65         # ... >= 0.65x on the one-subscription 1 GB file
T_REPORTS = 3.0         # --junit and --html: whole run <= 3x json_verify at 250k
T_JQ_LINE = 12.0        # >= 12x faster than the jq one-liner at 250k
T_JQ_PROG = 40.0        # >= 40x faster than verdicts.jq at 250k
T_RSS = 64 * MIB        # peak RSS <= 64 MiB at 250k
T_PER_SUB = 256         # <= 256 bytes per subscription kept
T_FLAT_RSS = 16 * MIB   # the per-byte path stays flat: 1 GB file, one subscription
T_TGZ = 1.5             # .tar.gz <= 1.5x (plain audit + gzip -dc)
T_SPACES = 0.8          # 95% indentation: >= 0.8x json_verify's throughput
T_REPORTS_PARSE = 1.0   # issue 12: at 100k, writing both reports adds less than the parse takes
T_BROKEN_SCALE = 1.2    # 10x the broken files in a folder: <= 1.2x ten times the instructions
T_CHECK = 25.0          # issue 12: make -j2 check in under 25 s on this machine

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


def interleaved(cmds, runs, warmup=1):
    """cmds: list of (label, argv). Runs each once per round, in turn, for runs rounds, so that the
    machine's drift over the minutes they take falls on every command alike (hyperfine runs one
    command's runs before the next's). Returns label -> stats (seconds of wall time)."""
    def once(argv):
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t
    for _ in range(warmup):
        for _, argv in cmds:
            once(argv)
    times = {label: [] for label, _ in cmds}
    for _ in range(runs):
        for label, argv in cmds:
            times[label].append(once(argv))
    out = {}
    for label, _ in cmds:
        t = times[label]
        out[label] = {'median': statistics.median(t), 'min': min(t), 'max': max(t), 'runs': len(t)}
        log('    %-34s median %8.3f s  (min %.3f, max %.3f, %d runs, interleaved)'
            % (label, out[label]['median'], min(t), max(t), len(t)))
    return out


def writer_floor(prog, kind, report, runs=5):
    """CPU seconds libxml2's writer alone takes to write report again (median of runs), with
    the report's element, attribute and text counts; the rewritten bytes must be the report's."""
    out = report + '.floor'
    cpus = []
    for _ in range(runs):
        p = subprocess.run([prog, kind, report, out], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        if p.returncode != 0:
            die('xmlwriter_floor failed on %s: %s' % (report, p.stderr[-500:]))
        f = p.stdout.split()
        cpus.append(float(f[0]))
    # The same calls give the same JUnit, byte for byte. The page comes out a few bytes apart (the
    # replay writes no doctype and closes the head's <meta> elements in full), so only its size is
    # checked.
    size = os.path.getsize(report)
    if kind == '--junit' and not filecmp.cmp(report, out, shallow=False):
        die('xmlwriter_floor did not write %s again as it was' % report)
    if abs(int(f[4]) - size) > size // 1000:
        die('xmlwriter_floor wrote %s bytes for the %s bytes of %s' % (f[4], size, report))
    os.remove(out)
    return {'cpu': statistics.median(cpus), 'elements': int(f[1]), 'attributes': int(f[2]),
            'texts': int(f[3]), 'bytes': int(f[4])}


def report_floors(prog, junit, html):
    """writer_floor of a run's two reports."""
    return {'junit': writer_floor(prog, '--junit', junit), 'html': writer_floor(prog, '--html', html)}


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


TOTAL_RE = re.compile(r'^Total: (\d+) subscriptions?: (\d+) PASS, (\d+) FAIL, (\d+) ERROR')


def total_line(stdout):
    lines = stdout.strip().splitlines()
    return lines[-1] if lines else ''


def check_total(stdout, meta, what):
    """The tool must have decided every generated subscription correctly."""
    m = TOTAL_RE.search(total_line(stdout))
    want = (meta['subs'], meta['subs'] - meta['failing'], meta['failing'], 0)
    if not m or tuple(int(x) for x in m.groups()) != want:
        die('%s: expected %d subscriptions, %d PASS, %d FAIL, 0 ERROR; got %r'
            % (what, want[0], want[1], want[2], stdout.strip()[-300:]))


def check_jq(stdout, meta, what, is_fail=lambda ln: ln.startswith('FAIL')):
    """One verdict line per subscription, is_fail telling the failing ones
    (verdicts.jq starts them with FAIL, the one-liner ends them in it)."""
    lines = stdout.splitlines()
    fail = sum(1 for ln in lines if is_fail(ln))
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




def derived(data, name, src_meta, kind, build):
    """DATA/name made by build(tmp_path) from an input, unless already there."""
    path = os.path.join(data, name)
    meta_path = path + '.meta'
    want = dict(src_meta, derived=kind)
    if os.path.exists(path) and os.path.exists(meta_path):
        with open(meta_path) as f:
            if json.load(f) == want:
                return path, want
    t0 = time.monotonic()
    build(path + '.tmp')
    os.replace(path + '.tmp', path)
    with open(meta_path, 'w') as f:
        json.dump(want, f)
    log('  made %s: %.1f MB in %.1f s' % (name, os.path.getsize(path) / MB, time.monotonic() - t0))
    return path, want


ENTRY = 'securityContacts.json'   # the dump's name inside the archives


def copy_into(src, dst):
    with open(src, 'rb') as f:
        shutil.copyfileobj(f, dst, 1 << 20)


def make_tgz(src):
    """A ustar .tar.gz of src, gzip level 6 (gzip's default), no times."""
    def build(out):
        with open(out, 'wb') as raw, gzip.GzipFile(filename='', mode='wb', fileobj=raw,
                                                   compresslevel=6, mtime=0) as gz, \
                tarfile.open(fileobj=gz, mode='w', format=tarfile.USTAR_FORMAT) as t:
            ti = tarfile.TarInfo(ENTRY)
            ti.size, ti.mtime, ti.mode = os.path.getsize(src), 0, 0o644
            with open(src, 'rb') as f:
                t.addfile(ti, f)
    return build


def make_zip(src):
    """A deflated .zip of src, level 6, dated 1980-01-01."""
    def build(out):
        with zipfile.ZipFile(out, 'w') as z:
            zi = zipfile.ZipInfo(ENTRY, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            with z.open(zi, 'w', force_zip64=True) as w:
                copy_into(src, w)
    return build


def make_gz(src):
    """src.gz as gzip -6 -n would write it."""
    def build(out):
        with open(out, 'wb') as raw, gzip.GzipFile(filename='', mode='wb', fileobj=raw,
                                                   compresslevel=6, mtime=0) as gz:
            copy_into(src, gz)
    return build


def ir_of(argv, out_file, stdin_path=None):
    """Instructions executed (callgrind Ir) by argv."""
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


def broken_folder(data, n):
    """A folder of n files of invalid JSON, in no subscription's folder:
    each is an ERROR row of its own."""
    d = os.path.join(data, 'broken-%d' % n)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    for i in range(n):
        with open(os.path.join(d, 'b%06d.json' % i), 'w') as f:
            f.write('{"value": [x]}\n')
    return d


def broken_files(audit, data, small, large):
    """Instructions for folders of small and of large broken files; the
    Total lines are checked."""
    out = {'small': small, 'large': large}
    for key, n in (('small', small), ('large', large)):
        d = broken_folder(data, n)
        p = subprocess.run([audit, '-q', d], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        want = 'Total: %d subscriptions: 0 PASS, 0 FAIL, %d ERROR, 0 WAIVED; %d evidence files, %d unreadable' \
            % (n, n, n, n)
        if p.returncode != 2 or total_line(p.stdout) != want:
            die('%d broken files: exit %d, %r, not %r' % (n, p.returncode, total_line(p.stdout), want))
        out['ir_' + key] = ir_of([audit, '-q', d], os.path.join(data, 'callgrind-broken.out'))
        shutil.rmtree(d)
    return out


# ---- tables ----------------------------------------------------------------

def make_check(builddir, data, runs):
    """Wall seconds of `make -j2 check` in builddir: one run first, which
    builds the tests and must pass, then runs timed ones."""
    env = {k: v for k, v in os.environ.items() if k not in ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL')}
    argv = ['make', '-C', builddir, '-j2', 'check']
    out = os.path.join(data, 'make-check.log')
    times = []
    for i in range(runs + 1):
        t0 = time.monotonic()
        with open(out, 'w') as f:
            rc = subprocess.run(argv, env=env, stdout=f, stderr=subprocess.STDOUT).returncode
        took = time.monotonic() - t0
        if rc != 0:
            die('make -j2 check fails in %s; its output is in %s' % (builddir, out))
        if i > 0:
            times.append(took)
        log('  make -j2 check: %.1f s%s' % (took, '' if i else ' (builds the tests)'))
    with open(out) as f:
        totals = dict(re.findall(r'^# (TOTAL|PASS|SKIP|FAIL): +(\d+)', f.read(), re.M))
    return {'runs': times, 'median': statistics.median(times), 'totals': totals}


def floor_words(floor):
    """What xmlwriter_floor measured for a JUnit and an HTML report, in words, and their CPU
    seconds together."""
    def one(name, f):
        return '%s %s (%s elements, %s attributes, %s texts)' % (
            name, fmt_s(f['cpu']), '{:,}'.format(f['elements']), '{:,}'.format(f['attributes']),
            '{:,}'.format(f['texts']))
    both = floor['junit']['cpu'] + floor['html']['cpu']
    return ('%s, %s. Together %s of CPU; spread perfectly over the two cores, %s'
            % (one('JUnit', floor['junit']), one('HTML', floor['html']), fmt_s(both), fmt_s(both / 2)),
            both)


def mark(ok, quick=False):
    return ('met' if ok else '**missed**') + (' (quick)' if quick else '')


def fmt_s(s):
    return '%.3f s' % s if s < 10 else '%.1f s' % s


def mibs(b):
    return '%.1f MiB' % (b / MIB)


def build_tables(res, quick):
    L = []
    m = res['machine']
    L.append('Machine: %s cores (`nproc`), %s, %s RAM, Linux %s; %s, %s, yajl-tools %s; '
             'CFLAGS `%s`; commit %s, %s%s.'
             % (m['nproc'], m['cpu'], m['memory'], m['kernel'], m['hyperfine'], m['jq'],
                m['yajl'], m['cflags'], m['commit'], m['date'],
                ' (BENCH_QUICK=1: smaller inputs, each row says which)' if quick else ''))
    s, fl, ar, sp = res['subs'], res['flat'], res['archives'], res['spaces']
    n, smb = s['subs'], s['bytes'] / MB
    qn = ' (quick: %s subscriptions, not 250,000)' % '{:,}'.format(n) if quick else ''
    qf = ' (quick: %s, not 1 GB)' % fl['label'] if quick else ''
    qa = ' (quick: %s dump, not 100 MB)' % ar['label'] if quick else ''
    qs = ' (quick: %s, not 1 GB)' % sp['label'] if quick else ''
    L.append('')
    L.append('Targets of issue 19 (medians of hyperfine runs, each against a baseline timed in the same run; '
             'MB = 10^6 bytes, MiB = 2^20):')
    L.append('')
    L.append('| target | measured | result |')
    L.append('|---|---|---|')

    def row(target, measured, ok, quickrow):
        L.append('| %s | %s | %s |' % (target, measured, mark(ok, quick and quickrow)))
    r = s['json_verify'] / s['audit']
    row('`-q` throughput ≥ %.2g× json_verify\'s, %s-subscription REST dump%s'
        % (T_Q_SUBS, '{:,}'.format(n), qn),
        '%s (%.0f MB/s) against %s (%.0f MB/s) on %.0f MB: **%.2f×**'
        % (fmt_s(s['audit']), smb / s['audit'], fmt_s(s['json_verify']), smb / s['json_verify'], smb, r),
        r >= T_Q_SUBS, True)
    r = fl['json_verify'] / fl['audit']
    row('`-q` throughput ≥ %.2g× json_verify\'s, one subscription in %s%s' % (T_Q_FLAT, fl['label'], qf),
        '%s (%.0f MB/s) against %s (%.0f MB/s): **%.2f×**'
        % (fmt_s(fl['audit']), fl['bytes'] / MB / fl['audit'], fmt_s(fl['json_verify']),
           fl['bytes'] / MB / fl['json_verify'], r), r >= T_Q_FLAT, True)
    r = s['reports'] / s['json_verify']
    row('`-q --junit F --html F` whole run ≤ %.0f× json_verify\'s time%s' % (T_REPORTS, qn),
        '%s against %s: **%.2f×** (`-q` alone %s; JUnit %.0f MB, HTML %.0f MB)'
        % (fmt_s(s['reports']), fmt_s(s['json_verify']), r, fmt_s(s['audit']),
           s['junit_bytes'] / MB, s['html_bytes'] / MB), r <= T_REPORTS, True)
    r = s['jq_line'] / s['audit']
    row('≥ %.0f× faster than the jq one-liner%s' % (T_JQ_LINE, qn),
        'jq %s against %s: **%.1f×**' % (fmt_s(s['jq_line']), fmt_s(s['audit']), r), r >= T_JQ_LINE, True)
    r = s['jq_prog'] / s['audit']
    row('≥ %.0f× faster than `jq -f tests/bench/verdicts.jq`%s' % (T_JQ_PROG, qn),
        'jq %s against %s: **%.1f×**' % (fmt_s(s['jq_prog']), fmt_s(s['audit']), r), r >= T_JQ_PROG, True)
    row('peak RSS ≤ %d MiB at 250,000 subscriptions%s' % (T_RSS // MIB, qn),
        '**%s** (json_verify %s, jq one-liner %s, verdicts.jq %s)'
        % (mibs(s['rss_audit']), mibs(s['rss_json_verify']), mibs(s['rss_jq_line']), mibs(s['rss_jq_prog'])),
        s['rss_audit'] <= T_RSS, True)
    per = (s['rss_audit'] - s['rss_one']) / n
    row('≤ %d bytes per subscription kept: (RSS at %s − RSS with 1) / %s%s'
        % (T_PER_SUB, '{:,}'.format(n), '{:,}'.format(n), qn),
        '(%s − %s) / %s = **%.0f bytes**' % (mibs(s['rss_audit']), mibs(s['rss_one']), '{:,}'.format(n), per),
        per <= T_PER_SUB, True)
    row('the per-byte path stays flat: peak RSS ≤ %d MiB, one subscription in %s%s'
        % (T_FLAT_RSS // MIB, fl['label'], qf), '**%s**' % mibs(fl['rss']), fl['rss'] <= T_FLAT_RSS, True)
    base = ar['plain'] + ar['gzip_dc']
    r = ar['tgz'] / base
    row('`-q` on a .tar.gz ≤ %.1f× (`-q` on the plain file + `gzip -dc` of its .gz)%s' % (T_TGZ, qa),
        '%s against %s + %s = %s: **%.2f×**' % (fmt_s(ar['tgz']), fmt_s(ar['plain']), fmt_s(ar['gzip_dc']),
                                                fmt_s(base), r), r <= T_TGZ, True)
    r = sp['json_verify'] / sp['audit']
    row('`-q` throughput ≥ %.2g× json_verify\'s on a file of %.0f%% indentation%s'
        % (T_SPACES, sp['space_share'] * 100, qs),
        '%s (%.0f MB/s) against %s (%.0f MB/s): **%.2f×**'
        % (fmt_s(sp['audit']), sp['bytes'] / MB / sp['audit'], fmt_s(sp['json_verify']),
           sp['bytes'] / MB / sp['json_verify'], r), r >= T_SPACES, True)

    words, both = floor_words(s['floor'])
    q_ratio = s['audit'] / s['json_verify']
    floor_ratio = both / 2 / s['json_verify']
    L.append('')
    L.append('What libxml2\'s writer alone costs for the %s-subscription reports of the whole-run row '
             '(`tests/bench/xmlwriter_floor`, described under the issue-12 table below): %s, **%.2f×** json_verify\'s '
             'time. With `-q` alone at %.2f× its time, the whole run cannot come under %.2f× whatever the '
             'tool\'s own work costs; with `-q` at its own target (%.0f×), not under %.2f×.'
             % ('{:,}'.format(s['subs']), words, floor_ratio, q_ratio, q_ratio + floor_ratio,
                1 / T_Q_SUBS, 1 / T_Q_SUBS + floor_ratio))

    rp = res['reports_parse']
    add = rp['reports'] - rp['audit']
    r = add / rp['audit']
    qr = ' (quick: %s subscriptions, not 100,000)' % '{:,}'.format(rp['subs']) if quick else ''
    L.append('')
    L.append('Targets of issue 12 (the reports: medians of %d runs of each, taken in turn in the same run; '
             'make check: the median of its timed runs):' % rp['timings']['audit -q']['runs'])
    L.append('')
    L.append('| target | measured | result |')
    L.append('|---|---|---|')
    row('writing both reports takes less than the parse, 100,000 subscriptions%s' % qr,
        '`-q` %s; `-q --junit F --html F` %s: the reports add %s, **%.2f×** the parse (JUnit %.0f MB, '
        'HTML %.0f MB)' % (fmt_s(rp['audit']), fmt_s(rp['reports']), fmt_s(add), r,
                           rp['junit_bytes'] / MB, rp['html_bytes'] / MB), r < T_REPORTS_PARSE, True)
    mc = res.get('make_check')
    if mc:
        row('`make -j2 check` under %.0f s here' % T_CHECK,
            '%s (%s; %s checks, %s skipped): **%.2f×** json_verify\'s time on the %s-subscription dump in '
            'this run' % (fmt_s(mc['median']), ', '.join(fmt_s(x) for x in mc['runs']),
                          mc['totals'].get('TOTAL', '?'), mc['totals'].get('SKIP', '?'),
                          mc['median'] / s['json_verify'], '{:,}'.format(n)),
            mc['median'] < T_CHECK, False)
    words, both = floor_words(rp['floor'])
    L.append('')
    L.append('What libxml2\'s writer alone costs for these two reports (`tests/bench/xmlwriter_floor`: each '
             'report read back into a tree, then its elements, attributes and texts written again through '
             'the calls the tool makes, CPU time of the writing only, median of 5): %s: **%.2f×** the parse '
             'for libxml2\'s writing alone. The rest of the %.2f× above is the tool\'s own work (reasons, '
             'remediation commands, locations) and the hand-offs between its three threads.'
             % (words, both / 2 / rp['audit'], r))

    b = res['broken']
    per_small, per_large = b['ir_small'] / b['small'], b['ir_large'] / b['large']
    L.append('')
    L.append('Broken files: a folder of files of invalid JSON in no subscription\'s folder, each an ERROR of '
             'its own, `-q` under callgrind:')
    L.append('')
    L.append('| target | measured | result |')
    L.append('|---|---|---|')
    row('%s files cost ≤ %.1f× %d times what %s cost (each file, per file, as dear)'
        % ('{:,}'.format(b['large']), T_BROKEN_SCALE, b['large'] // b['small'], '{:,}'.format(b['small'])),
        '%s Ir for %s (%s per file) against %s Ir for %s (%s per file): **%.2f×**'
        % ('{:,}'.format(b['ir_large']), '{:,}'.format(b['large']), '{:,.0f}'.format(per_large),
           '{:,}'.format(b['ir_small']), '{:,}'.format(b['small']), '{:,.0f}'.format(per_small),
           per_large / per_small), per_large / per_small <= T_BROKEN_SCALE, False)

    L.append('')
    L.append('Archives: the %s REST dump (%s subscriptions) as entry `%s` of a .tar.gz and a .zip (Python '
             'tarfile/zipfile, deflate level 6, fixed dates), `-q` each; `gzip -dc` of the same dump as .gz:%s'
             % (ar['label'], '{:,}'.format(ar['subs']), ENTRY, qa))
    L.append('')
    L.append('| input | size | time | to the plain file | peak RSS | Total line |')
    L.append('|---|---:|---:|---:|---:|---|')
    for key, what in (('plain', 'plain file'), ('tgz', '.tar.gz'), ('zip', '.zip')):
        L.append('| %s | %.1f MB | %s | %.2f× | %s | `%s` |'
                 % (what, ar[key + '_bytes'] / MB, fmt_s(ar[key]), ar[key] / ar['plain'],
                    mibs(ar['rss_' + key]), ar['total_' + key]))
    L.append('| `gzip -dc` of .gz | %.1f MB | %s | %.2f× | | |'
             % (ar['gz_bytes'] / MB, fmt_s(ar['gzip_dc']), ar['gzip_dc'] / ar['plain']))
    L.append('')
    L.append('The three Total lines agree on subscriptions and verdicts (checked); an archive counts as one '
             'more evidence file besides its entry.')
    L.append('')
    L.append('What yajl itself costs on the one-subscription %s file (`tests/bench/yajl_callbacks`): every '
             'callback set and doing nothing, as this tool sets them, %s; none, as json_verify runs it, %s; '
             'json_verify %s; the audit %s. The %.2g× target allows %s.'
             % (fl['label'], fmt_s(fl['yajl_callbacks']), fmt_s(fl['yajl_none']), fmt_s(fl['json_verify']),
                fmt_s(fl['audit']), T_Q_FLAT, fmt_s(fl['json_verify'] / T_Q_FLAT)))
    L.append('')
    L.append('`cat` of the %s-subscription dump: %s (%.0f MB/s).' % ('{:,}'.format(n), fmt_s(s['cat']),
                                                                    smb / s['cat']))
    c = res['callgrind']
    L.append('')
    L.append('Instruction count (`valgrind --tool=callgrind`, `-q` on a %s-subscription dump of %.1f MB): '
             'audit %s Ir = %.1f Ir per input byte; json_verify %s Ir = %.1f Ir per byte (%.1f× fewer). '
             'Top functions by self Ir:'
             % ('{:,}'.format(c['subs']), c['bytes'] / MB, '{:,}'.format(c['ir']), c['ir'] / c['bytes'],
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
    ap.add_argument('--xmlwriter-floor', required=True)
    ap.add_argument('--builddir')
    ap.add_argument('--cflags', default='')
    args = ap.parse_args()
    quick = os.environ.get('BENCH_QUICK', '') not in ('', '0')
    keep = os.environ.get('BENCH_KEEP', '') not in ('', '0')
    audit = os.path.abspath(args.audit)
    yc = os.path.abspath(args.yajl_callbacks)
    xf = os.path.abspath(args.xmlwriter_floor)
    data = os.path.abspath(args.data)
    t_start = time.monotonic()

    missing = sorted({pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)})
    if not os.access('/usr/bin/time', os.X_OK):
        missing.append('time')
    if missing:
        die('missing tools; install them with: sh .ci/setup %s' % ' '.join(missing))
    for prog in (audit, yc, xf):
        if not os.access(prog, os.X_OK):
            die('%s is not built' % prog)
    os.makedirs(data, exist_ok=True)
    need = (1 if quick else 3) * 1000 * MB
    free = shutil.disk_usage(data).free
    if free < need:
        die('%s has %.1f GB free; this run needs about %.0f GB (BENCH_QUICK=1 needs 1 GB)'
            % (data, free / 1e9, need / 1e9))

    digest = gen_digest()
    n_subs = 25000 if quick else 250000
    big_label, big_size = ('100 MB', 100 * MB) if quick else ('1 GB', 1000 * MB)
    ar_label, ar_size = ('10 MB', 10 * MB) if quick else ('100 MB', 100 * MB)
    big = []   # paths deleted at the end
    res = {'machine': machine(args.cflags), 'quick': quick}
    log('bench: %s, data in %s%s' % (audit, data, ' (BENCH_QUICK=1)' if quick else ''))

    # -- one REST dump of n_subs subscriptions: -q, reports, jq, memory --
    log('%d subscriptions:' % n_subs)
    path, meta = generate(data, 'subs-%d.json' % n_subs, 'subs', n_subs, digest)
    one, one_meta = generate(data, 'subs-1.json', 'subs', 1, digest)
    junit = os.path.join(data, 'out-junit.xml')
    html = os.path.join(data, 'out-report.html')
    rss_a, _, _, out = peak_rss(data, [audit, '-q', path])
    check_total(out, meta, path)
    rss_1, _, _, out = peak_rss(data, [audit, '-q', one])
    check_total(out, one_meta, one)
    rss_r, _, _, out = peak_rss(data, [audit, '-q', '--junit', junit, '--html', html, path])
    check_total(out, meta, path + ' with reports')
    rss_jv, _, rc, _ = peak_rss(data, ['json_verify', '-q'], stdin_path=path)
    if rc != 0:
        die('json_verify rejects %s' % path)
    rss_jl, _, _, out = peak_rss(data, ['jq', '-r', JQ_LINE, path])
    check_jq(out, meta, path + ' (the jq one-liner)', lambda ln: ln.endswith('\tFAIL'))
    rss_jp, _, _, out = peak_rss(data, ['jq', '-r', '-f', JQ_PROG, path])
    check_jq(out, meta, path)
    t = hyperfine(data, [('audit -q', '%s -q %s' % (q(audit), q(path))),
                         ('audit -q --junit --html', '%s -q --junit %s --html %s %s'
                          % (q(audit), q(junit), q(html), q(path))),
                         ('json_verify -q', 'json_verify -q < %s' % q(path)),
                         ('cat', 'cat %s' % q(path))],
                  **({'min_runs': 10, 'warmup': 1} if quick else {'runs': 7, 'warmup': 1}))
    t.update(hyperfine(data, [('jq one-liner', 'jq -r %s %s' % (q(JQ_LINE), q(path)))],
                       **({'runs': 5, 'warmup': 1} if quick else {'runs': 3})))
    t.update(hyperfine(data, [('jq -f verdicts.jq', 'jq -r -f %s %s' % (q(JQ_PROG), q(path)))],
                       **({'runs': 3, 'warmup': 1} if quick else {'runs': 2})))
    res['subs'] = {'subs': meta['subs'], 'bytes': meta['bytes'], 'audit': t['audit -q']['median'],
                   'reports': t['audit -q --junit --html']['median'],
                   'json_verify': t['json_verify -q']['median'], 'cat': t['cat']['median'],
                   'jq_line': t['jq one-liner']['median'], 'jq_prog': t['jq -f verdicts.jq']['median'],
                   'rss_audit': rss_a, 'rss_one': rss_1, 'rss_reports': rss_r, 'rss_json_verify': rss_jv,
                   'rss_jq_line': rss_jl, 'rss_jq_prog': rss_jp,
                   'junit_bytes': os.path.getsize(junit), 'html_bytes': os.path.getsize(html),
                   'timings': t,
                   'floor': report_floors(xf, junit, html)}
    os.remove(junit)
    os.remove(html)

    # -- the per-byte path alone: one subscription in the largest file --
    log('%s with one subscription (flat memory):' % big_label)
    path, meta = generate(data, 'flat-%s.json' % big_label.replace(' ', ''), 'flat', big_size, digest)
    if big_size >= 1000 * MB:
        big += [path, path + '.meta']
    rss_f, _, _, out = peak_rss(data, [audit, '-q', path])
    check_total(out, meta, path)
    t = hyperfine(data, [('audit -q (one subscription)', '%s -q %s' % (q(audit), q(path))),
                         ('json_verify -q', 'json_verify -q < %s' % q(path)),
                         ('yajl, every callback', '%s < %s' % (q(yc), q(path))),
                         ('yajl, no callback', '%s -n < %s' % (q(yc), q(path)))],
                  **({'runs': 5, 'warmup': 1} if quick else {'runs': 3}))
    res['flat'] = {'label': big_label, 'bytes': meta['bytes'], 'rss': rss_f,
                   'audit': t['audit -q (one subscription)']['median'],
                   'json_verify': t['json_verify -q']['median'],
                   'yajl_callbacks': t['yajl, every callback']['median'],
                   'yajl_none': t['yajl, no callback']['median'], 'timings': t}

    # -- archives: the same dump plain, .tar.gz, .zip; gzip -dc of a .gz --
    log('%s REST dump in archives:' % ar_label)
    tag = ar_label.replace(' ', '')
    path, meta = generate(data, 'rest-%s.json' % tag, 'rest', ar_size, digest)
    tgz, _ = derived(data, 'rest-%s.tar.gz' % tag, meta, 'tar.gz', make_tgz(path))
    zf, _ = derived(data, 'rest-%s.zip' % tag, meta, 'zip', make_zip(path))
    gz, _ = derived(data, 'rest-%s.json.gz' % tag, meta, 'gz', make_gz(path))
    ar = {'label': ar_label, 'subs': meta['subs']}
    for key, p in (('plain', path), ('tgz', tgz), ('zip', zf)):
        rss, _, _, out = peak_rss(data, [audit, '-q', p])
        check_total(out, meta, p)
        ar['rss_' + key], ar['total_' + key], ar[key + '_bytes'] = rss, total_line(out), os.path.getsize(p)
    ar['gz_bytes'] = os.path.getsize(gz)
    t = hyperfine(data, [('audit -q plain', '%s -q %s' % (q(audit), q(path))),
                         ('audit -q .tar.gz', '%s -q %s' % (q(audit), q(tgz))),
                         ('audit -q .zip', '%s -q %s' % (q(audit), q(zf))),
                         ('gzip -dc .gz', 'gzip -dc %s' % q(gz))],
                  **({'min_runs': 10, 'warmup': 1} if quick else {'runs': 7, 'warmup': 1}))
    ar.update({'plain': t['audit -q plain']['median'], 'tgz': t['audit -q .tar.gz']['median'],
               'zip': t['audit -q .zip']['median'], 'gzip_dc': t['gzip -dc .gz']['median'], 'timings': t})
    res['archives'] = ar

    # -- whitespace: a REST list of about 95% indentation --
    log('%s of indentation:' % big_label)
    path, meta = generate(data, 'spaces-%s.json' % big_label.replace(' ', ''), 'spaces', big_size, digest)
    if big_size >= 1000 * MB:
        big += [path, path + '.meta']
    rss, _, _, out = peak_rss(data, [audit, '-q', path])
    check_total(out, meta, path)
    spaces = 0
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 24), b''):
            spaces += chunk.count(b' ')
    t = hyperfine(data, [('audit -q (indentation)', '%s -q %s' % (q(audit), q(path))),
                         ('json_verify -q', 'json_verify -q < %s' % q(path))],
                  **({'runs': 5, 'warmup': 1} if quick else {'runs': 3, 'warmup': 1}))
    res['spaces'] = {'label': big_label, 'bytes': meta['bytes'], 'subs': meta['subs'], 'rss': rss,
                     'space_share': spaces / meta['bytes'], 'audit': t['audit -q (indentation)']['median'],
                     'json_verify': t['json_verify -q']['median'], 'timings': t}

    # -- issue 12: both reports against the parse, 100,000 subscriptions --
    n_rp = 10000 if quick else 100000
    log('%d subscriptions, the reports against the parse:' % n_rp)
    path, meta = generate(data, 'subs-%d.json' % n_rp, 'subs', n_rp, digest)
    _, _, _, out = peak_rss(data, [audit, '-q', '--junit', junit, '--html', html, path])
    check_total(out, meta, path + ' with reports')
    t = interleaved([('audit -q', [audit, '-q', path]),
                     ('audit -q --junit --html', [audit, '-q', '--junit', junit, '--html', html, path])],
                    10 if quick else 21, 1 if quick else 2)
    res['reports_parse'] = {'subs': meta['subs'], 'audit': t['audit -q']['median'],
                            'reports': t['audit -q --junit --html']['median'],
                            'junit_bytes': os.path.getsize(junit), 'html_bytes': os.path.getsize(html),
                            'timings': t,
                            'floor': report_floors(xf, junit, html)}
    os.remove(junit)
    os.remove(html)

    # -- issue 12: the test suite's time on this machine --
    if args.builddir:
        log('make -j2 check:')
        res['make_check'] = make_check(os.path.abspath(args.builddir), data, 1 if quick else 3)

    # -- instruction count of -q on a fixed 10,000-subscription dump --
    log('callgrind on 10,000 subscriptions:')
    path, meta = generate(data, 'subs-10000.json', 'subs', 10000, digest)
    cg = os.path.join(data, 'callgrind.out')
    cg_jv = os.path.join(data, 'callgrind-json_verify.out')
    ir = ir_of([audit, '-q', path], cg)
    ir_jv = ir_of(['json_verify', '-q'], cg_jv, stdin_path=path)
    res['callgrind'] = {'bytes': meta['bytes'], 'subs': meta['subs'], 'ir': ir, 'ir_json_verify': ir_jv,
                        'top': callgrind_top(cg, 12), 'out': cg}
    log('  audit %s Ir (%.1f per byte), json_verify %s Ir; profile in %s'
        % ('{:,}'.format(ir), ir / meta['bytes'], '{:,}'.format(ir_jv), cg))

    # -- a folder of broken files costs in proportion to their number --
    log('callgrind on folders of broken files:')
    res['broken'] = broken_files(audit, data, 1000, 10000)
    log('  %s Ir for %s files, %s Ir for %s'
        % ('{:,}'.format(res['broken']['ir_small']), '{:,}'.format(res['broken']['small']),
           '{:,}'.format(res['broken']['ir_large']), '{:,}'.format(res['broken']['large'])))

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
