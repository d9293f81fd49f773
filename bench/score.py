#!/usr/bin/env python3
"""Scores a rollmatch output folder against the generator's truth (standard library only).

    python3 bench/score.py OUT_DIR TRUTH_DIR [--json FILE] [--require-exact]

OUT_DIR   a rollmatch run's output: flags.jsonl, stats.csv (a UTF-8 BOM is fine), rejects.jsonl
TRUTH_DIR rollmatch-gen's truth/: expected_flags.jsonl, expected_stats.csv, broken_rows.csv

Prints, per flag code, TP/FP/FN, precision, recall and F1 (a flag is identified by
(code, subject); a DUPLICATE by the sorted set of its roll records); DUPLICATE pair
precision/recall (every pair of roll records within one flag) and keep accuracy;
WRONG_DETAILS field accuracy (fields compared as sets of (field, registered,
authoritative)); MISSING_ELIGIBLE reason and WRONG_NO_RIGHTS kind accuracy; the
largest township registration-rate error in percentage points and every count cell
that differs; rejects against broken rows as sets of (feed, line).

--require-exact: exit status 1 unless everything matches exactly (every code P=R=1,
evidence equal, stats equal, rejects equal); the first 20 differences are printed.
--json FILE: also write the figures as JSON.
"""
import argparse
import csv
import io
import json
import os
import sys
from collections import defaultdict

CODES = ['WRONG_NOT_FOUND', 'WRONG_DECEASED', 'WRONG_NO_RIGHTS', 'WRONG_UNDERAGE', 'WRONG_MOVED_OUT',
         'WRONG_DISTRICT', 'WRONG_DETAILS', 'DUPLICATE', 'MISSING_ELIGIBLE', 'MISSING_MIGRANT']


def ref(x):
    """A record reference as 'feed:record_id' from either a dict or a string."""
    if x is None:
        return None
    if isinstance(x, dict):
        return '%s:%s' % (x.get('feed', ''), x.get('record_id', ''))
    return str(x)


def load_flags(path):
    """Returns {key: flag} where flag has code, subject, records, keep, evidence."""
    flags = {}
    dupes = 0
    with open(path, encoding='utf-8-sig') as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            raw = json.loads(line)
            code = raw.get('code', '')
            records = [ref(r) for r in raw.get('records') or []]
            fl = {'code': code, 'subject': ref(raw.get('subject')), 'keep': ref(raw.get('keep')),
                  'records': records, 'evidence': raw.get('evidence') or {}}
            if code == 'DUPLICATE':
                rolls = sorted({r for r in records if r.startswith('roll:')})
                if not rolls:
                    rolls = sorted({r for r in (fl['subject'], fl['keep']) if r})
                fl['rolls'] = rolls
                key = (code, tuple(rolls))
            else:
                key = (code, fl['subject'])
            if key in flags:
                dupes += 1
            flags[key] = fl
    return flags, dupes


def details_set(fl):
    return {(x.get('field'), x.get('registered'), x.get('authoritative')) for x in fl['evidence'].get('fields') or []}


def ratio(a, b):
    return a / b if b else None


def fmt(x):
    return '   -  ' if x is None else '%6.4f' % x


def load_stats(path):
    with open(path, encoding='utf-8-sig', newline='') as f:
        reader = csv.DictReader(f)
        return reader.fieldnames or [], {row['region_code']: row for row in reader}


def to_int(v):
    try:
        return int(v) if v not in (None, '') else 0
    except ValueError:
        return None


def to_rate(v):
    try:
        return float(v) if v not in (None, '') else None
    except ValueError:
        return None


