#!/usr/bin/env python3
"""The province, end to end (issue 6): three generated counties of province 32.

usage: province_test.py ROLLMATCH ROLLMATCH_GEN [--persons N]

  stats merge   `rollmatch stats merge` over the three county runs equals, row for row and column for
                column, stats.csv of one province-wide run (scope 32) over the same feeds (each feed
                given as the three counties' files); the province run has a `county` row per county;
                overlapping inputs, a foreign county (--scope 3205) and a non-county input are refused
                with a clear message; summary.html is self-contained.
  crosscheck    registrations copied from one county's roll into another's (the person's hukou ID,
                name, birth date, gender, a district of the other county) are planted; each county
                runs `rollmatch export-fingerprints`; `rollmatch crosscheck` finds exactly the IDs
                registered in two or more counties — the planted ones (and any the generator made by
                chance, computed independently here from the feeds) — none missed, none invented, and
                lists each registration concerned under its county. No exported or written file holds
                anything shaped like an ID number (15 or 18 digits). Files made with another secret are
                refused. The province-wide run over the planted feeds flags each planted person as
                DUPLICATE (the single-machine alternative sees them too).

The generator writes each county independently: record ids repeat across counties (R00000001 in each),
and a county's feeds hold some records of other places: registrations in another county's district,
residence permits for another county, social insurance paid in another county. A county run ignores
them (out of its scope), but a province run over the same files would count them for the other county,
whose own feeds (not generated) would be the ones to hold them. So the test prefixes every record id
with the county code and keeps in each county's roll, migrant and social feeds only the records of that
county, as a real county's exports are. Counties generated one at a time may also give two different
persons the same ID (a sequence number drawn twice): such a person, one in a province-wide run, is
dropped from the later county.
Noise `none`: the comparison is about adding up, not about resolving noisy records.
"""
import argparse, base64, csv, gzip, hashlib, hmac, io, json, os, random, re, shutil, subprocess, sys, tempfile

COUNTIES = ['320481', '320413', '320402']
failures = []
ID_SHAPE = re.compile(r'(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])|(?<![0-9])[0-9]{15}(?![0-9])')
SECRET = 'province-32-secret-0123456789abcdef'


def check(cond, what):
    if not cond:
        failures.append(what)
        print('  FAIL ' + what, flush=True)
    return cond


def run(*args, cwd=None):
    p = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=1200)
    return p.returncode, p.stdout, p.stderr


def read_csv(path, encoding='utf-8-sig'):
    with open(path, encoding=encoding, newline='') as f:
        return list(csv.DictReader(f))


