#!/usr/bin/env python3
"""Golden rule cases: each .case file is a tiny county and the exact flags it must give.

usage: run_golden.py ROLLMATCH_BINARY CASE_FILE...

A case file has sections. `[config]` holds key=value lines (scope, election_day,
previous_election_day); `[<feed>.csv]` / `[<feed>.jsonl]` sections hold the feed files verbatim;
`[expect]` lists every flag the run must produce, one per line, and nothing else may appear:

    CODE feed:record_id [keep=feed:id] [records=feed:id,feed:id] [reason=...] [kind=...]
         [fields=field:registered>authoritative;...]

For DUPLICATE the second word lists the roll records (comma-separated) and keep= names the kept one.
`[expect-stats]` (optional) lists `region_code level column=value ...` rows to check in stats.csv.
The runner writes the files into a temporary folder, runs `rollmatch run`, and compares.
"""
import csv, json, os, shutil, subprocess, sys, tempfile


def parse_case(path):
    sections, cur = {}, None
    for line in open(path, encoding='utf-8'):
        s = line.rstrip('\n')
        if s.startswith('[') and s.endswith(']') and ' ' not in s:
            cur = s[1:-1]
            sections[cur] = []
            continue
        if cur is None:
            continue  # description before the first section
        sections[cur].append(s)
    return sections


def flag_key(code, subject_or_records):
    return (code, subject_or_records)


def expected_flags(lines):
    want = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        words = line.split()
        code, who = words[0], words[1]
        attrs = dict(w.split('=', 1) for w in words[2:])
        if code == 'DUPLICATE':
            key = (code, tuple(sorted(who.split(','))))
        else:
            key = (code, who)
        want[key] = attrs
    return want


def actual_flags(out):
    got = {}
    with open(os.path.join(out, 'flags.jsonl'), encoding='utf-8') as f:
        for line in f:
            if not line.strip():
                continue
            fl = json.loads(line)
            ref = lambda r: f"{r['feed']}:{r['record_id']}"
            if fl['code'] == 'DUPLICATE':
                key = ('DUPLICATE', tuple(sorted(ref(r) for r in fl['records'] if r['feed'] == 'roll')))
            else:
                key = (fl['code'], ref(fl['subject']))
            got[key] = fl
    return got


def check_attrs(key, attrs, fl):
    problems = []
    ref = lambda r: f"{r['feed']}:{r['record_id']}"
    ev = fl.get('evidence', {})
    for k, v in attrs.items():
        if k == 'keep':
            if ref(fl.get('keep') or {'feed': '', 'record_id': ''}) != v:
                problems.append(f'{key}: keep {fl.get("keep")} != {v}')
        elif k == 'reason':
            if ev.get('reason') != v:
                problems.append(f'{key}: reason {ev.get("reason")!r} != {v!r}')
        elif k == 'kind':
            if ev.get('kind') != v:
                problems.append(f'{key}: kind {ev.get("kind")!r} != {v!r}')
        elif k == 'fields':
            want = set()
            for part in v.split(';'):
                field, rest = part.split(':', 1)
                reg, auth = rest.split('>', 1)
                want.add((field, reg, auth))
            have = {(x['field'], x['registered'], x['authoritative']) for x in ev.get('fields', [])}
            if want != have:
                problems.append(f'{key}: fields {sorted(have)} != {sorted(want)}')
        elif k == 'records':
            want = set(v.split(','))
            have = {ref(r) for r in fl.get('records', [])}
            if not want <= have:
                problems.append(f'{key}: records {sorted(have)} lack {sorted(want - have)}')
        elif k == 'township':
            if fl.get('township') != v:
                problems.append(f'{key}: township {fl.get("township")!r} != {v!r}')
        elif k == 'acceptable':
            have = ','.join(ev.get('acceptable_districts', []))
            if have != v:
                problems.append(f'{key}: acceptable_districts {have!r} != {v!r}')
        else:
            problems.append(f'{key}: unknown expectation {k}')
    return problems


def run_case(binary, path):
    sec = parse_case(path)
    work = tempfile.mkdtemp(prefix='golden-')
    try:
        cfg = {'feeds': {}, 'out': 'out', 'state': 'state/rollmatch.db', 'max_reject_ratio': 0.5}
        for line in sec.get('config', []):
            if '=' in line:
                k, v = line.split('=', 1)
                cfg[k.strip()] = v.strip()
        for name, lines in sec.items():
            if '.' not in name:
                continue
            with open(os.path.join(work, name), 'w', encoding='utf-8', newline='') as f:
                f.write('\n'.join(l for l in lines if l.strip()) + '\n')
            cfg['feeds'].setdefault(name.split('.')[0], []).append(name)
        json.dump(cfg, open(os.path.join(work, 'config.json'), 'w'), ensure_ascii=False)
        p = subprocess.run([binary, 'run', '--config', 'config.json', '--quiet'], cwd=work,
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            return [f'rollmatch exited {p.returncode}: {p.stderr.strip()}']
        want = expected_flags(sec.get('expect', []))
        got = actual_flags(os.path.join(work, 'out'))
        problems = [f'missing {k}' for k in want if k not in got]
        problems += [f'unexpected {k}: {got[k].get("evidence", {}).get("words", "")}' for k in got if k not in want]
        for k, attrs in want.items():
            if k in got:
                problems += check_attrs(k, attrs, got[k])
        if 'expect-stats' in sec:
            rows = {(r['region_code'], r['level']): r for r in
                    csv.DictReader(open(os.path.join(work, 'out', 'stats.csv'), encoding='utf-8-sig'))}
            for line in sec['expect-stats']:
                words = line.split()
                if not words or words[0].startswith('#'):
                    continue
                row = rows.get((words[0], words[1]))
                if row is None:
                    problems.append(f'stats: no row {words[0]} {words[1]}')
                    continue
                for w in words[2:]:
                    col, v = w.split('=', 1)
                    if row.get(col) != v:
                        problems.append(f'stats {words[0]} {words[1]} {col}: {row.get(col)!r} != {v!r}')
        return problems
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    binary = os.path.abspath(sys.argv[1])
    failed = 0
    for path in sys.argv[2:]:
        problems = run_case(binary, path)
        name = os.path.basename(path)
        if problems:
            failed += 1
            print(f'FAIL {name}')
            for p in problems:
                print('  ' + p)
        else:
            print(f'ok   {name}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
