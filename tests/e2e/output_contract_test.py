#!/usr/bin/env python3
"""The output contract (spec/outputs.md), checked our own way on a generated county.

usage: output_contract_test.py ROLLMATCH ROLLMATCH_GEN

Generates a county (20,000 people, full noise), runs the real binary and checks: every flag has every
key of the contract with the right types; codes and categories match; every record a flag names exists
in the feeds (record ids unchanged); keep is one of a DUPLICATE's roll records; a roll record has at
most one eligibility flag; flag_ids are unique and stable across two runs of the same feeds; the
township is 9 digits and listed first in townships; stats.csv and stats.json hold the same rows with
every column; township CSVs start with a UTF-8 BOM and hold only their township's flags; the manifest
counts rows read = used + rejected per feed and names every input file with size and hash.
"""
import csv, gzip, io, json, os, shutil, subprocess, sys, tempfile

CODES = {'WRONG_NOT_FOUND': 'wrong', 'WRONG_DECEASED': 'wrong', 'WRONG_NO_RIGHTS': 'wrong',
         'WRONG_UNDERAGE': 'wrong', 'WRONG_MOVED_OUT': 'wrong', 'WRONG_DISTRICT': 'wrong',
         'WRONG_DETAILS': 'wrong', 'DUPLICATE': 'duplicate', 'MISSING_ELIGIBLE': 'missing',
         'MISSING_MIGRANT': 'missing'}
ELIGIBILITY = [c for c in CODES if c.startswith('WRONG_') and c != 'WRONG_DETAILS']
problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def feed_ids(world, cfg):
    ids = {}
    for feed, files in cfg['feeds'].items():
        if feed == 'districts':
            continue
        s = set()
        for name in files:
            path = os.path.join(world, name)
            raw = gzip.open(path, 'rb').read() if name.endswith('.gz') else open(path, 'rb').read()
            enc = 'gb18030' if cfg.get('encodings', {}).get(name, '').upper() in ('GB18030', 'GBK') else 'utf-8'
            text = raw.decode(enc, errors='replace').lstrip('\ufeff')
            if '.jsonl' in name:
                for line in text.splitlines():
                    try:
                        s.add(str(json.loads(line)['record_id']))
                    except Exception:
                        pass
            else:
                for row in csv.DictReader(io.StringIO(text)):
                    if row.get('record_id'):
                        s.add(row['record_id'])
        ids[feed] = s
    return ids


def run(rm, world, out):
    p = subprocess.run([rm, 'run', '--config', os.path.join(world, 'config.json'), '--out', out, '--quiet'],
                       capture_output=True, text=True)
    check(p.returncode == 0, f'rollmatch exited {p.returncode}: {p.stderr.strip()}')
    return [json.loads(l) for l in open(os.path.join(out, 'flags.jsonl'), encoding='utf-8') if l.strip()]


