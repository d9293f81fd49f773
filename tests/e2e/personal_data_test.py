#!/usr/bin/env python3
"""Personal data handled with care (issue 7 §4), end to end through the real binary.

usage: personal_data_test.py ROLLMATCH_BINARY ROLLMATCH_GEN_BINARY

On a generated county (several townships) with rights records of all three kinds added for people
on the roll, checks that:
  - the output folder, the state database and their folders are readable by their owner only
    (folders 0700, files 0600), whatever the umask rollmatch is started with;
  - each township folder holds only flags of that township, every flag is in the folder of each of its
    townships and no other, and a row's registrations lie in the flag's townships;
  - the rights kind appears in township reports only with --show-rights-kind (otherwise 无选举权利);
  - with --redact no township file holds an ID number (only first 6 + last 4 kept);
  - stdout/stderr (also --verbose and failed runs), manifest.json, stats.csv, stats.json and the
    state database hold no ID number (nothing shaped like one) and no name from the feeds.
"""
import csv, io, json, os, re, shutil, sqlite3, stat, subprocess, sys, tempfile

BIN = GEN = None
failures = []

# 18 characters (17 digits + digit or X) or 15 digits, not part of a longer digit run or a decimal fraction.
ID_SHAPE = re.compile(r'(?<![0-9.])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])')
KIND_WORDS = ['剥夺政治权利', '停止行使选举权利', '精神病', '不能行使选举权利', 'deprived', 'suspended',
              'incapacitated']
KIND_WORD = {'deprived': '依法被剥夺政治权利', 'suspended': '羁押期间停止行使选举权利',
             'incapacitated': '经选举委员会确认不能行使选举权利的精神病患者'}


def check(cond, what):
    if not cond:
        failures.append(what)
        print('  FAIL ' + what)
    return cond


def run(county, *extra, umask=0o022):
    return subprocess.run([BIN, 'run', '--config', os.path.join(county, 'config.json'), *extra],
                          capture_output=True, text=True, timeout=600, preexec_fn=lambda: os.umask(umask))


def read_csv_rows(p):
    with open(p, encoding='utf-8-sig', newline='') as f:
        return list(csv.DictReader(f))


def make_county(root):
    county = os.path.join(root, 'county')
    subprocess.run([GEN, '--persons', '3000', '--seed', '11', '--noise', 'full', '--out', county], check=True,
                   capture_output=True, timeout=300)
    # Rights records of each kind, in force on election day, for registered people of different townships.
    districts = {r['district_code']: r['township_code'] for r in read_csv_rows(os.path.join(county, 'districts.csv'))}
    roll = read_csv_rows(os.path.join(county, 'roll.csv'))
    chosen, townships = [], set()
    for r in roll:
        t = districts.get(r['district_code'])
        if t and t not in townships and re.fullmatch(r'[0-9]{17}[0-9X]', r['id_number']) and r['name']:
            chosen.append(r)
            townships.add(t)
        if len(chosen) == 3:
            break
    with open(os.path.join(county, 'rights.csv'), 'a', encoding='utf-8') as f:
        for i, (r, kind) in enumerate(zip(chosen, ['deprived', 'suspended', 'incapacitated'])):
            f.write(f'QT{i},{r["id_number"]},{r["name"]},{kind},2020-01-01,\n')
    return county, {r['record_id'] for r in chosen}


def feed_ids_and_names(county):
    """Every ID number (as typed and as 18 digits) and every name of two or more characters in the feeds."""
    import gzip
    ids, names = set(), set()

    def add(rec):
        for k in ('id_number',):
            v = str(rec.get(k) or '').strip().upper()
            if len(v) >= 15 and v[:15].isdigit():
                ids.add(v)
        for k in ('name', 'former_names'):
            v = str(rec.get(k) or '').strip()
            for part in re.split('[;；,，、]', v):
                part = part.strip()
                if len(part) >= 2 and not part.isascii():
                    names.add(part)

    for name in os.listdir(county):
        p = os.path.join(county, name)
        if name.endswith('.csv'):
            enc = 'gb18030' if name == 'migrant.csv' else 'utf-8-sig'
            with open(p, encoding=enc, errors='replace', newline='') as f:
                for r in csv.DictReader(f):
                    add(r)
        elif '.jsonl' in name:
            opener = gzip.open if name.endswith('.gz') else open
            with opener(p, 'rt', encoding='utf-8', errors='replace') as f:
                for line in f:
                    try:
                        add(json.loads(line))
                    except ValueError:
                        pass
    return ids, names


