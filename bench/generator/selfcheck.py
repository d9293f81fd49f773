#!/usr/bin/env python3
"""Checks a folder written by rollmatch-gen (Python 3 standard library only).

    python3 bench/generator/selfcheck.py DIR [--data DATA_DIR] [--min-persons 20000] [--no-rederive]

1. Reads every feed back as an engine would (JSON Lines / CSV, gzip, GB18030,
   UTF-8 BOM) and finds the unreadable rows; they must be exactly
   truth/broken_rows.csv (feed, file, line, kind).
2. record_id is unique per feed; truth/records.csv names every readable
   record and nothing else.
3. Every citizen ID of a clean record has the right check character (hukou and
   rights always; migrant and social unless --noise full; roll records except
   those the truth flags with an id_number difference).
4. Re-derives the truth from the feeds as written -- values normalized here,
   persons from records.csv, rules.md applied by a second, separate
   implementation -- and compares it with truth/expected_flags.jsonl and
   truth/expected_stats.csv. This checks both the C++ oracle and that the
   cosmetic noise is really undone by normalization.
5. With at least --min-persons persons, every planted situation (and, for the
   noisy levels, every noise kind) of truth/summary.json occurred.

    python3 bench/generator/selfcheck.py --tiny tests/data/tiny-county

checks the same rules against the hand-made tiny county instead (persons = records
sharing a normalized ID).

Exit status 0 when everything holds; otherwise the failures are printed.
"""
import argparse
import csv
import gzip
import io
import json
import os
import sys
import unicodedata
from collections import defaultdict

FEEDS = ['hukou', 'migrant', 'social', 'roll', 'rights']
REQUIRED = {
    'hukou': ['record_id', 'id_number', 'name', 'region_code'],
    'migrant': ['record_id', 'name', 'residence_region_code'],
    'social': ['record_id', 'name', 'insured_region_code'],
    'roll': ['record_id', 'name', 'district_code'],
    'rights': ['record_id', 'name', 'kind'],
    'districts': ['district_code', 'township_code', 'region_codes'],
}
DOTS = '\u00b7\u2022\u30fb\u2027\uff0e.\uff65\u2219\u22c5'
CODES = ['WRONG_NOT_FOUND', 'WRONG_DECEASED', 'WRONG_NO_RIGHTS', 'WRONG_UNDERAGE', 'WRONG_MOVED_OUT',
         'WRONG_DISTRICT', 'WRONG_DETAILS', 'DUPLICATE', 'MISSING_ELIGIBLE', 'MISSING_MIGRANT']

failures = []


def fail(msg):
    failures.append(msg)


# ---------------------------------------------------------------- reading


def read_lines(path, encoding):
    """Yields (line_number, text or None when undecodable, raw bytes)."""
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    if data.startswith(b'\xef\xbb\xbf'):
        data = data[3:]
    for n, raw in enumerate(data.split(b'\n'), start=1):
        if raw.strip() == b'':
            continue  # blank lines (the end of the file, an empty feed) are no rows
        raw = raw.rstrip(b'\r')
        try:
            yield n, raw.decode(encoding), raw
        except UnicodeDecodeError:
            yield n, None, raw


def read_feed(folder, feed, files, encodings):
    """Returns (rows, broken): rows = list of (line, dict); broken = {(line): kind}."""
    rows, broken = [], {}
    for name in files:
        path = os.path.join(folder, name)
        enc = encodings.get(name, 'utf-8')
        enc = 'gb18030' if enc.upper() in ('GB18030', 'GBK') else 'utf-8'
        is_csv = '.csv' in name
        header = None
        for n, text, raw in read_lines(path, enc):
            if text is None:
                broken[(name, n)] = 'invalid_bytes'
                continue
            if is_csv:
                fields = next(csv.reader([text]))
                if header is None:
                    header = fields
                    continue
                if len(fields) != len(header):
                    broken[(name, n)] = 'too_few_columns' if len(fields) < len(header) else 'too_many_columns'
                    continue
                row = dict(zip(header, fields))
            else:
                try:
                    row = json.loads(text)
                except json.JSONDecodeError:
                    broken[(name, n)] = 'broken_json'
                    continue
                row = {k: ('' if v is None else str(v)) for k, v in row.items()}
            if any(not row.get(k, '').strip() for k in REQUIRED[feed]):
                broken[(name, n)] = 'empty_required'
                continue
            rows.append((name, n, row))
    return rows, broken


