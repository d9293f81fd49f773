#!/usr/bin/env python3
"""The hostile-input catalogue of issue 7, end to end through the real binary.

usage: hostile_input_test.py ROLLMATCH_BINARY TINY_COUNTY_DIR

Each case starts from a copy of the tiny county, breaks one thing, runs `rollmatch run` (60 s at most)
and checks the outcome stated in tests/e2e/README.md ("Bad input"):
  reject  - the run succeeds; the broken row is in rejects.jsonl with feed, file, line and reason; the
            manifest's counts add up (rows read = used + rejected) and every other row was used;
  error   - exit status 1 and one error line naming the file (and line where it applies); the previous
            outputs and the state database are left exactly as they were;
  ok      - the run succeeds and nothing is lost (a warning where the case says so).
Never a crash, a sanitizer report, a hang or a silent loss.
"""
import atexit
import gzip, hashlib, json, os, shutil, stat, subprocess, sys, tempfile

BIN = None
TINY = None
failures = []
TIMEOUT = 120  # seconds per run; a sanitizer build is slow, a hang is far slower


def check(cond, what):
    if not cond:
        failures.append(what)
        print('  FAIL ' + what)
    return cond


WORK_DIRS = []


def remove_work_dirs():
    """The copies are removed at exit; kept (and named) when a case failed, to look at."""
    if failures:
        print('work folders kept: ' + ' '.join(WORK_DIRS))
        return
    for d in WORK_DIRS:
        shutil.rmtree(d, ignore_errors=True)


atexit.register(remove_work_dirs)


def fresh():
    work = tempfile.mkdtemp(prefix='hostile-')
    WORK_DIRS.append(work)
    for name in os.listdir(TINY):
        if not name.startswith('expected') and name != 'README.md':
            shutil.copy(os.path.join(TINY, name), work)
    return work


def path(work, name):
    return os.path.join(work, name)


def read_bytes(work, name):
    with open(path(work, name), 'rb') as f:
        return f.read()


def write_bytes(work, name, data):
    p = path(work, name)
    if os.path.isdir(p) and not os.path.islink(p):
        shutil.rmtree(p)
    elif os.path.lexists(p):
        os.remove(p)
    with open(p, 'wb') as f:
        f.write(data)


def append(work, name, data):
    with open(path(work, name), 'ab') as f:
        f.write(data)


def edit_config(work, **changes):
    cfg = json.load(open(path(work, 'config.json'), encoding='utf-8'))
    cfg.update(changes)
    with open(path(work, 'config.json'), 'w', encoding='utf-8') as f:
        json.dump(cfg, f, ensure_ascii=False)