def main():
    rm, gen = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix='contract-')
    try:
        world = os.path.join(work, 'county')
        subprocess.run([gen, '--persons', '20000', '--seed', '5', '--noise', 'full', '--out', world], check=True,
                       stdout=subprocess.DEVNULL)
        cfg = json.load(open(os.path.join(world, 'config.json'), encoding='utf-8'))
        ids = feed_ids(world, cfg)
        out = os.path.join(work, 'out1')
        flags = run(rm, world, out)
        check(len(flags) > 1000, f'only {len(flags)} flags')
        elig = {}
        for f in flags:
            for k, t in [('flag_id', str), ('code', str), ('category', str), ('township', str), ('townships', list),
                         ('subject', dict), ('records', list), ('person', dict), ('confidence', (int, float)),
                         ('evidence', dict), ('review', str)]:
                check(isinstance(f.get(k), t), f'{f.get("flag_id")}: key {k} missing or not {t}')
            code = f['code']
            check(CODES.get(code) == f['category'], f'{code} has category {f["category"]}')
            check(len(f['township']) == 9 and f['township'].isdigit(), f'township {f["township"]}')
            check(f['townships'][:1] == [f['township']], f'{f["flag_id"]}: township not first in townships')
            check(0 <= f['confidence'] <= 1, f'confidence {f["confidence"]}')
            check(f['review'] in ('open', 'confirmed', 'dismissed'), f'review {f["review"]}')
            for r in f['records'] + [f['subject']] + ([f['keep']] if 'keep' in f else []):
                check(r['record_id'] in ids.get(r['feed'], ()), f'{code}: {r["feed"]}:{r["record_id"]} not in the feeds')
            if code == 'DUPLICATE':
                rolls = [r for r in f['records'] if r['feed'] == 'roll']
                check(len(rolls) >= 2, 'DUPLICATE with fewer than 2 registrations')
                check(f.get('keep') in rolls and f['subject'] == f['keep'], 'keep is not one of the registrations')
            else:
                check('keep' not in f, f'{code} has keep')
            if code.startswith('WRONG_'):
                check(f['subject']['feed'] == 'roll', f'{code} subject is not a registration')
            if code in ELIGIBILITY:
                elig[f['subject']['record_id']] = elig.get(f['subject']['record_id'], 0) + 1
            if code == 'MISSING_ELIGIBLE':
                check(f['subject']['feed'] == 'hukou', 'MISSING_ELIGIBLE subject')
                check(f['evidence'].get('reason') in ('rights_restored', 'new_adult', 'moved_in', 'other'), 'reason')
            if code == 'WRONG_DETAILS':
                check(len(f['evidence'].get('fields', [])) > 0, 'WRONG_DETAILS without fields')
        check(all(v == 1 for v in elig.values()), 'a registration with two eligibility flags')
        fids = [f['flag_id'] for f in flags]
        check(len(fids) == len(set(fids)), 'flag_id repeated')
        # The same feeds, run again: the same flag ids.
        again = run(rm, world, os.path.join(work, 'out2'))
        check(sorted(fids) == sorted(f['flag_id'] for f in again), 'flag ids differ between two runs of the same feeds')
        # Statistics.
        with open(os.path.join(out, 'stats.csv'), 'rb') as fh:
            check(fh.read(3) == b'\xef\xbb\xbf', 'stats.csv has no BOM')
        rows = list(csv.DictReader(open(os.path.join(out, 'stats.csv'), encoding='utf-8-sig')))
        cols = ['region_code', 'level', 'eligible_hukou', 'registered_hukou', 'registration_rate', 'eligible_migrant',
                'registered_migrant', 'roll_records'] + list(CODES)
        check(rows and all(c in rows[0] for c in cols), 'stats.csv lacks columns')
        sj = json.load(open(os.path.join(out, 'stats.json'), encoding='utf-8'))
        check(len(sj['rows']) == len(rows), 'stats.json and stats.csv differ in rows')
        scope = [r for r in rows if r['level'] == 'scope']
        check(len(scope) == 1, 'not one scope row')
        for c in CODES:
            check(int(scope[0][c]) == sum(1 for f in flags if f['code'] == c), f'scope {c} count differs from flags')
        # Township folders.
        tdir = os.path.join(out, 'townships')
        for t in os.listdir(tdir):
            p = os.path.join(tdir, t, 'flags.csv')
            data = open(p, 'rb').read()
            check(data[:3] == b'\xef\xbb\xbf', f'{t}/flags.csv has no BOM')
            listed = {r['标识'] for r in csv.DictReader(io.StringIO(data.decode('utf-8-sig')))} if '标识' in data.decode('utf-8-sig').split('\n')[0] else set()
            want = {f['flag_id'] for f in flags if t in f['townships']}
            check(listed == want, f'{t}/flags.csv lists {len(listed)} flags, {len(want)} expected')
        # Manifest.
        m = json.load(open(os.path.join(out, 'manifest.json'), encoding='utf-8'))
        for feed, fm in m['feeds'].items():
            check(fm['rows_read'] == fm['rows_used'] + fm['rows_rejected'], f'{feed}: read != used + rejected')
            for fi in fm['files']:
                check(fi['size_bytes'] > 0 and len(fi['xxh3_64']) == 16, f'{feed}: file entry incomplete')
        check(sum(m['flags_by_code'].values()) == len(flags), 'manifest flag count')
        check(m['peak_rss_bytes'] > 0 and len(m['stages']) >= 5, 'manifest stages / peak memory')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for p in problems[:30]:
        print('FAIL ' + p)
    print(f'{len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