# ---------------------------------------------------------------- normalizing

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_char(first17):
    return '10X98765432'[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def id_valid(i):
    return len(i) == 18 and i[:17].isdigit() and i[:17].isascii() and check_char(i[:17]) == i[17]


def norm_id(s):
    s = unicodedata.normalize('NFKC', s)
    s = ''.join(s.split()).upper()
    if len(s) == 15 and s.isdigit() and s.isascii():
        s17 = s[:6] + '19' + s[6:]
        s = s17 + check_char(s17)
    return s


class Names:
    def __init__(self, data_dir):
        self.ts = {}
        with open(os.path.join(data_dir, 'chars', 'TSCharacters.txt'), encoding='utf-8') as f:
            for line in f:
                if line.startswith('#') or '\t' not in line:
                    continue
                t, s = line.rstrip('\n').split('\t')
                self.ts[t] = s.split(' ')[0]

    def norm(self, s):
        s = unicodedata.normalize('NFKC', s)
        out = []
        for c in s:
            if c.isspace() or c == '\u3000':
                continue
            if c in DOTS:
                c = '\u00b7'
            out.append(self.ts.get(c, c))
        return ''.join(out)


def norm_date(s):
    s = s.strip()
    if not s:
        return ''
    if len(s) == 8 and s.isdigit():
        return s[:4] + '-' + s[4:6] + '-' + s[6:]
    if len(s) == 10 and s[4] in '-/' and s[7] in '-/':
        return s[:4] + '-' + s[5:7] + '-' + s[8:]
    return s


def norm_gender(s):
    s = s.strip().upper()
    return {'男': '男', '1': '男', 'M': '男', '女': '女', '2': '女', 'F': '女'}.get(s, '')


def norm_hukou_status(s):
    s = s.strip()
    return {'': 'normal', 'normal': 'normal', '正常': 'normal', 'deceased': 'deceased', '死亡': 'deceased',
            'moved_out': 'moved_out', '迁出': 'moved_out', 'cancelled': 'cancelled', '其他注销': 'cancelled'}[s]


def birthday(birth, years):
    y, m, d = int(birth[:4]) + years, int(birth[5:7]), int(birth[8:10])
    leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
    if m == 2 and d == 29 and not leap:
        m, d = 3, 1
    return '%04d-%02d-%02d' % (y, m, d)


def id_birth(i):
    return i[6:10] + '-' + i[10:12] + '-' + i[12:14]


def id_gender(i):
    return '男' if int(i[16]) % 2 == 1 else '女'


# ---------------------------------------------------------------- the rules, again


def rederive(cfg, recs, persons, districts):
    S, E, P = cfg['scope'], cfg['election_day'], cfg.get('previous_election_day', '')
    by_region = defaultdict(list)
    by_township = defaultdict(list)
    for code, d in districts.items():
        by_township[d['township']].append(code)
        for r in d['regions']:
            by_region[r].append(code)

    def covering(region, unit):
        if len(region) == 12:
            cands = by_region.get(region, [])
        elif len(region) == 9:
            cands = by_township.get(region, [])
        else:
            cands = []
        return {c for c in cands if districts[c]['unit'] == unit}

    flags = []
    stats = defaultdict(lambda: [0] * (5 + len(CODES)))

    def stat(township, village, col):
        stats[''][col] += 1
        if len(township) == 9:
            stats[township][col] += 1
        if len(village) == 12:
            stats[village][col] += 1

    for pid in sorted(persons):
        own = persons[pid]
        H = sorted(own['hukou'], key=lambda r: r['record_id'])
        M = sorted(own['migrant'], key=lambda r: r['record_id'])
        SO = sorted(own['social'], key=lambda r: r['record_id'])
        R = sorted(own['roll'], key=lambda r: r['record_id'])
        Q = sorted(own['rights'], key=lambda r: r['record_id'])
        alive = all(h['status'] != 'deceased' for h in H)
        birth = gender = auth_id = ''
        for h in H:
            birth, gender = birth or h['birth_date'], gender or h['gender']
            auth_id = auth_id or h['id']
        for r in M + SO:
            birth, gender = birth or r['birth_date'], gender or r['gender']
            if not auth_id and id_valid(r['id']):
                auth_id = r['id']
        if id_valid(auth_id):
            birth, gender = birth or id_birth(auth_id), gender or id_gender(auth_id)
        for r in R:
            birth = birth or r['birth_date']
        of_age = bool(birth) and birthday(birth, 18) <= E
        cover = [q for q in Q if (not q['from'] or q['from'] <= E) and (not q['to'] or E <= q['to'])]
        has_rights = not cover
        ended = any(q['to'] and q['to'] < E for q in Q)
        hs = [h for h in H if h['status'] == 'normal' and h['region'].startswith(S)]
        ms = [m for m in M if m['residence'].startswith(S) and (not m['expiry'] or m['expiry'] >= E)]
        ws = [s for s in SO if s['status'] == 'active' and s['insured'].startswith(S)]
        eligible = of_age and alive and has_rights and bool(hs or ms)
        found = bool(H or M or SO)
        acceptable = set()
        for h in hs:
            acceptable |= covering(h['region'], False)
        for m in ms:
            acceptable |= covering(m['residence'], False)
        for s in ws:
            acceptable |= covering(s['insured'], True)
        dh = hs[0] if hs else (H[0] if H else None)
        in_scope = []
        for r in R:
            d = districts.get(r['district'])
            if not (d['township'].startswith(S) if d else r['region'].startswith(S)):
                continue
            town = d['township'] if d else r['region'][:9]
            ok = d is not None and r['district'] in acceptable
            stat(town, r['region'], 4)
            subj = 'roll:' + r['record_id']
            code, ev = None, None
            if not found:
                code = 'WRONG_NOT_FOUND'
            elif not alive:
                code = 'WRONG_DECEASED'
            elif not has_rights:
                code, ev = 'WRONG_NO_RIGHTS', {'kind': cover[0]['kind']}
            elif not of_age:
                code = 'WRONG_UNDERAGE'
            elif not (hs or ms):
                code = 'WRONG_MOVED_OUT'
            elif not ok:
                code = 'WRONG_DISTRICT'
            if code:
                f = {'code': code, 'subject': subj}
                if ev:
                    f['evidence'] = ev
                flags.append(f)
                stat(town, r['region'], 5 + CODES.index(code))
            fields = []
            if dh:
                if r['id'] != dh['id']:
                    fields.append(('id_number', r['id'], dh['id']))
                if r['name'] and r['name'] != dh['name'] and r['name'] not in dh['former']:
                    fields.append(('name', r['name'], dh['name']))
                if r['birth_date'] and dh['birth_date'] and r['birth_date'] != dh['birth_date']:
                    fields.append(('birth_date', r['birth_date'], dh['birth_date']))
                if r['gender'] and dh['gender'] and r['gender'] != dh['gender']:
                    fields.append(('gender', r['gender'], dh['gender']))
            else:
                rid = r['id']
                if len(rid) == 18 and rid[:17].isdigit() and (rid[17].isdigit() or rid[17] == 'X') and not id_valid(rid):
                    fix = next((x['id'] for x in M + SO + Q + [o for o in R if o is not r] if id_valid(x['id'])), '')
                    fields.append(('id_number', rid, fix))
                if id_valid(rid):
                    if r['birth_date'] and r['birth_date'] != id_birth(rid):
                        fields.append(('birth_date', r['birth_date'], id_birth(rid)))
                    if r['gender'] and r['gender'] != id_gender(rid):
                        fields.append(('gender', r['gender'], id_gender(rid)))
            if fields:
                flags.append({'code': 'WRONG_DETAILS', 'subject': subj, 'evidence': {'fields': [
                    {'field': a, 'registered': b, 'authoritative': c} for a, b, c in fields]}})
                stat(town, r['region'], 5 + CODES.index('WRONG_DETAILS'))
            in_scope.append((code is not None, not ok, r['registered_date'] or '9999-99-99', r['record_id'], town, r))
        if len(in_scope) >= 2:
            keep = min(in_scope, key=lambda j: j[:4])
            flags.append({'code': 'DUPLICATE', 'subject': 'roll:' + keep[3],
                          'records': sorted('roll:' + j[3] for j in in_scope), 'keep': 'roll:' + keep[3]})
            stat(keep[4], keep[5]['region'], 5 + CODES.index('DUPLICATE'))
        if eligible and hs and not in_scope:
            reason = 'other'
            if ended:
                reason = 'rights_restored'
            elif P and birthday(birth, 18) > P:
                reason = 'new_adult'
            elif P and hs[0]['status_date'] and hs[0]['status_date'] > P:
                reason = 'moved_in'
            flags.append({'code': 'MISSING_ELIGIBLE', 'subject': 'hukou:' + H[0]['record_id'], 'evidence': {'reason': reason}})
            stat(H[0]['region'][:9], H[0]['region'], 5 + CODES.index('MISSING_ELIGIBLE'))
        if of_age and alive and has_rights and not hs and (ms or ws) and not in_scope:
            if ms:
                subj, region = 'migrant:' + ms[0]['record_id'], ms[0]['residence']
            else:
                subj, region = 'social:' + ws[0]['record_id'], ws[0]['insured']
            flags.append({'code': 'MISSING_MIGRANT', 'subject': subj})
            stat(region[:9], region, 5 + CODES.index('MISSING_MIGRANT'))
        if eligible:
            if hs:
                stat(hs[0]['region'][:9], hs[0]['region'], 0)
                if in_scope:
                    stat(hs[0]['region'][:9], hs[0]['region'], 1)
            else:
                stat(ms[0]['residence'][:9], ms[0]['residence'], 2)
                if in_scope:
                    stat(ms[0]['residence'][:9], ms[0]['residence'], 3)
    rows = {}
    for d in districts.values():
        if d['township'].startswith(S):
            stats[d['township']]
    stats['']
    for code, v in stats.items():
        rate = '%.6f' % (v[1] / v[0]) if v[0] else ''
        level = 'scope' if code == '' else ('township' if len(code) == 9 else 'village')
        rows[S if code == '' else code] = [level] + [str(v[0]), str(v[1]), rate] + [str(x) for x in v[2:]]
    return flags, rows


def normalized_persons(rows, names, person_of):
    """Groups the readable records, normalized, by person_of(feed, record_id)."""
    persons = defaultdict(lambda: {f: [] for f in FEEDS})
    for feed in FEEDS:
        for name, line, row in rows[feed]:
            rec = {'record_id': row['record_id'], 'id': norm_id(row.get('id_number', '')),
                   'name': names.norm(row['name']), 'birth_date': norm_date(row.get('birth_date', '')),
                   'gender': norm_gender(row.get('gender', ''))}
            if feed == 'hukou':
                former = row.get('former_names', '')
                for sep in '；，,':
                    former = former.replace(sep, ';')
                rec.update(former=[names.norm(x) for x in former.split(';') if names.norm(x)],
                           region=row['region_code'].strip(), status=norm_hukou_status(row.get('status', '')),
                           status_date=norm_date(row.get('status_date', '')))
            elif feed == 'migrant':
                rec.update(residence=row['residence_region_code'].strip(), expiry=norm_date(row.get('expiry_date', '')))
            elif feed == 'social':
                rec.update(insured=row['insured_region_code'].strip(), status=row.get('status', '').strip() or 'active')
            elif feed == 'roll':
                rec.update(district=row['district_code'].strip(), region=row.get('region_code', '').strip(),
                           registered_date=norm_date(row.get('registered_date', '')))
            elif feed == 'rights':
                rec.update(kind=row['kind'].strip(), **{'from': norm_date(row.get('from_date', '')),
                                                        'to': norm_date(row.get('to_date', ''))})
            persons[person_of(feed, row['record_id'])][feed].append(rec)
    return persons


def read_districts(rows):
    districts = {}
    for _, _, row in rows['districts']:
        districts[row['district_code'].strip()] = {
            'township': row['township_code'].strip(), 'unit': row.get('kind', '').strip() in ('unit', '单位'),
            'regions': [x.strip() for x in row['region_codes'].split(';') if x.strip()]}
    return districts


def tiny_check(folder, names):
    """The rules of this file against a hand-made example (shared/examples/tiny-county):
    persons are its records grouped by normalized ID (every record there has one)."""
    with open(os.path.join(folder, 'config.json'), encoding='utf-8') as f:
        cfg = json.load(f)
    rows = {}
    for feed in FEEDS + ['districts']:
        rows[feed], broken = read_feed(folder, feed, cfg['feeds'][feed], cfg.get('encodings', {}))
        if broken:
            fail('tiny: unreadable rows %s' % sorted(broken))
    ids = {}
    for feed in FEEDS:
        for _, _, row in rows[feed]:
            ids[(feed, row['record_id'])] = norm_id(row.get('id_number', ''))
    persons = normalized_persons(rows, names, lambda feed, rid: ids[(feed, rid)])
    flags, stat_rows = rederive(cfg, None, persons, read_districts(rows))
    canon = lambda f: json.dumps({k: v for k, v in f.items() if not (f['code'] == 'DUPLICATE' and k == 'subject')},
                                 sort_keys=True, ensure_ascii=False)
    with open(os.path.join(folder, 'expected_flags.jsonl'), encoding='utf-8') as f:
        expected = sorted(canon(json.loads(line)) for line in f if line.strip())
    got = sorted(canon(f) for f in flags)
    if expected != got:
        fail('tiny: flags differ: expected only %s; derived only %s' % (sorted(set(expected) - set(got)),
                                                                       sorted(set(got) - set(expected))))
    with open(os.path.join(folder, 'expected_stats.csv'), encoding='utf-8') as f:
        reader = csv.reader(f)
        header = next(reader)
        for r in reader:
            mine = stat_rows.get(r[0])
            if mine is None or mine[:len(r) - 1] != r[1:]:
                fail('tiny: stats row %s: expected %s, derived %s' % (r[0], r[1:], mine))


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('dir')
    ap.add_argument('--data', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data'))
    ap.add_argument('--min-persons', type=int, default=20000)
    ap.add_argument('--no-rederive', action='store_true')
    ap.add_argument('--tiny', action='store_true',
                    help='DIR is a hand-made example with expected_flags.jsonl / expected_stats.csv beside '
                         'its feeds (tiny-county): check the rules of this file against it')
    args = ap.parse_args()
    if args.tiny:
        tiny_check(args.dir, Names(args.data))
        for f in failures:
            print('FAIL', f)
        print('selfcheck --tiny: %s, %s' % ('failed' if failures else 'ok', args.dir))
        return 1 if failures else 0
    folder, truth = args.dir, os.path.join(args.dir, 'truth')
    with open(os.path.join(folder, 'config.json'), encoding='utf-8') as f:
        cfg = json.load(f)
    with open(os.path.join(truth, 'summary.json'), encoding='utf-8') as f:
        summary = json.load(f)
    names = Names(args.data)
    noise = summary['noise_level']

    # 1. rows and rejects
    rows, broken = {}, set()
    for feed in FEEDS + ['districts']:
        r, b = read_feed(folder, feed, cfg['feeds'][feed], cfg.get('encodings', {}))
        rows[feed] = r
        for (name, line), kind in b.items():
            broken.add((feed, name, line, kind))
    with open(os.path.join(truth, 'broken_rows.csv'), encoding='utf-8') as f:
        expected_broken = {(r['feed'], r['file'], int(r['line']), r['kind']) for r in csv.DictReader(f)}
    if broken != expected_broken:
        fail('unreadable rows differ from broken_rows.csv: only read back %s; only in truth %s' % (
            sorted(broken - expected_broken)[:5], sorted(expected_broken - broken)[:5]))
    for feed in FEEDS:
        n = sum(1 for b in broken if b[0] == feed)
        total = n + len(rows[feed])
        if total and n / total > 0.005:
            fail('%s: %d broken rows of %d is over 0.5%%' % (feed, n, total))

    # 2. record ids
    owner = {}
    with open(os.path.join(truth, 'records.csv'), encoding='utf-8') as f:
        for r in csv.DictReader(f):
            owner[(r['feed'], r['record_id'])] = r['person_id']
    seen = set()
    for feed in FEEDS:
        ids = [row['record_id'] for _, _, row in rows[feed]]
        if len(ids) != len(set(ids)):
            fail('%s: repeated record_id' % feed)
        for i in ids:
            seen.add((feed, i))
            if (feed, i) not in owner:
                fail('%s:%s is not in records.csv' % (feed, i))
                break
    if set(owner) != seen:
        fail('records.csv names %d records that are not in the feeds' % len(set(owner) - seen))

    persons = normalized_persons(rows, names, lambda feed, rid: owner.get((feed, rid), '?'))

    districts = read_districts(rows)

    def roll_in_scope(r):
        d = districts.get(r['district'])
        return d['township'].startswith(cfg['scope']) if d else r['region'].startswith(cfg['scope'])

    # 3. check characters
    with open(os.path.join(truth, 'expected_flags.jsonl'), encoding='utf-8') as f:
        expected_flags = [json.loads(line) for line in f if line.strip()]
    id_flagged = {fl['subject'] for fl in expected_flags if fl['code'] == 'WRONG_DETAILS'
                  and any(x['field'] == 'id_number' for x in fl['evidence']['fields'])}
    bad = []
    for p in persons.values():
        for feed in FEEDS:
            if feed in ('migrant', 'social') and noise == 'full':
                continue
            for r in p[feed]:
                if feed == 'roll' and ('roll:' + r['record_id'] in id_flagged or not roll_in_scope(r)):
                    continue  # planted ID errors: flagged in scope, unjudged outside
                if not id_valid(r['id']):
                    bad.append('%s:%s %r' % (feed, r['record_id'], r['id']))
    if bad:
        fail('%d clean records with a bad ID, e.g. %s' % (len(bad), bad[:5]))

    # 4. the truth, derived a second time
    if not args.no_rederive:
        flags, stat_rows = rederive(cfg, None, persons, districts)
        canon = lambda fl: json.dumps(fl, sort_keys=True, ensure_ascii=False)
        exp = sorted(canon(f) for f in expected_flags)
        got = sorted(canon(f) for f in flags)
        if exp != got:
            se, sg = set(exp), set(got)
            fail('flags differ: %d only in expected_flags.jsonl, e.g. %s; %d only re-derived, e.g. %s' % (
                len(se - sg), sorted(se - sg)[:3], len(sg - se), sorted(sg - se)[:3]))
        with open(os.path.join(truth, 'expected_stats.csv'), encoding='utf-8') as f:
            reader = csv.reader(f)
            header = next(reader)
            exp_rows = {r[0]: r[1:] for r in reader}
        if header[:8] != ['region_code', 'level', 'eligible_hukou', 'registered_hukou', 'registration_rate',
                          'eligible_migrant', 'registered_migrant', 'roll_records'] or header[8:] != CODES:
            fail('expected_stats.csv header: %s' % header)
        if exp_rows != stat_rows:
            diff = [k for k in set(exp_rows) | set(stat_rows) if exp_rows.get(k) != stat_rows.get(k)]
            fail('stats differ in %d rows, e.g. %s: expected %s, re-derived %s' % (
                len(diff), diff[0], exp_rows.get(diff[0]), stat_rows.get(diff[0])))

    # 5. planted situations
    if summary['persons'] >= args.min_persons:
        # Wrong or missing registration IDs are planted only with full noise
        # (without them exact-ID resolution must reproduce the truth).
        zero = [k for k, v in summary['situations'].items() if v == 0
                and not (k == 'hukou_moved_in_since_previous' and not summary['previous_election_day'])
                and not (k.startswith('details_id_') and noise != 'full')]
        if noise != 'none':
            zero += [k for k, v in summary['noise'].items() if v == 0 and (noise == 'full' or not k.startswith('clerical_'))]
        zero += [c for c in CODES if summary['expected_flags'].get(c, 0) == 0]
        if zero:
            fail('never planted at %d persons: %s' % (summary['persons'], ', '.join(zero)))

    n_rows = sum(len(v) for v in rows.values())
    if failures:
        for f in failures:
            print('FAIL', f)
        print('selfcheck: %d failed, %s' % (len(failures), folder))
        return 1
    print('selfcheck: ok, %s: %d rows read back, %d unreadable rows as planted, %d flags re-derived' % (
        folder, n_rows, len(broken), len(expected_flags)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