def write_csv(path, rows, fields):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def read_jsonl(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', encoding='utf-8') as f:
        return [json.loads(l) for l in f if l.strip()]


def write_jsonl(path, rows):
    with open(path, 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')


def county_feeds(gen_dir, county, out_dir, taken):
    """The generated county with record ids prefixed, records of other places dropped, and the persons
    whose ID an earlier county already uses dropped (`taken`: those IDs; this county's are added)."""
    os.makedirs(out_dir, exist_ok=True)
    feeds = {}
    hukou = read_jsonl(os.path.join(gen_dir, 'hukou.jsonl'))
    social = read_jsonl(os.path.join(gen_dir, 'social.jsonl.gz'))
    social = [r for r in social if r['insured_region_code'].startswith(county)]
    csvs = {name: read_csv(os.path.join(gen_dir, name + '.csv'), enc)
            for name, enc in (('migrant', 'gb18030'), ('roll', 'utf-8-sig'), ('rights', 'utf-8-sig'))}
    mine = {str(r['id_number']) for rows in [hukou, social] + list(csvs.values()) for r in rows}
    clash = mine & taken
    taken |= mine
    hukou = [r for r in hukou if str(r['id_number']) not in clash]
    social = [r for r in social if str(r['id_number']) not in clash]
    feeds['clash'] = len(clash)
    for rows in (hukou, social):
        for r in rows:
            r['record_id'] = county + r['record_id']
    write_jsonl(os.path.join(out_dir, 'hukou.jsonl'), hukou)
    write_jsonl(os.path.join(out_dir, 'social.jsonl'), social)
    feeds['hukou'], feeds['social'] = hukou, social
    for name, rows in csvs.items():
        fields = list(rows[0].keys()) if rows else []
        rows = [r for r in rows if r['id_number'] not in clash]
        for r in rows:
            r['record_id'] = county + r['record_id']
        if name == 'roll':
            rows = [r for r in rows if r['district_code'].startswith(county)]
        if name == 'migrant':
            rows = [r for r in rows if r['residence_region_code'].startswith(county)]
        write_csv(os.path.join(out_dir, name + '.csv'), rows, fields)
        feeds[name] = rows
    shutil.copy(os.path.join(gen_dir, 'districts.csv'), os.path.join(out_dir, 'districts.csv'))
    feeds['districts'] = read_csv(os.path.join(out_dir, 'districts.csv'))
    return feeds


def write_config(path, scope, feed_dirs, out, state):
    cfg = json.load(open(os.path.join(os.path.dirname(path), '..', 'gen', COUNTIES[0], 'config.json')))
    cfg['scope'] = scope
    cfg['feeds'] = {f: [os.path.join(d, n) for d in feed_dirs] for f, n in
                    (('hukou', 'hukou.jsonl'), ('migrant', 'migrant.csv'), ('social', 'social.jsonl'),
                     ('roll', 'roll.csv'), ('rights', 'rights.csv'), ('districts', 'districts.csv'))}
    cfg.pop('encodings', None)
    cfg['out'], cfg['state'] = out, state
    json.dump(cfg, open(path, 'w'), ensure_ascii=False, indent=1)


def stats_rows(path):
    return [dict(r) for r in read_csv(path)]


def no_id_numbers(root, label):
    for dirpath, _, files in os.walk(root):
        for name in files:
            text = open(os.path.join(dirpath, name), encoding='utf-8', errors='replace').read()
            m = ID_SHAPE.search(text)
            check(m is None, f'{label}: {name} holds an ID-number shape')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('rollmatch')
    ap.add_argument('gen')
    ap.add_argument('--persons', type=int, default=15000)
    ap.add_argument('--plant', type=int, default=20, help='duplicates planted per county pair')
    a = ap.parse_args()
    rm = os.path.abspath(a.rollmatch)
    work = tempfile.mkdtemp(prefix='rollmatch-province-')
    try:
        os.makedirs(os.path.join(work, 'conf'))
        feeds, taken = {}, set()
        for i, c in enumerate(COUNTIES):
            g = os.path.join(work, 'gen', c)
            subprocess.run([a.gen, '--persons', str(a.persons), '--seed', str(101 + i), '--noise', 'none',
                            '--scope', c, '--out', g], check=True, capture_output=True)
            feeds[c] = county_feeds(g, c, os.path.join(work, 'feeds', c), taken)
        print('IDs the generator gave persons of two counties (dropped from the later county): '
              + ', '.join(f'{c} {feeds[c]["clash"]}' for c in COUNTIES))

        def county_run(c, feed_root, tag):
            conf = os.path.join(work, 'conf', f'{tag}-{c}.json')
            write_config(conf, c, [os.path.join(work, feed_root, c)], os.path.join(work, tag, c, 'out'),
                         os.path.join(work, tag, c, 'state.db'))
            rc, out, err = run(rm, 'run', '--config', conf, '--quiet')
            check(rc == 0, f'{tag} county run {c}: {err[-400:]}')
            return conf, os.path.join(work, tag, c, 'out')

        def province_run(feed_root, tag):
            conf = os.path.join(work, 'conf', f'{tag}-province.json')
            write_config(conf, '32', [os.path.join(work, feed_root, c) for c in COUNTIES],
                         os.path.join(work, tag, 'province', 'out'), os.path.join(work, tag, 'province', 'state.db'))
            rc, out, err = run(rm, 'run', '--config', conf, '--quiet')
            check(rc == 0, f'{tag} province run: {err[-400:]}')
            return os.path.join(work, tag, 'province', 'out')

        # ---- stats merge = one province-wide run ----
        outs = [county_run(c, 'feeds', 'plain')[1] for c in COUNTIES]
        prov_out = province_run('feeds', 'plain')
        merged = os.path.join(work, 'merged')
        rc, out, err = run(rm, 'stats', 'merge', *outs, '--out', merged, '--scope', '32')
        check(rc == 0, f'stats merge: {err}')
        print(out.strip())
        m_rows, p_rows = stats_rows(os.path.join(merged, 'stats.csv')), stats_rows(os.path.join(prov_out, 'stats.csv'))
        check([r['level'] for r in p_rows].count('county') == 3, 'province run: one county row per county')
        check(m_rows == p_rows, f'stats merge equals the province run ({len(m_rows)} vs {len(p_rows)} rows)')
        if m_rows != p_rows:
            pm = {(r['level'], r['region_code']): r for r in p_rows}
            for r in m_rows:
                if pm.get((r['level'], r['region_code'])) != r:
                    print('  merged  ', r, '\n  province', pm.get((r['level'], r['region_code'])))
                    break
        m_json = json.load(open(os.path.join(merged, 'stats.json')))
        p_json = json.load(open(os.path.join(prov_out, 'stats.json')))
        check(m_json == p_json, 'stats.json of the merge equals the province run\'s')
        top = m_rows[0]
        print(f'stats merge: {len(m_rows)} rows equal the province run; province 32: '
              f'{top["registered_hukou"]}/{top["eligible_hukou"]} = {top["registration_rate"]}')
        html = open(os.path.join(merged, 'summary.html'), encoding='utf-8').read()
        check('<svg' in html and not re.search(r'<script|src=|href="http', html), 'summary.html self-contained')
        for c in COUNTIES:
            check(f'data-region="{c}" data-col="registration_rate"' in html, f'summary.html shows county {c}')
        rc, _, err = run(rm, 'stats', 'merge', outs[0], outs[1], outs[0], '--out', os.path.join(work, 'x1'))
        check(rc != 0 and 'overlapping inputs: county 320481' in err and len(err.strip().splitlines()) == 1,
              f'overlap refused: {err}')
        rc, _, err = run(rm, 'stats', 'merge', *outs, '--out', os.path.join(work, 'x2'), '--scope', '3205')
        check(rc != 0 and 'outside scope 3205 (a foreign county)' in err, f'foreign county refused: {err}')
        rc, _, err = run(rm, 'stats', 'merge', outs[0], prov_out, '--out', os.path.join(work, 'x3'))
        check(rc != 0 and 'not a county' in err, f'province input refused: {err}')

        # ---- plant cross-county duplicates ----
        rng = random.Random(7)
        planted = {}  # id → (home county, other county)
        for home, other in ((COUNTIES[0], COUNTIES[1]), (COUNTIES[1], COUNTIES[2]), (COUNTIES[2], COUNTIES[0])):
            reg_ids = {r['id_number'] for r in feeds[home]['roll']}
            cands = sorted((h for h in feeds[home]['hukou'] if h['status'] == 'normal' and h['id_number'] in reg_ids
                            and h['id_number'] not in planted), key=lambda h: h['record_id'])
            districts = [d for d in feeds[other]['districts'] if d['kind'] == 'area']
            for n, h in enumerate(rng.sample(cands, a.plant)):
                d = rng.choice(districts)
                feeds[other]['roll'].append({
                    'record_id': f'{other}RP{home}{n:04d}', 'id_number': h['id_number'], 'name': h['name'],
                    'gender': h['gender'], 'birth_date': h['birth_date'], 'district_code': d['district_code'],
                    'region_code': d['region_codes'].split(';')[0], 'basis': 'residence',
                    'registered_date': '2026-09-01'})
                planted[h['id_number']] = (home, other)
        for c in COUNTIES:
            src, dst = os.path.join(work, 'feeds', c), os.path.join(work, 'planted', c)
            shutil.copytree(src, dst)
            rows = feeds[c]['roll']
            write_csv(os.path.join(dst, 'roll.csv'), rows, list(rows[0].keys()))

        # Expected, from the feeds: IDs registered in scope in two or more counties → their registrations.
        by_id = {}
        for c in COUNTIES:
            for r in feeds[c]['roll']:
                by_id.setdefault(r['id_number'], {}).setdefault(c, []).append(r['record_id'])
        expected = {}
        for i, counties in by_id.items():
            if len(counties) >= 2:
                for c, rids in counties.items():
                    for rid in rids:
                        expected[(c, rid)] = sorted(set(counties) - {c})
        check(all(len(by_id[i]) >= 2 for i in planted), 'every planted ID is in two counties')
        chance = sum(1 for i, cs in by_id.items() if len(cs) >= 2 and i not in planted)

        # ---- export, crosscheck ----
        secret = os.path.join(work, 'province.key')
        open(secret, 'w').write(SECRET + '\n')
        os.chmod(secret, 0o600)
        files = []
        for c in COUNTIES:
            conf, _ = county_run(c, 'planted', 'planted')
            fp = os.path.join(work, 'fingerprints', f'{c}.csv')
            os.makedirs(os.path.dirname(fp), exist_ok=True)
            rc, out, err = run(rm, 'export-fingerprints', '--config', conf, '--secret-file', secret, '--out', fp,
                               '--quiet')
            check(rc == 0, f'export-fingerprints {c}: {err}')
            files.append(fp)
            rows = read_csv(fp)
            check(len(rows) == len(feeds[c]['roll']), f'{c}: one fingerprint per registration in scope '
                  f'({len(rows)} vs {len(feeds[c]["roll"])})')
        no_id_numbers(os.path.join(work, 'fingerprints'), 'exported fingerprints')
        # The fingerprint is HMAC-SHA-256 of the ID with the secret, in base32 (computed here independently).
        exported = {r['fingerprint'] for f in files for r in read_csv(f)}
        mine = {base64.b32encode(hmac.new(SECRET.encode(), i.encode(), hashlib.sha256).digest()).decode()
                .lower().rstrip('=') for i in planted}
        check(mine <= exported, 'the planted IDs\' HMAC-SHA-256 (base32) are in the exported files')
        cc_dir = os.path.join(work, 'crosscheck')
        rc, out, err = run(rm, 'crosscheck', *files, '--out', cc_dir)
        check(rc == 0, f'crosscheck: {err}')
        print(out.strip())
        found = {}
        for c in COUNTIES:
            path = os.path.join(cc_dir, f'{c}.csv')
            if not os.path.exists(path):
                continue
            for r in read_csv(path):
                found[(c, r['record_id'])] = sorted(r['other_counties'].split(';'))
        missed = set(expected) - set(found)
        invented = set(found) - set(expected)
        check(not missed, f'crosscheck missed {len(missed)}: {sorted(missed)[:5]}')
        check(not invented, f'crosscheck invented {len(invented)}: {sorted(invented)[:5]}')
        check(all(found[k] == expected[k] for k in set(found) & set(expected)), 'crosscheck names the other counties')
        no_id_numbers(cc_dir, 'crosscheck output')
        print(f'crosscheck: {len(planted)} planted persons (+{chance} by chance), {len(found)} registrations '
              f'listed, {len(missed)} missed, {len(invented)} invented')
        # Another secret: refused.
        other_secret = os.path.join(work, 'other.key')
        open(other_secret, 'w').write('another-secret-of-a-county-0123')
        bad = os.path.join(work, 'fingerprints', 'bad.csv')
        rc, _, err = run(rm, 'export-fingerprints', '--config', os.path.join(work, 'conf', f'planted-{COUNTIES[1]}.json'),
                         '--secret-file', other_secret, '--out', bad, '--quiet')
        rc, _, err = run(rm, 'crosscheck', files[0], bad, '--out', os.path.join(work, 'cc2'))
        check(rc != 0 and 'made with another secret' in err, f'another secret refused: {err}')
        rc, _, err = run(rm, 'crosscheck', files[0], files[0], '--out', os.path.join(work, 'cc3'))
        check(rc != 0 and 'overlapping' in err, f'the same county twice refused: {err}')

        # ---- the province-wide run sees the planted persons as duplicates ----
        p_out = province_run('planted', 'planted')
        dup_ids = set()
        for l in open(os.path.join(p_out, 'flags.jsonl'), encoding='utf-8'):
            f = json.loads(l)
            if f['code'] == 'DUPLICATE':
                dup_ids.add(f['person']['id_number'])
        check(set(planted) <= dup_ids, f'province run: {len(set(planted) - dup_ids)} planted persons not DUPLICATE')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
