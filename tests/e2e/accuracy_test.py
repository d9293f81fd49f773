#!/usr/bin/env python3
"""Accuracy end to end: generate a county with known truth, run the real binary, score it.

usage: accuracy_test.py ROLLMATCH ROLLMATCH_GEN --persons N --seeds 1,2 --noise cosmetic|full
                        [--resolver probabilistic|exact-id] [--require exact|targets] [--work DIR]

--require exact    every flag, every evidence value, every statistic and every reject exactly as the truth
                   (bench/score.py --require-exact)
--require targets  the person-resolution targets: every flag code F1 >= 0.99, DUPLICATE pair precision
                   >= 0.995 and recall >= 0.99, every township's registration rate within 0.1 percentage
                   point, and not one merge of two different people who share name and birth date
Prints the scorer's table for every seed (the figures go into the closing notes).
"""
import argparse, csv, json, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCORE = os.path.join(HERE, '..', '..', 'bench', 'score.py')


def wrong_twin_merges(world, persons_csv):
    """Our persons that hold records of two true persons sharing name and birth date (different IDs)."""
    truth = {}
    for r in csv.DictReader(open(os.path.join(world, 'truth', 'records.csv'), encoding='utf-8')):
        truth[(r['feed'], r['record_id'])] = r['person_id']
    identity = {}  # true person → (name, birth) from the hukou feed
    path = os.path.join(world, 'hukou.jsonl')
    if os.path.exists(path):
        for line in open(path, encoding='utf-8'):
            try:
                h = json.loads(line)
            except ValueError:
                continue
            p = truth.get(('hukou', str(h.get('record_id'))))
            if p is not None:
                identity[p] = (''.join(str(h.get('name', '')).split()), str(h.get('birth_date', '')).replace('/', '-'))
    ours = {}
    for r in csv.DictReader(open(persons_csv, encoding='utf-8')):
        t = truth.get((r['feed'], r['record_id']))
        if t is not None:
            ours.setdefault(r['person_id'], set()).add(t)
    bad = 0
    for members in ours.values():
        if len(members) < 2:
            continue
        ids = [identity[m] for m in members if m in identity]
        if len(ids) != len(set(ids)):
            bad += 1
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('rollmatch')
    ap.add_argument('generator')
    ap.add_argument('--persons', type=int, required=True)
    ap.add_argument('--seeds', default='1')
    ap.add_argument('--noise', default='full')
    ap.add_argument('--resolver', default='probabilistic')
    ap.add_argument('--require', choices=['exact', 'targets'], required=True)
    ap.add_argument('--work')
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix='accuracy-')
    failures = []
    try:
        for seed in a.seeds.split(','):
            world = os.path.join(work, f'world-{a.persons}-{seed}-{a.noise}')
            if not os.path.exists(os.path.join(world, 'truth', 'expected_flags.jsonl')):
                shutil.rmtree(world, ignore_errors=True)
                subprocess.run([a.generator, '--persons', str(a.persons), '--seed', seed, '--noise', a.noise,
                                '--out', world], check=True, stdout=subprocess.DEVNULL)
            out = os.path.join(world, f'out-{a.resolver}')
            persons = os.path.join(world, f'persons-{a.resolver}.csv')
            p = subprocess.run([a.rollmatch, 'run', '--config', os.path.join(world, 'config.json'), '--out', out,
                                '--resolver', a.resolver, '--persons-out', persons, '--quiet'],
                               capture_output=True, text=True)
            if p.returncode != 0:
                failures.append(f'seed {seed}: rollmatch exited {p.returncode}: {p.stderr.strip()}')
                continue
            report = os.path.join(world, f'score-{a.resolver}.json')
            args = [sys.executable, SCORE, out, os.path.join(world, 'truth'), '--json', report, '--persons', persons]
            if a.require == 'exact':
                args.append('--require-exact')
            s = subprocess.run(args, capture_output=True, text=True)
            print(f'== seed {seed}, {a.persons} persons, noise {a.noise}, resolver {a.resolver}')
            print(s.stdout)
            if a.require == 'exact':
                if s.returncode != 0:
                    failures.append(f'seed {seed}: not exactly the truth')
                continue
            score = json.load(open(report))
            for code, c in score['codes'].items():
                if c['tp'] + c['fn'] > 0 and c['f1'] < 0.99:
                    failures.append(f'seed {seed}: {code} F1 {c["f1"]:.4f} < 0.99')
            d = score['duplicate']
            if d['pair_precision'] < 0.995:
                failures.append(f'seed {seed}: DUPLICATE pair precision {d["pair_precision"]:.4f} < 0.995')
            if d['pair_recall'] < 0.99:
                failures.append(f'seed {seed}: DUPLICATE pair recall {d["pair_recall"]:.4f} < 0.99')
            err = score['stats']['max_township_rate_error_pp']
            if err > 0.1:
                failures.append(f'seed {seed}: township registration rate off by {err:.4f} pp > 0.1')
            merges = wrong_twin_merges(world, persons)
            print(f'wrong merges of people sharing name and birth date: {merges}')
            if merges:
                failures.append(f'seed {seed}: {merges} merges of different people sharing name and birth date')
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print('FAIL ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