def scan(title, text, ids, names):
    m = ID_SHAPE.search(text)
    check(m is None, f'{title}: holds something shaped like an ID number: {m.group(0) if m else ""!r}')
    leaked = [i for i in ids if i in text]
    check(not leaked, f'{title}: holds ID numbers from the feeds: {leaked[:3]}')
    leaked = [n for n in names if n in text]
    check(not leaked, f'{title}: holds names from the feeds: {leaked[:3]}')


def check_modes(title, root_dir):
    for base, dirs, files in os.walk(root_dir):
        for d in dirs + ['.']:
            mode = stat.S_IMODE(os.stat(os.path.join(base, d)).st_mode)
            check(mode == 0o700, f'{title}: folder {os.path.join(base, d)} has mode {mode:o}, expected 700')
        for f in files:
            mode = stat.S_IMODE(os.stat(os.path.join(base, f)).st_mode)
            check(mode == 0o600, f'{title}: file {os.path.join(base, f)} has mode {mode:o}, expected 600')


def township_rows(out):
    result = {}
    tdir = os.path.join(out, 'townships')
    for t in sorted(os.listdir(tdir)):
        p = os.path.join(tdir, t, 'flags.csv')
        result[t] = read_csv_rows(p) if os.path.exists(p) else []
    return result


def township_texts(out):
    texts = {}
    for base, _, files in os.walk(os.path.join(out, 'townships')):
        for f in files:
            p = os.path.join(base, f)
            data = open(p, 'rb').read()
            if f.endswith('.xlsx'):
                import zipfile
                with zipfile.ZipFile(p) as z:
                    data = b''.join(z.read(n) for n in z.namelist())
            texts[p] = data.decode('utf-8', errors='replace')
    return texts


