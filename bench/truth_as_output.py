#!/usr/bin/env python3
"""Writes rollmatch-gen's truth in the shape of a rollmatch output folder.

    python3 bench/truth_as_output.py TRUTH_DIR OUT_DIR

OUT_DIR gets flags.jsonl (record references as {feed, record_id} objects, as
outputs.md has them), stats.csv (with a UTF-8 BOM, as the engine writes it) and
rejects.jsonl (one per broken row). Scoring it against the same truth must be an
exact match; that is how bench/score.py itself is tested.
"""
import csv
import json
import os
import sys


def obj(r):
    feed, rid = r.split(':', 1)
    return {'feed': feed, 'record_id': rid}


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    truth, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(truth, 'expected_flags.jsonl'), encoding='utf-8') as f, \
            open(os.path.join(out, 'flags.jsonl'), 'w', encoding='utf-8') as w:
        for line in f:
            if not line.strip():
                continue
            t = json.loads(line)
            o = {'code': t['code']}
            if t['code'] == 'DUPLICATE':
                o['subject'] = obj(t.get('subject') or t['keep'])
                o['records'] = [obj(r) for r in t['records']]
                o['keep'] = obj(t['keep'])
            else:
                o['subject'] = obj(t['subject'])
                o['records'] = [obj(t['subject'])]
            o['evidence'] = t.get('evidence', {})
            w.write(json.dumps(o, ensure_ascii=False) + '\n')
    with open(os.path.join(truth, 'expected_stats.csv'), encoding='utf-8') as f, \
            open(os.path.join(out, 'stats.csv'), 'w', encoding='utf-8-sig', newline='') as w:
        w.write(f.read())
    with open(os.path.join(truth, 'broken_rows.csv'), encoding='utf-8', newline='') as f, \
            open(os.path.join(out, 'rejects.jsonl'), 'w', encoding='utf-8') as w:
        for row in csv.DictReader(f):
            w.write(json.dumps({'feed': row['feed'], 'file': row['file'], 'line': int(row['line']),
                                'reason': row['kind'], 'raw': ''}, ensure_ascii=False) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