def compare_self_estimates(out_dir, truth_dir, persons_csv):
    """The resolver's own estimate of its wrong and missed links (no labels) beside the true counts.

    A wrong link puts a record into a person it does not belong to: per resolved person, its records
    minus those of its largest true person. A missed link leaves a true person split: per true person,
    the resolved persons it is spread over, minus one."""
    truth = {}
    with open(os.path.join(truth_dir, 'records.csv'), encoding='utf-8', newline='') as f:
        for r in csv.DictReader(f):
            truth[(r['feed'], r['record_id'])] = r['person_id']
    ours = {}
    with open(persons_csv, encoding='utf-8', newline='') as f:
        for r in csv.DictReader(f):
            t = truth.get((r['feed'], r['record_id']))
            if t is not None:
                ours.setdefault(r['person_id'], []).append(t)
    wrong = 0
    spread = {}
    for members in ours.values():
        counts = {}
        for m in members:
            counts[m] = counts.get(m, 0) + 1
        wrong += len(members) - max(counts.values())
    for pid, members in ours.items():
        for m in set(members):
            spread[m] = spread.get(m, 0) + 1
    missed = sum(v - 1 for v in spread.values())
    est_wrong = est_missed = None
    mp = os.path.join(out_dir, 'manifest.json')
    if os.path.exists(mp):
        res = json.load(open(mp, encoding='utf-8')).get('resolution', {})
        est_wrong, est_missed = res.get('expected_false_links'), res.get('expected_missed_links')
    print()
    print('links                self-estimated (no labels)   true')
    print('  wrong links        %-28s %d' % ('%.1f' % est_wrong if est_wrong is not None else '-', wrong))
    print('  missed links       %-28s %d' % ('%.1f' % est_missed if est_missed is not None else '-', missed))
    return {'estimated_false_links': est_wrong, 'true_false_links': wrong,
            'estimated_missed_links': est_missed, 'true_missed_links': missed}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('out_dir')
    ap.add_argument('truth_dir')
    ap.add_argument('--json', dest='json_file')
    ap.add_argument('--require-exact', action='store_true')
    ap.add_argument('--persons', dest='persons_csv',
                    help="rollmatch's record → person assignment (run --persons-out): compares the resolver's "
                         "self-estimated error counts (manifest) with the true ones")
    args = ap.parse_args()

    diffs = []  # human-readable differences, in a stable order

    def diff(msg):
        diffs.append(msg)

    out_flags, out_dupes = load_flags(os.path.join(args.out_dir, 'flags.jsonl'))
    exp_flags, _ = load_flags(os.path.join(args.truth_dir, 'expected_flags.jsonl'))
    if out_dupes:
        diff('flags.jsonl repeats %d flags (same code and subject)' % out_dupes)
    result = {'codes': {}, 'flags_repeated': out_dupes}

    # ---- per code ----
    print('%-18s %7s %7s %7s %8s %8s %8s' % ('code', 'TP', 'FP', 'FN', 'prec', 'recall', 'F1'))
    tot = [0, 0, 0]
    for code in CODES + sorted({k[0] for k in out_flags} - set(CODES)):
        e = {k for k in exp_flags if k[0] == code}
        o = {k for k in out_flags if k[0] == code}
        tp, fp, fn = len(e & o), len(o - e), len(e - o)
        p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
        f1 = ratio(2 * p * r, p + r) if p is not None and r is not None and p + r > 0 else (None if p is None or r is None else 0.0)
        print('%-18s %7d %7d %7d %8s %8s %8s' % (code, tp, fp, fn, fmt(p), fmt(r), fmt(f1)))
        result['codes'][code] = {'tp': tp, 'fp': fp, 'fn': fn, 'precision': p, 'recall': r, 'f1': f1}
        tot[0] += tp
        tot[1] += fp
        tot[2] += fn
        for k in sorted(e - o):
            diff('missed %s %s' % (code, k[1] if code != 'DUPLICATE' else list(k[1])))
        for k in sorted(o - e):
            diff('extra %s %s' % (code, k[1] if code != 'DUPLICATE' else list(k[1])))
    p, r = ratio(tot[0], tot[0] + tot[1]), ratio(tot[0], tot[0] + tot[2])
    f1 = ratio(2 * p * r, p + r) if p and r else None
    print('%-18s %7d %7d %7d %8s %8s %8s' % ('all', tot[0], tot[1], tot[2], fmt(p), fmt(r), fmt(f1)))
    result['all'] = {'tp': tot[0], 'fp': tot[1], 'fn': tot[2], 'precision': p, 'recall': r, 'f1': f1}
    print()

    # ---- duplicates: pairs and keep ----
    def pairs(flags):
        s = set()
        for k, fl in flags.items():
            if k[0] != 'DUPLICATE':
                continue
            rs = fl['rolls']
            for i in range(len(rs)):
                for j in range(i + 1, len(rs)):
                    s.add((rs[i], rs[j]))
        return s
    ep, op = pairs(exp_flags), pairs(out_flags)
    pp, pr = ratio(len(ep & op), len(op)), ratio(len(ep & op), len(ep))
    both = [k for k in exp_flags if k[0] == 'DUPLICATE' and k in out_flags]
    keep_ok = sum(1 for k in both if exp_flags[k]['keep'] == out_flags[k]['keep'])
    for k in both:
        if exp_flags[k]['keep'] != out_flags[k]['keep']:
            diff('DUPLICATE %s keep %s, expected %s' % (list(k[1]), out_flags[k]['keep'], exp_flags[k]['keep']))
    print('DUPLICATE pairs      precision %s  recall %s  (%d expected, %d found)' % (fmt(pp), fmt(pr), len(ep), len(op)))
    print('DUPLICATE keep       accuracy  %s  (%d of %d matched flags)' % (fmt(ratio(keep_ok, len(both))), keep_ok, len(both)))
    result['duplicate'] = {'pair_precision': pp, 'pair_recall': pr, 'pairs_expected': len(ep), 'pairs_found': len(op),
                           'keep_accuracy': ratio(keep_ok, len(both)), 'keep_matched': len(both)}

    # ---- evidence ----
    def evidence_accuracy(code, get, label):
        keys = [k for k in exp_flags if k[0] == code and k in out_flags]
        ok = 0
        for k in sorted(keys):
            a, b = get(out_flags[k]), get(exp_flags[k])
            if a == b:
                ok += 1
            else:
                diff('%s %s %s %s, expected %s' % (code, k[1], label, sorted(a) if isinstance(a, set) else a,
                                                    sorted(b) if isinstance(b, set) else b))
        acc = ratio(ok, len(keys))
        print('%-20s accuracy  %s  (%d of %d matched flags)' % (code + ' ' + label, fmt(acc), ok, len(keys)))
        return {'accuracy': acc, 'correct': ok, 'matched': len(keys)}
    result['wrong_details_fields'] = evidence_accuracy('WRONG_DETAILS', details_set, 'fields')
    ef = {(k[1],) + t for k, fl in exp_flags.items() if k[0] == 'WRONG_DETAILS' for t in details_set(fl)}
    of = {(k[1],) + t for k, fl in out_flags.items() if k[0] == 'WRONG_DETAILS' for t in details_set(fl)}
    fp_, fr_ = ratio(len(ef & of), len(of)), ratio(len(ef & of), len(ef))
    print('WRONG_DETAILS field tuples precision %s  recall %s  (%d expected, %d found)' % (fmt(fp_), fmt(fr_), len(ef), len(of)))
    result['wrong_details_fields'].update({'tuple_precision': fp_, 'tuple_recall': fr_})
    result['missing_eligible_reason'] = evidence_accuracy('MISSING_ELIGIBLE', lambda f: f['evidence'].get('reason'), 'reason')
    result['wrong_no_rights_kind'] = evidence_accuracy('WRONG_NO_RIGHTS', lambda f: f['evidence'].get('kind'), 'kind')
    print()

    # ---- stats ----
    exp_header, exp_rows = load_stats(os.path.join(args.truth_dir, 'expected_stats.csv'))
    out_path = os.path.join(args.out_dir, 'stats.csv')
    out_header, out_rows = load_stats(out_path) if os.path.exists(out_path) else ([], {})
    if not out_header:
        diff('no stats.csv in %s' % args.out_dir)
    count_cols = [c for c in exp_header if c not in ('region_code', 'level', 'registration_rate')]
    missing_cols = [c for c in count_cols if out_header and c not in out_header]
    for c in missing_cols:
        diff('stats.csv has no column %s' % c)
    stat_diffs = []
    worst_rate, worst_region = 0.0, None
    for region in sorted(set(exp_rows) | set(out_rows)):
        e, o = exp_rows.get(region, {}), out_rows.get(region, {})
        if e and o and e.get('level') != o.get('level'):
            stat_diffs.append((region, 'level', o.get('level'), e.get('level')))
        for c in count_cols:
            if c in missing_cols:
                continue
            ev, ov = to_int(e.get(c)), to_int(o.get(c))
            if ev != ov:
                stat_diffs.append((region, c, o.get(c, ''), e.get(c, '')))
        er, orate = to_rate(e.get('registration_rate')), to_rate(o.get('registration_rate'))
        if (er is None) != (orate is None) or (er is not None and abs(er - orate) > 5e-7):
            stat_diffs.append((region, 'registration_rate', o.get('registration_rate', ''), e.get('registration_rate', '')))
        level = e.get('level') or o.get('level')
        if level == 'township' and (er is not None or orate is not None):
            err = abs((er or 0.0) - (orate or 0.0)) * 100
            if err > worst_rate:
                worst_rate, worst_region = err, region
    for d in stat_diffs:
        diff('stats %s %s: %s, expected %s' % d)
    print('stats                largest township registration-rate error %.4f pp%s' % (
        worst_rate, ' (%s)' % worst_region if worst_region else ''))
    print('stats                %d cells differ%s' % (len(stat_diffs), ', %d columns missing' % len(missing_cols) if missing_cols else ''))
    for d in stat_diffs[:10]:
        print('  %s %s: %s, expected %s' % d)
    result['stats'] = {'max_township_rate_error_pp': worst_rate, 'worst_township': worst_region,
                       'cells_differing': len(stat_diffs), 'missing_columns': missing_cols,
                       'differences': [list(d) for d in stat_diffs[:1000]]}

    # ---- rejects ----
    er = set()
    with open(os.path.join(args.truth_dir, 'broken_rows.csv'), encoding='utf-8', newline='') as f:
        for row in csv.DictReader(f):
            er.add((row['feed'], int(row['line'])))
    orj = set()
    rej_path = os.path.join(args.out_dir, 'rejects.jsonl')
    if os.path.exists(rej_path):
        with open(rej_path, encoding='utf-8-sig') as f:
            for line in f:
                if line.strip():
                    x = json.loads(line)
                    orj.add((x.get('feed'), int(x.get('line', 0))))
    elif er:
        diff('no rejects.jsonl in %s' % args.out_dir)
    for x in sorted(er - orj):
        diff('reject missing: %s line %d' % x)
    for x in sorted(orj - er):
        diff('reject not expected: %s line %d' % x)
    print('rejects              %d expected, %d found, %d missing, %d extra' % (len(er), len(orj), len(er - orj), len(orj - er)))
    result['rejects'] = {'expected': len(er), 'found': len(orj), 'missing': len(er - orj), 'extra': len(orj - er)}

    if args.persons_csv:
        result['self_estimates'] = compare_self_estimates(args.out_dir, args.truth_dir, args.persons_csv)

    exact = not diffs
    result['exact'] = exact
    result['differences'] = diffs[:1000]
    print()
    print('exact match: %s (%d differences)' % ('yes' if exact else 'no', len(diffs)))
    if args.json_file:
        with open(args.json_file, 'w', encoding='utf-8') as f:
            json.dump(result, f, ensure_ascii=False, indent=2)
    if args.require_exact and not exact:
        print('first differences:')
        for d in diffs[:20]:
            print('  ' + d)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
