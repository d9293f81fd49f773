#!/usr/bin/env python3
"""A month of nightly runs (issue 6): the feeds change a little every night, as in a registration drive,
and the state database must say exactly what changed.

usage: nightly_month_test.py ROLLMATCH ROLLMATCH_GEN [--nights 30] [--persons N]

Night 1 runs on a generated county (noise `full`). Before each later night the feeds change:
  births turning 18  new hukou records of persons who turn 18 before election day (MISSING_ELIGIBLE
                     new_adult appears);
  moves in           new hukou records moved in this year (MISSING_ELIGIBLE moved_in);
  deaths, moves out  hukou records set to deceased / moved_out (a registered person's flag
                     WRONG_DECEASED / WRONG_MOVED_OUT appears, an unregistered one's MISSING_ELIGIBLE
                     goes);
  clerks at work     registrations added for persons of last night's MISSING_ELIGIBLE flags, and
                     registrations of last night's WRONG_DECEASED / WRONG_MOVED_OUT / WRONG_NOT_FOUND /
                     WRONG_UNDERAGE / WRONG_NO_RIGHTS flags deleted.
On night 2 the staff's decisions on a few flags are imported (`rollmatch review import`).
Each night, with F(k) the flag_ids of OUT/flags.jsonl:
  - `new` is true exactly for F(k) − F(k−1), and manifest flag_history.new is its size;
  - OUT/resolved_flags.jsonl lists exactly F(k−1) − F(k), and flag_history.resolved is its size;
  - first_run is the run of the first night that raised the flag (also for a flag that went away and
    came back); person_key stays the same for a flag_id while its person keeps their ID;
  - every decided flag still raised carries its decision (review), night after night;
  - `rollmatch history` lists every night with these counts and the change in flags since the night
    before; person keys and the state database hold no ID number.
"""
import argparse, csv, gzip, io, json, os, random, re, shutil, sqlite3, subprocess, sys, tempfile

failures = []
ID_SHAPE = re.compile(r'(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])')
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
REMOVABLE = {'WRONG_DECEASED', 'WRONG_MOVED_OUT', 'WRONG_NOT_FOUND', 'WRONG_UNDERAGE', 'WRONG_NO_RIGHTS'}
DECISION_COL, FLAG_ID_COL = 17, 16


def check(cond, what):
    if not cond:
        failures.append(what)
        print('  FAIL ' + what, flush=True)
    return cond


def run(*args, cwd=None):
    p = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=900)
    return p.returncode, p.stdout, p.stderr


