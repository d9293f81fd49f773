#!/usr/bin/env python3
"""Bad input, end to end through the real binary (spec/feeds.md "Bad input").

usage: bad_input_test.py ROLLMATCH_BINARY TINY_COUNTY_DIR

Each case starts from a copy of the tiny county, breaks one thing, and checks that the row becomes a
reject (with feed, file, line, reason, raw text; rows read = used + rejected in the manifest) or that
the run fails with exit status 1 and one clear message naming the file (and line), leaving the
previous run's output folder and state database exactly as they were.
"""
import atexit
import hashlib, json, os, shutil, subprocess, sys, tempfile

BIN = None
TINY = None
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('  FAIL ' + what)


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
    work = tempfile.mkdtemp(prefix='badinput-')
    WORK_DIRS.append(work)
    for name in os.listdir(TINY):
        if not name.startswith('expected') and name != 'README.md':
            shutil.copy(os.path.join(TINY, name), work)
    return work


def run(work, *extra):
    return subprocess.run([BIN, 'run', '--config', 'config.json', '--quiet', *extra], cwd=work,
                          capture_output=True, text=True, timeout=60)


def tree_digest(path):
    h = hashlib.sha256()
    for root, dirs, files in sorted(os.walk(path)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            h.update(p[len(path):].encode())
            h.update(open(p, 'rb').read())
    return h.hexdigest()


def rejects(work):
    with open(os.path.join(work, 'out', 'rejects.jsonl'), encoding='utf-8') as f:
        return [json.loads(l) for l in f if l.strip()]


def manifest(work):
    return json.load(open(os.path.join(work, 'out', 'manifest.json'), encoding='utf-8'))


def append(work, name, data):
    with open(os.path.join(work, name), 'ab') as f:
        f.write(data)


def expect_reject(title, work, feed, file, line, reason_part, ratio='0.5'):
    print(title)
    p = run(work, '--max-reject-ratio', ratio)
    check(p.returncode == 0, f'{title}: exit {p.returncode}: {p.stderr.strip()}')
    if p.returncode != 0:
        return
    rs = [r for r in rejects(work) if r['feed'] == feed]
    check(len(rs) == 1, f'{title}: {len(rs)} rejects for {feed}, expected 1')
    if rs:
        r = rs[0]
        check(r['file'] == file, f'{title}: reject file {r["file"]!r}')
        check(r['line'] == line, f'{title}: reject line {r["line"]}, expected {line}')
        check(reason_part in r['reason'], f'{title}: reason {r["reason"]!r} lacks {reason_part!r}')
        check(len(r.get('raw', '')) > 0, f'{title}: reject has no raw text')
    m = manifest(work)
    fm = m['feeds'][feed]
    check(fm['rows_read'] == fm['rows_used'] + fm['rows_rejected'], f'{title}: read != used + rejected')
    check(fm['rows_rejected'] == 1, f'{title}: manifest says {fm["rows_rejected"]} rejected')


def expect_failure(title, work, mutate, words):
    """Runs once cleanly, mutates, runs again: must fail naming `words`, leaving out/ and state intact."""
    print(title)
    p = run(work)
    check(p.returncode == 0, f'{title}: the clean run failed: {p.stderr.strip()}')
    before_out = tree_digest(os.path.join(work, 'out'))
    before_db = open(os.path.join(work, 'state', 'rollmatch.db'), 'rb').read()
    mutate(work)
    p = run(work)
    check(p.returncode == 1, f'{title}: exit {p.returncode}, expected 1')
    msg = p.stderr.strip()
    for w in words:
        check(w in msg, f'{title}: message {msg!r} lacks {w!r}')
    check(msg.startswith('rollmatch: error:'), f'{title}: message does not start with "rollmatch: error:"')
    check(tree_digest(os.path.join(work, 'out')) == before_out, f'{title}: the previous output folder changed')
    check(open(os.path.join(work, 'state', 'rollmatch.db'), 'rb').read() == before_db,
          f'{title}: the state database changed')
    leftovers = [n for n in os.listdir(work) if n.startswith('out.')]
    check(not leftovers, f'{title}: staging folders left behind: {leftovers}')


def main():
    global BIN, TINY
    BIN, TINY = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])

    w = fresh()
    append(w, 'hukou.jsonl', b'{"record_id": "H900", "id_number": "320481198005121014", "name": "\xe5\xbc\xa0\n')
    expect_reject('broken JSON line', w, 'hukou', 'hukou.jsonl', 18, 'JSON')

    w = fresh()
    append(w, 'roll.csv', 'R900,320481198005121014,张伟,男\n'.encode())
    expect_reject('CSV row with too few columns', w, 'roll', 'roll.csv', 19, 'column')

    w = fresh()
    append(w, 'roll.csv', 'R901,320481198005121014,,男,1980-05-12,32048110101,320481101201,hukou,2021-10-01\n'.encode())
    expect_reject('empty required field', w, 'roll', 'roll.csv', 19, 'name')

    w = fresh()
    append(w, 'migrant.csv', b'M900,341221198808081180,\xff\xfe\xfd,1,1988-08-08,341221104201,320481101203,,2024-02-01,\n')
    expect_reject('invalid GB18030 bytes', w, 'migrant', 'migrant.csv', 5, 'GB18030')

    w = fresh()
    append(w, 'roll.csv', 'R001,320481198005121014,张伟,男,1980-05-12,32048110101,320481101201,hukou,2021-10-01\n'.encode())
    expect_reject('repeated record_id', w, 'roll', 'roll.csv', 19, 'R001')

    w = fresh()
    def too_many_rejects(work):
        append(work, 'roll.csv', b'R950,1\nR951,2\nR952,3\n')
    expect_failure('reject ratio over the limit', w, too_many_rejects, ['roll', 'max_reject_ratio', 'roll.csv:19'])

    w = fresh()
    expect_failure('missing feed file', w, lambda work: os.remove(os.path.join(work, 'rights.csv')),
                   ['rights.csv'])

    w = fresh()
    def broken_config(work):
        with open(os.path.join(work, 'config.json'), 'a') as f:
            f.write('{{{')
    expect_failure('unreadable configuration', w, broken_config, ['config.json', 'JSON'])

    w = fresh()
    def bad_day(work):
        cfg = json.load(open(os.path.join(work, 'config.json')))
        cfg['election_day'] = '2026-02-30'
        json.dump(cfg, open(os.path.join(work, 'config.json'), 'w'))
    expect_failure('election day that is not a date', w, bad_day, ['config.json', 'election_day'])

    w = fresh()
    def bad_header(work):
        text = open(os.path.join(work, 'roll.csv'), encoding='utf-8-sig').read()
        open(os.path.join(work, 'roll.csv'), 'w', encoding='utf-8').write(text.replace('district_code', 'district'))
    expect_failure('header without a required column', w, bad_header, ['roll.csv', 'district_code'])

    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
