#!/usr/bin/env python3
"""Runs rollmatch on an example county folder and compares its flags and statistics with the
folder's expected_flags.jsonl and expected_stats.csv (the format of tests/data/tiny-county).

usage: check_example.py ROLLMATCH_BINARY EXAMPLE_DIR
Exit 0 when flags (code, subject / duplicate records, keep, reason, kind, fields) and every listed
statistic match exactly.
"""
import csv, json, os, shutil, subprocess, sys, tempfile


def ref(r):
    return r if isinstance(r, str) else f"{r.get('feed')}:{r.get('record_id')}"


def key(f):
    if f.get('code') == 'DUPLICATE':
        return ('DUPLICATE', tuple(sorted(ref(r) for r in f.get('records') or [] if ref(r).startswith('roll:'))))
    return (f.get('code'), ref(f.get('subject')))


def details(f):
    ev = f.get('evidence') or {}
    d = {}
    if f.get('keep'):
        d['keep'] = ref(f['keep'])
    for k in ('reason', 'kind'):
        if ev.get(k):
            d[k] = ev[k]
    if ev.get('fields'):
        d['fields'] = sorted((x['field'], x['registered'], x['authoritative']) for x in ev['fields'])
    return d


def main():
    binary, example = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix='example-')
    try:
        for name in os.listdir(example):
            if not name.startswith('expected') and name != 'README.md':
                shutil.copy(os.path.join(example, name), work)
        p = subprocess.run([binary, 'run', '--config', 'config.json'], cwd=work, capture_output=True, text=True,
                           timeout=120)
        if p.returncode != 0:
            print(f'rollmatch exited {p.returncode}: {p.stderr.strip()}')
            return 1
        got = {key(json.loads(l)): json.loads(l) for l in open(os.path.join(work, 'out', 'flags.jsonl'),
                                                                encoding='utf-8') if l.strip()}
        want = {key(json.loads(l)): json.loads(l) for l in open(os.path.join(example, 'expected_flags.jsonl'),
                                                                 encoding='utf-8') if l.strip()}
        problems = [f'missing flag {k}' for k in sorted(set(want) - set(got), key=str)]
        problems += [f'unexpected flag {k}' for k in sorted(set(got) - set(want), key=str)]
        for k in set(want) & set(got):
            w, g = details(want[k]), details(got[k])
            for field, v in w.items():
                if g.get(field) != v:
                    problems.append(f'{k}: {field} is {g.get(field)!r}, expected {v!r}')
        rows = {(r['region_code'], r['level']): r for r in
                csv.DictReader(open(os.path.join(work, 'out', 'stats.csv'), encoding='utf-8-sig'))}
        for r in csv.DictReader(open(os.path.join(example, 'expected_stats.csv'), encoding='utf-8')):
            h = rows.get((r['region_code'], r['level']))
            if h is None:
                problems.append(f'stats: no row {r["region_code"]} {r["level"]}')
                continue
            for col, v in r.items():
                if col not in ('region_code', 'level') and h.get(col, '') != v:
                    problems.append(f'stats {r["region_code"]} {col}: {h.get(col)!r}, expected {v!r}')
        for p in problems:
            print(p)
        if not problems:
            print(f'{os.path.basename(example)}: {len(got)} flags and the statistics exactly as expected')
        return 1 if problems else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