def with_check_char(first17):
    return first17 + '10X98765432'[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


class Feeds:
    """The county's hukou and roll feeds as lines, editable; other feeds untouched."""

    def __init__(self, folder):
        self.folder = folder
        self.hukou = []  # dict, or str for an unreadable line (kept as is)
        with open(os.path.join(folder, 'hukou.jsonl'), encoding='utf-8') as f:
            for line in f:
                line = line.rstrip('\n')
                try:
                    self.hukou.append(json.loads(line))
                except ValueError:
                    self.hukou.append(line)
        with open(os.path.join(folder, 'roll.csv'), encoding='utf-8-sig', newline='') as f:
            rows = list(csv.reader(f))
        self.roll_header, self.roll = rows[0], rows[1:]
        with open(os.path.join(folder, 'districts.csv'), encoding='utf-8-sig', newline='') as f:
            self.district_of = {}
            for d in csv.DictReader(f):
                if d['kind'] == 'area':
                    for region in d['region_codes'].split(';'):
                        self.district_of[region] = d['district_code']
        self.ids = {str(h.get('id_number')) for h in self.hukou if isinstance(h, dict)}

    def save(self):
        with open(os.path.join(self.folder, 'hukou.jsonl'), 'w', encoding='utf-8') as f:
            for h in self.hukou:
                f.write((json.dumps(h, ensure_ascii=False) if isinstance(h, dict) else h) + '\n')
        with open(os.path.join(self.folder, 'roll.csv'), 'w', encoding='utf-8-sig', newline='') as f:
            csv.writer(f, lineterminator='\r\n').writerows([self.roll_header] + self.roll)

    def hukou_by_id(self):
        return {h['record_id']: h for h in self.hukou if isinstance(h, dict)}

    def new_id(self, rng, county, birth):
        while True:
            first17 = county + birth.replace('-', '') + f'{rng.randrange(1000):03d}'
            i = with_check_char(first17)
            if i not in self.ids:
                self.ids.add(i)
                return i


def change_night(feeds, rng, night, last_flags, county):
    """Applies one night's changes; returns what was done."""
    done = {'births': 0, 'moved_in': 0, 'deaths': 0, 'moved_out': 0, 'registered': 0, 'deleted': 0}
    normal = [h for h in feeds.hukou if isinstance(h, dict) and h.get('status') in ('normal', '正常', '', None)
              and str(h.get('region_code', '')).strip() in feeds.district_of]
    template = rng.choice(normal)
    for kind, n in (('births', 2), ('moved_in', 1)):
        for i in range(n):
            birth = f'2008-{rng.randint(9, 12):02d}-{rng.randint(1, 15):02d}' if kind == 'births' else '1985-03-03'
            h = dict(template)
            h.update({'record_id': f'HN{night:02d}{kind[0]}{i}', 'birth_date': birth,
                      'id_number': feeds.new_id(rng, county, birth), 'former_names': '',
                      'status': 'normal', 'status_date': '2026-06-01' if kind == 'moved_in' else birth,
                      'region_code': rng.choice(normal)['region_code']})
            feeds.hukou.append(h)
            done[kind] += 1
    for kind, status in (('deaths', 'deceased'), ('moved_out', 'moved_out')):
        for h in rng.sample(normal, 2):
            h['status'], h['status_date'] = status, '2026-07-01'
            done[kind] += 1
    hukou = feeds.hukou_by_id()
    missing = [f for f in last_flags if f['code'] == 'MISSING_ELIGIBLE' and f['subject']['record_id'] in hukou]
    for n, f in enumerate(rng.sample(missing, min(4, len(missing)))):
        h = hukou[f['subject']['record_id']]
        region = str(h['region_code']).strip()
        if region not in feeds.district_of or h.get('status') not in ('normal', '正常', '', None):
            continue
        row = dict(zip(feeds.roll_header, [''] * len(feeds.roll_header)))
        row.update({'record_id': f'RN{night:02d}{n}', 'id_number': str(h['id_number']), 'name': h['name'],
                    'gender': h['gender'], 'birth_date': h['birth_date'], 'district_code': feeds.district_of[region],
                    'region_code': region, 'basis': 'hukou', 'registered_date': '2026-09-01'})
        feeds.roll.append([row[c] for c in feeds.roll_header])
        done['registered'] += 1
    wrong = {f['subject']['record_id'] for f in last_flags if f['code'] in REMOVABLE}
    delete = set(rng.sample(sorted(wrong), min(3, len(wrong))))
    before = len(feeds.roll)
    feeds.roll = [r for r in feeds.roll if not r or r[0] not in delete]
    done['deleted'] = before - len(feeds.roll)
    return done


def load_jsonl(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(l) for l in f if l.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('rollmatch')
    ap.add_argument('gen')
    ap.add_argument('--nights', type=int, default=30)
    ap.add_argument('--persons', type=int, default=10000)
    ap.add_argument('--seed', type=int, default=30)
    a = ap.parse_args()
    rm = os.path.abspath(a.rollmatch)
    work = tempfile.mkdtemp(prefix='rollmatch-month-')
    try:
        county_dir = os.path.join(work, 'county')
        subprocess.run([a.gen, '--persons', str(a.persons), '--seed', str(a.seed), '--noise', 'full', '--out',
                        county_dir], check=True, capture_output=True)
        config = os.path.join(county_dir, 'config.json')
        county = json.load(open(config))['scope']
        out = os.path.join(county_dir, 'out')
        db = os.path.join(county_dir, 'state', 'rollmatch.db')
        feeds = Feeds(county_dir)
        rng = random.Random(a.seed)
        prev_ids, first_run, person_key, decided = None, {}, {}, {}
        run_ids, figures = [], []
        flags = []
        for night in range(1, a.nights + 1):
            if night > 1:
                done = change_night(feeds, rng, night, flags, county)
                feeds.save()
            rc, _, err = run(rm, 'run', '--config', config, '--quiet', cwd=county_dir)
            if not check(rc == 0, f'night {night}: run failed: {err[-400:]}'):
                break
            check(not ID_SHAPE.search(err), f'night {night}: an ID number in the log')
            manifest = json.load(open(os.path.join(out, 'manifest.json')))
            flags = load_jsonl(os.path.join(out, 'flags.jsonl'))
            resolved = load_jsonl(os.path.join(out, 'resolved_flags.jsonl'))
            run_id = manifest['run_id']
            ids = {f['flag_id'] for f in flags}
            check(len(ids) == len(flags), f'night {night}: flag ids unique')
            new = ids - prev_ids if prev_ids is not None else ids
            gone = prev_ids - ids if prev_ids is not None else set()
            hist = manifest['flag_history']
            check(hist['previous_run'] == (run_ids[-1] if run_ids else ''), f'night {night}: previous_run')
            check({f['flag_id'] for f in flags if f['new']} == new, f'night {night}: "new" marks F(k) - F(k-1)')
            check(hist['new'] == len(new), f'night {night}: manifest new {hist["new"]} != {len(new)}')
            check({r['flag_id'] for r in resolved} == gone, f'night {night}: resolved_flags.jsonl = F(k-1) - F(k)')
            check(hist['resolved'] == len(gone), f'night {night}: manifest resolved {hist["resolved"]} != {len(gone)}')
            for f in flags:
                fid = f['flag_id']
                first_run.setdefault(fid, run_id)
                check(f['first_run'] == first_run[fid], f'night {night}: first_run of {fid}')
                if fid in person_key and f['person']['id_number'] == person_key[fid][1]:
                    check(f['person_key'] == person_key[fid][0], f'night {night}: person_key of {fid} changed')
                person_key[fid] = (f['person_key'], f['person']['id_number'])
                check(not ID_SHAPE.search(f['person_key']), 'person_key holds no ID number')
                if fid in decided:
                    check(f['review'] == decided[fid], f'night {night}: decision of {fid} kept')
            run_ids.append(run_id)
            figures.append((len(flags), len(new), len(gone)))
            print(f'night {night:2}: {len(flags)} flags, {len(new)} new, {len(gone)} resolved'
                  + (f'  (changes: {done})' if night > 1 else ''), flush=True)
            prev_ids = ids
            if night == 2:
                # The staff decide a few flags of one township, returned as the township's flags.csv.
                townships = sorted(os.listdir(os.path.join(out, 'townships')))
                t = townships[0]
                src = os.path.join(out, 'townships', t, 'flags.csv')
                with open(src, encoding='utf-8-sig', newline='') as f:
                    rows = list(csv.reader(f))
                for i, r in enumerate(rows[1:6]):
                    word = '确认' if i % 2 == 0 else '驳回'
                    r[DECISION_COL] = word
                    decided[r[FLAG_ID_COL]] = 'confirmed' if word == '确认' else 'dismissed'
                returned = os.path.join(work, f'returned-{t}.csv')
                with open(returned, 'w', encoding='utf-8-sig', newline='') as f:
                    csv.writer(f, lineterminator='\r\n').writerows(rows)
                rc, _, err = run(rm, 'review', 'import', '--config', config, returned, cwd=county_dir)
                check(rc == 0, f'review import: {err}')
        # rollmatch history: one line per night with the same figures.
        rc, text, err = run(rm, 'history', '--config', config, cwd=county_dir)
        check(rc == 0, f'history: {err}')
        lines = {l.split()[0]: l.split() for l in text.splitlines() if l.split() and l.split()[0] in run_ids}
        check(len(lines) == len(run_ids), f'history lists every night ({len(lines)} of {len(run_ids)})')
        for k, rid in enumerate(run_ids):
            cols = lines.get(rid, [])
            if len(cols) < 13:
                continue
            total, new, gone = figures[k]
            delta = '-' if k == 0 else (f'+{total - figures[k - 1][0]}' if total > figures[k - 1][0]
                                        else str(total - figures[k - 1][0]))
            check(cols[-4:] == [str(total), delta, str(new), str(gone)],
                  f'history night {k + 1}: {cols[-4:]} != {[str(total), delta, str(new), str(gone)]}')
        print(text.splitlines()[0])
        for l in text.splitlines()[1:4]:
            print(l)
        # The state database holds no ID number.
        dump = '\n'.join(sqlite3.connect(db).iterdump())
        check(not ID_SHAPE.search(dump), 'the state database holds no ID number')
        with sqlite3.connect(db) as c:
            check(c.execute('PRAGMA journal_mode').fetchone()[0] == 'wal', 'state database in WAL mode')
            check(c.execute('PRAGMA user_version').fetchone()[0] >= 2, 'schema version 2')
        total_new = sum(f[1] for f in figures[1:])
        total_gone = sum(f[2] for f in figures[1:])
        print(f'{len(run_ids)} nights: {total_new} flags new and {total_gone} resolved after night 1; '
              f'{len(decided)} decisions kept attached')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