def run(work, *extra, config='config.json'):
    try:
        p = subprocess.run([BIN, 'run', '--config', config, *extra], cwd=work, capture_output=True,
                           timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    p.stdout = p.stdout.decode('utf-8', errors='replace')
    p.stderr = p.stderr.decode('utf-8', errors='replace')
    return p


def sane(title, p):
    """No hang, no crash, no sanitizer report."""
    if not check(p is not None, f'{title}: no answer within {TIMEOUT} s (a hang?)'):
        return False
    check(p.returncode >= 0, f'{title}: killed by signal {-p.returncode}')
    for word in ('Sanitizer', 'runtime error:', 'terminate called', 'Segmentation'):
        check(word not in p.stderr, f'{title}: {word!r} in stderr: {p.stderr[-2000:]}')
    return p.returncode >= 0


def tree_digest(root):
    h = hashlib.sha256()
    for base, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(base, f)
            h.update(p[len(root):].encode())
            h.update(open(p, 'rb').read())
    return h.hexdigest()


def rejects(work):
    with open(path(work, 'out/rejects.jsonl'), encoding='utf-8') as f:
        return [json.loads(l) for l in f if l.strip()]


def manifest(work):
    return json.load(open(path(work, 'out/manifest.json'), encoding='utf-8'))


def data_rows(data, fmt):
    """Rows of a clean feed file (the tiny county's are one row per line, no blank lines)."""
    lines = [l for l in data.replace(b'\r\n', b'\n').replace(b'\r', b'\n').split(b'\n') if l.strip()]
    return len(lines) - (1 if fmt == 'csv' else 0)


def clean_rows(feed_file):
    data = open(os.path.join(TINY, feed_file), 'rb').read()
    if feed_file.endswith('.gz'):
        data = gzip.decompress(data)
    return data_rows(data, 'csv' if '.csv' in feed_file else 'jsonl')


RESULTS = []  # (case, expected, outcome) for the summary table


def expect_reject(title, work, feed, file, line, reason_part, extra_rows=1, count=1):
    """`extra_rows` rows were added to `file`; `count` of them must be rejects, the rest used."""
    print(title)
    p = run(work, '--quiet', '--max-reject-ratio', '0.5')
    if not sane(title, p):
        return
    if not check(p.returncode == 0, f'{title}: exit {p.returncode}: {p.stderr.strip()}'):
        return
    rs = [r for r in rejects(work) if r['feed'] == feed]
    check(len(rs) == count, f'{title}: {len(rs)} rejects for {feed}, expected {count}: {rs}')
    if rs:
        r = rs[0]
        check(r['file'] == file, f'{title}: reject file {r["file"]!r}')
        check(r['line'] == line, f'{title}: reject line {r["line"]}, expected {line}')
        check(reason_part in r['reason'], f'{title}: reason {r["reason"]!r} lacks {reason_part!r}')
        check(0 < len(r.get('raw', '').encode()) <= 4096, f'{title}: raw text of {len(r.get("raw", ""))} chars')
    fm = manifest(work)['feeds'][feed]
    check(fm['rows_read'] == fm['rows_used'] + fm['rows_rejected'], f'{title}: read != used + rejected')
    check(fm['rows_rejected'] == count, f'{title}: manifest says {fm["rows_rejected"]} rejected')
    want_used = clean_rows(file) + extra_rows - count
    check(fm['rows_used'] == want_used, f'{title}: {fm["rows_used"]} rows used, expected {want_used} (a loss?)')
    RESULTS.append((title, f'reject: {file}:{line} "{reason_part}"'))


def expect_error(title, work, mutate, words, config='config.json'):
    """A clean run, then the mutation: exit 1, one error line with `words`, outputs and state untouched."""
    print(title)
    p = run(work, '--quiet')
    check(p is not None and p.returncode == 0, f'{title}: the clean run failed')
    before_out = tree_digest(path(work, 'out'))
    before_db = read_bytes(work, 'state/rollmatch.db')
    mutate(work)
    p = run(work, '--quiet', config=config)
    if not sane(title, p):
        return
    check(p.returncode == 1, f'{title}: exit {p.returncode}, expected 1 ({p.stderr.strip()})')
    errors = [l for l in p.stderr.splitlines() if l.startswith('rollmatch: error:')]
    check(len(errors) == 1, f'{title}: {len(errors)} error lines: {p.stderr!r}')
    msg = errors[0] if errors else ''
    for w in words:
        check(w in msg, f'{title}: message {msg!r} lacks {w!r}')
    check(tree_digest(path(work, 'out')) == before_out, f'{title}: the previous output folder changed')
    check(read_bytes(work, 'state/rollmatch.db') == before_db, f'{title}: the state database changed')
    leftovers = [n for n in os.listdir(work) if n.startswith('out.')]
    check(not leftovers, f'{title}: staging folders left behind: {leftovers}')
    RESULTS.append((title, 'error: ' + msg[len('rollmatch: error: '):]))


def expect_ok(title, work, *extra, warning=None, rows=None):
    print(title)
    p = run(work, *extra)
    if not sane(title, p):
        return None
    if not check(p.returncode == 0, f'{title}: exit {p.returncode}: {p.stderr.strip()}'):
        return None
    warnings = [l for l in p.stderr.splitlines() if l.startswith('rollmatch: warning:')]
    if warning is not None:
        check(any(warning in w for w in warnings), f'{title}: no warning with {warning!r}: {p.stderr!r}')
        check(any(warning in w for w in manifest(work)['warnings']), f'{title}: warning not in the manifest')
    m = manifest(work)
    for feed, fm in m['feeds'].items():
        check(fm['rows_read'] == fm['rows_used'] + fm['rows_rejected'], f'{title}: {feed}: read != used + rejected')
    for feed, n in (rows or {}).items():
        check(m['feeds'][feed]['rows_used'] == n, f'{title}: {feed}: {m["feeds"][feed]["rows_used"]} rows used, '
              f'expected {n}')
    RESULTS.append((title, 'ok' + (f', warning: {warnings[0][len("rollmatch: warning: "):]}' if warnings else '')))
    return p


ROLL_HEADER = 'record_id,id_number,name,gender,birth_date,district_code,region_code,basis,registered_date\n'
ROLL_ROW = 'R9{0:02d},32048119800512{0:04d},张{0},男,1980-05-12,32048110101,320481101201,hukou,2021-10-01\n'


def roll_line_count():
    return clean_rows('roll.csv') + 1  # the header is line 1


def flag_keys(work):
    keys = set()
    for l in open(path(work, 'out/flags.jsonl'), encoding='utf-8'):
        if l.strip():
            f = json.loads(l)
            keys.add((f['code'], f['subject']['feed'], f['subject']['record_id']))
    return keys


def main():
    global BIN, TINY
    BIN, TINY = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    n = roll_line_count()

    # --- empty files ---
    w = fresh()
    expect_error('0-byte file (optional feed)', w, lambda w: write_bytes(w, 'rights.csv', b''),
                 ['rights.csv', 'empty file (0 bytes)'])
    w = fresh()
    expect_error('0-byte file (required feed, JSON Lines)', w, lambda w: write_bytes(w, 'hukou.jsonl', b''),
                 ['hukou.jsonl', 'empty file (0 bytes)'])
    w = fresh()
    write_bytes(w, 'rights.csv', b'record_id,id_number,name,kind,from_date,to_date\r\n')
    expect_ok('file with only a header (optional feed)', w, warning='rights.csv: no rows', rows={'rights': 0})
    w = fresh()
    expect_error('file with only a header (districts)', w,
                 lambda w: write_bytes(w, 'districts.csv', b'district_code,district_name,township_code,kind,region_codes\n'),
                 ['districts', 'districts.csv', 'cannot be empty'])
    w = fresh()
    # An empty roll is real (before a drive's first registration): everyone eligible is missing.
    write_bytes(w, 'roll.csv', b'\xef\xbb\xbf' + ROLL_HEADER.encode())
    expect_ok('file with only a header (the roll)', w, warning='roll.csv: no rows', rows={'roll': 0})

    # --- headers ---
    w = fresh()
    def drop_column(w):
        text = read_bytes(w, 'roll.csv').decode('utf-8-sig')
        write_bytes(w, 'roll.csv', text.replace('district_code', 'district').encode())
    expect_error('header lacks a required column', w, drop_column, ['roll.csv:1:', 'district_code'])
    w = fresh()
    def twice(w):
        text = read_bytes(w, 'roll.csv').decode('utf-8-sig')
        write_bytes(w, 'roll.csv', text.replace('registered_date', 'name', 1).encode())
    expect_error('header names a column twice', w, twice, ['roll.csv:1:', 'name', 'twice'])

    # --- long lines, bytes ---
    w = fresh()
    append(w, 'roll.csv', ('R990,320481198005121014,' + 'x' * (50 << 20) +
                           ',男,1980-05-12,32048110101,320481101201,hukou,2021-10-01\n').encode())
    expect_reject('50 MB single line (CSV, a 50 MB name)', w, 'roll', 'roll.csv', n + 1, 'bytes long')
    w = fresh()
    append(w, 'hukou.jsonl', b'{"record_id": "H990", "id_number": "320481198005121022", "region_code": '
                             b'"320481101201", "name": "' + b'\xe5\xbc\xa0' * (17 << 20) + b'"}\n')
    expect_reject('50 MB single line (JSON Lines)', w, 'hukou', 'hukou.jsonl', clean_rows('hukou.jsonl') + 1,
                  'bytes long')
    w = fresh()
    append(w, 'roll.csv', b'y' * (50 << 20))  # no line end at all
    expect_reject('50 MB single line (no commas, no line end)', w, 'roll', 'roll.csv', n + 1, 'column count')
    w = fresh()
    append(w, 'roll.csv', ROLL_ROW.format(1).replace('张1', '张\x001').encode())
    expect_reject('NUL byte (CSV)', w, 'roll', 'roll.csv', n + 1, 'NUL')
    w = fresh()
    append(w, 'hukou.jsonl', b'{"record_id": "H991", "id_number": "1", "name": "a\\u0000b", "region_code": '
                             b'"320481101201"}\n')
    expect_reject('NUL character (JSON \\u0000)', w, 'hukou', 'hukou.jsonl', clean_rows('hukou.jsonl') + 1, 'NUL')
    w = fresh()
    append(w, 'roll.csv', ROLL_ROW.format(2).replace('张2', '"张2').encode() + ROLL_ROW.format(3).encode() +
           ROLL_ROW.format(4).encode())
    expect_reject('unbalanced quote running to the end of the file', w, 'roll', 'roll.csv', n + 1,
                  'unbalanced quote', extra_rows=3)
    w = fresh()
    text = read_bytes(w, 'roll.csv')
    write_bytes(w, 'roll.csv', text.replace(b'\r\n', b'\n').replace(b'\n', b'\r'))
    p = expect_ok('CR-only line ends', w, rows={'roll': clean_rows('roll.csv')})
    if p is not None:
        clean = fresh()
        run(clean, '--quiet')
        check(flag_keys(w) == flag_keys(clean), 'CR-only line ends: flags differ from the LF run')
    w = fresh()
    append(w, 'roll.csv', b'\xef\xbb\xbf' + ROLL_HEADER.encode() + ROLL_ROW.format(5).encode())
    expect_reject('BOM in the middle (two files joined)', w, 'roll', 'roll.csv', n + 1, 'byte-order mark',
                  extra_rows=2)
    w = fresh()
    append(w, 'roll.csv', ROLL_ROW.format(6).encode().replace('张'.encode(), b'\xe5\xbc'))
    expect_reject('invalid UTF-8 in a UTF-8 feed', w, 'roll', 'roll.csv', n + 1, 'invalid UTF-8')

    # --- JSON ---
    w = fresh()
    append(w, 'hukou.jsonl', b'{"record_id": "H992", "x": ' + b'[' * 100000 + b']' * 100000 + b'}\n')
    expect_reject('JSON nested 100,000 levels deep', w, 'hukou', 'hukou.jsonl', clean_rows('hukou.jsonl') + 1,
                  'broken JSON')
    w = fresh()
    append(w, 'hukou.jsonl', '{"record_id": "H993", "id_number": "320481198005121022", "name": "张三", '
                             '"id_number": "320481198005121030", "region_code": "320481101201"}\n'.encode())
    expect_reject('JSON with duplicate keys', w, 'hukou', 'hukou.jsonl', clean_rows('hukou.jsonl') + 1,
                  'id_number appears twice')
    w = fresh()
    lines = read_bytes(w, 'hukou.jsonl').decode().splitlines()
    numeric = []
    for l in lines:
        r = json.loads(l)
        for k in ('id_number', 'region_code'):
            if r.get(k, '').isdigit() and not r[k].startswith('0'):
                r[k] = int(r[k])  # a JSON number: 320481198005121014 must stay exact
        numeric.append(json.dumps(r, ensure_ascii=False))
    write_bytes(w, 'hukou.jsonl', ('\n'.join(numeric) + '\n').encode())
    p = expect_ok('numbers where strings are expected', w, '--quiet', rows={'hukou': clean_rows('hukou.jsonl')})
    if p is not None:
        clean = fresh()
        run(clean, '--quiet')
        check(flag_keys(w) == flag_keys(clean), 'numbers where strings are expected: flags differ')
        ids = {json.loads(l)['person']['id_number'] for l in open(path(w, 'out/flags.jsonl'), encoding='utf-8')}
        check('320481198005121030' in ids, 'numbers where strings are expected: 18-digit ID not kept exactly')
    w = fresh()
    append(w, 'roll.csv', 'R001,320481198005121014,张伟,男,1980-05-12,32048110101,320481101201,hukou,'
                          '2021-10-01\n'.encode())
    expect_reject('duplicated record_id within a feed', w, 'roll', 'roll.csv', n + 1,
                  'repeated record_id R001 (first at roll.csv:2)')

    # --- files ---
    w = fresh()
    expect_error('truncated gzip', w,
                 lambda w: write_bytes(w, 'social.jsonl.gz', read_bytes(w, 'social.jsonl.gz')[:-20]),
                 ['social.jsonl.gz', 'truncated gzip'])
    w = fresh()
    def make_dir(w):
        os.remove(path(w, 'rights.csv'))
        os.mkdir(path(w, 'rights.csv'))
    expect_error('a directory where a file should be', w, make_dir, ['rights.csv', 'not a regular file'])
    w = fresh()
    def make_fifo(w):
        os.remove(path(w, 'rights.csv'))
        os.mkfifo(path(w, 'rights.csv'))
    expect_error('a FIFO where a file should be', w, make_fifo, ['rights.csv', 'not a regular file'])
    w = fresh()
    os.mkfifo(path(w, 'fifo.json'))
    expect_error('a FIFO where the configuration should be', w, lambda w: None, ['fifo.json', 'not a regular file'],
                 config='fifo.json')

    # --- configuration ---
    w = fresh()
    feeds_dir = w + '-feeds'
    os.mkdir(feeds_dir)
    WORK_DIRS.append(feeds_dir)
    cfg = json.load(open(path(w, 'config.json'), encoding='utf-8'))
    for feed, files in cfg['feeds'].items():
        for f in files:
            shutil.move(path(w, f), os.path.join(feeds_dir, f))
        cfg['feeds'][feed] = ['../' + os.path.basename(feeds_dir) + '/' + f for f in files]
    cfg['encodings'] = {'migrant.csv': 'GB18030'}
    with open(path(w, 'config.json'), 'w', encoding='utf-8') as f:
        json.dump(cfg, f, ensure_ascii=False)
    expect_ok('configuration pointing outside its folder through ..', w, '--quiet',
              rows={'roll': clean_rows('roll.csv'), 'migrant': clean_rows('migrant.csv')})
    w = fresh()
    def environ(w):
        edit_config(w, feeds={**json.load(open(path(w, 'config.json')))['feeds'], 'rights': ['/proc/self/environ']})
    expect_error('configuration pointing into /proc', w, environ, ['config.json', '/proc/self/environ', '/proc'])
    w = fresh()
    expect_error('configuration pointing into /dev through ..', w,
                 lambda w: edit_config(w, out='../' * 30 + 'dev/null'), ['config.json', '"out"', '/dev/null'])
    w = fresh()
    expect_error('election day that is not a date', w, lambda w: edit_config(w, election_day='2026-02-30'),
                 ['config.json', 'election_day', '2026-02-30'])
    w = fresh()
    expect_error('election day that is not a date (words)', w, lambda w: edit_config(w, election_day='next\nMonday'),
                 ['config.json', 'election_day', 'next\\x0AMonday'])
    w = fresh()
    expect_error('scope that is not a region code', w, lambda w: edit_config(w, scope='32048'),
                 ['config.json', 'scope', '32048'])
    w = fresh()
    expect_error('scope that is not a region code (letters)', w, lambda w: edit_config(w, scope='32O481'),
                 ['config.json', 'scope', '32O481'])
    w = fresh()
    expect_ok('feeds whose records are all outside the scope', w, '--scope', '110101',
              warning='inside scope 110101')

    print()
    print('| case | outcome |')
    print('|---|---|')
    for title, outcome in RESULTS:
        print(f'| {title} | {outcome.replace("|", "/")} |')
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