def main():
    global BIN, GEN
    BIN, GEN = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    root = tempfile.mkdtemp(prefix='personal-')
    county, rights_roll = make_county(root)
    ids, names = feed_ids_and_names(county)
    check(len(ids) > 1000 and len(names) > 1000, f'only {len(ids)} IDs and {len(names)} names found in the feeds')
    out = os.path.join(county, 'out')

    print('default run (umask 022, --verbose)')
    p = run(county, '--verbose', umask=0o022)
    if not check(p.returncode == 0, f'run failed: {p.stderr}'):
        return 1
    check_modes('output folder', out)
    check_modes('state folder', os.path.join(county, 'state'))
    scan('stdout and stderr', p.stdout + p.stderr, ids, names)
    for f in ('manifest.json', 'stats.csv', 'stats.json'):
        scan(f, open(os.path.join(out, f), encoding='utf-8-sig').read(), ids, names)
    db = sqlite3.connect(os.path.join(county, 'state', 'rollmatch.db'))
    for table in ('runs',):
        for row in db.execute(f'SELECT * FROM {table}'):
            scan(f'state database ({table})', ' '.join(str(v) for v in row), ids, names)
    db.close()

    print('township folders hold only their own flags')
    flags = [json.loads(l) for l in open(os.path.join(out, 'flags.jsonl'), encoding='utf-8') if l.strip()]
    by_id = {f['flag_id']: f for f in flags}
    districts = {r['district_code']: r['township_code'] for r in read_csv_rows(os.path.join(county, 'districts.csv'))}
    # A registration's township: its district's, or (an unknown district) its region code's.
    roll_township = {r['record_id']: {districts.get(r.get('district_code') or '', ''),
                                      (r.get('region_code') or '')[:9]}
                     for r in read_csv_rows(os.path.join(county, 'roll.csv'))}
    rows = township_rows(out)
    check(len([t for t in rows if rows[t]]) >= 3, f'only {len(rows)} township folders: the test needs several')
    seen = {}
    for t, trs in rows.items():
        for r in trs:
            f = by_id.get(r['标识'])
            if not check(f is not None, f'{t}: row with unknown flag_id {r["标识"]}'):
                continue
            seen.setdefault(f['flag_id'], set()).add(t)
            check(t in f['townships'], f'{t}: holds flag {f["flag_id"]} of townships {f["townships"]}')
            check(r['姓名'] == f['person']['name'], f'{t}: row name differs from its flag')
            for rec in r['登记记录'].split('；'):
                if rec.startswith('选民名册 '):
                    rt = roll_township.get(rec[len('选民名册 '):], set())
                    check(bool(rt & set(f['townships'])),
                          f'{t}: registration {rec} of township {rt} in flag {f["townships"]}')
    for f in flags:
        want = {x for x in f['townships'] if re.fullmatch('[0-9]{9}', x)}
        check(seen.get(f['flag_id'], set()) == want,
              f'flag {f["flag_id"]} is in folders {sorted(seen.get(f["flag_id"], []))}, expected {sorted(want)}')

    print('rights kind hidden by default')
    no_rights = [f for f in flags if f['code'] == 'WRONG_NO_RIGHTS']
    kinds = {f['evidence'].get('kind') for f in no_rights}
    check(kinds >= {'deprived', 'suspended', 'incapacitated'}, f'WRONG_NO_RIGHTS kinds: {kinds}')
    for p_, text in township_texts(out).items():
        for w in KIND_WORDS:
            check(w not in text, f'{p_}: shows the rights kind ({w}) without --show-rights-kind')
    for t, trs in rows.items():
        for r in trs:
            if r['问题代码'] == 'WRONG_NO_RIGHTS':
                check(r['说明'] == '无选举权利', f'{t}: WRONG_NO_RIGHTS row says {r["说明"]!r}')

    print('--show-rights-kind')
    p = run(county, '--quiet', '--show-rights-kind')
    check(p.returncode == 0, f'--show-rights-kind run failed: {p.stderr}')
    shown = 0
    for t, trs in township_rows(out).items():
        for r in trs:
            if r['问题代码'] == 'WRONG_NO_RIGHTS':
                kind = by_id[r['标识']]['evidence'].get('kind')
                check(KIND_WORD[kind] in r['说明'], f'{t}: --show-rights-kind row says {r["说明"]!r}, not {kind}')
                shown += 1
    check(shown >= 3, f'--show-rights-kind: {shown} WRONG_NO_RIGHTS rows')

    print('--redact')
    p = run(county, '--quiet', '--redact')
    check(p.returncode == 0, f'--redact run failed: {p.stderr}')
    texts = township_texts(out)
    check(len(texts) >= 3, 'no township files')
    flag_ids = [json.loads(l)['flag_id'] for l in open(os.path.join(out, 'flags.jsonl'), encoding='utf-8')]
    for p_, text in texts.items():
        for fid in flag_ids:  # a flag_id is 16 hex digits, sometimes 15 decimal ones in a row
            text = text.replace(fid, '')
        m = ID_SHAPE.search(text)
        check(m is None, f'{p_}: --redact left an ID number: {m.group(0) if m else ""}')
        leaked = [i for i in ids if i in text or (len(i) == 18 and i[:17] in text)]
        check(not leaked, f'{p_}: --redact left ID numbers from the feeds: {leaked[:3]}')
    for t, trs in township_rows(out).items():
        for r in trs:
            v = r['身份证号'].strip()
            check(v == '' or re.fullmatch(r'.{6}\*+.{4}', v) or set(v) <= {'*'}, f'{t}: ID cell {v!r} not masked')

    print('failed runs print no ID number')
    p = run(county, '--scope', '320481198005121014')
    check(p.returncode == 1, f'bad scope: exit {p.returncode}')
    scan('error message (scope)', p.stdout + p.stderr, ids, names)
    bad = shutil.copytree(county, os.path.join(root, 'bad'), ignore=shutil.ignore_patterns('out', 'state'))
    roll_rows = open(os.path.join(bad, 'roll.csv'), encoding='utf-8-sig').read().splitlines()
    # A roll keyed by ID numbers, every row twice: the reject-ratio error quotes the first reject
    # ("repeated record_id <ID number> ...").
    edit = json.load(open(os.path.join(bad, 'config.json')))
    with open(os.path.join(bad, 'roll2.csv'), 'w', encoding='utf-8') as f:
        f.write(roll_rows[0] + '\n')
        for line in roll_rows[1:50]:
            c = line.split(',')
            f.write(','.join([c[1] if c[1] else c[0]] + c[1:]) + '\n')
            f.write(','.join([c[1] if c[1] else c[0]] + c[1:]) + '\n')
    edit['feeds']['roll'] = ['roll2.csv']
    json.dump(edit, open(os.path.join(bad, 'config.json'), 'w'))
    p = run(bad, '--verbose')
    check(p.returncode == 1, f'ID-keyed roll with repeats: exit {p.returncode}: {p.stderr}')
    scan('error message (reject ratio, IDs as record ids)', p.stdout + p.stderr, ids, names)

    shutil.rmtree(root, ignore_errors=True)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
