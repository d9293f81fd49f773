#!/usr/bin/env python3
"""End-to-end benchmark: the real `rollmatch run` on a generated world (standard library only).

    python3 bench/e2e_bench.py --persons 1000000 [--seed 1] [--noise full] [--resolver probabilistic]
                               [--threads 0] [--compare-threads] [--repeat 1] [--out-dir DIR]
                               [--cache-dir DIR] [--build-dir build-bench] [--json FILE]

Generates the world of N persons once with rollmatch-gen (cached in --cache-dir, keyed by
persons/seed/noise), runs the real binary on it with --threads (0 = all cores), and prints
the wall time, records/s, the per-stage times of manifest.json (and the resolver's own
sub-stages), peak RSS (manifest peak_rss_bytes and /usr/bin/time -v), and the scorer's
figures on the outputs (bench/score.py against the generator's truth). --compare-threads
runs --threads 1 and then all cores and prints the speed-up. --persons takes a comma list.

Each run ends with a markdown table row for bench/README.md. The machine's load average is
printed before every run: on a shared machine, wall times are only as good as that.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STAGES = ['ingest', 'normalize', 'resolve', 'rules', 'state', 'write']
CODES = ['WRONG_NOT_FOUND', 'WRONG_DECEASED', 'WRONG_NO_RIGHTS', 'WRONG_UNDERAGE', 'WRONG_MOVED_OUT',
         'WRONG_DISTRICT', 'WRONG_DETAILS', 'DUPLICATE', 'MISSING_ELIGIBLE', 'MISSING_MIGRANT']
TABLE_HEADER = ('| persons | records | resolver | threads | wall s | CPU s | records/s | ingest | normalize | resolve | rules '
                '| write | peak RSS MiB | F1 all | min F1 (code) | load avg |\n'
                '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|')


def find_binary(build_dir, name):
    for d in ([build_dir] if build_dir else []) + ['build-bench', 'build']:
        p = os.path.join(ROOT, d, name) if not os.path.isabs(d) else os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    sys.exit('e2e_bench: %s not found in %s; build it: cmake -S . -B build-bench -G Ninja '
             '-DCMAKE_BUILD_TYPE=Release && cmake --build build-bench -j2 --target rollmatch rollmatch-gen'
             % (name, build_dir or 'build-bench/ or build/'))


def world_dir(cache_dir, persons, seed, noise):
    return os.path.join(cache_dir, 'p%d-s%d-%s' % (persons, seed, noise))


def ensure_world(gen, cache_dir, persons, seed, noise):
    """Generates the world once; a marker file says the generation finished."""
    d = world_dir(cache_dir, persons, seed, noise)
    marker = os.path.join(d, '.generated.json')
    if os.path.exists(marker):
        with open(marker) as f:
            info = json.load(f)
        print('world %s: cached (generated in %.1f s)' % (d, info.get('seconds', 0)))
        return d, info
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(cache_dir, exist_ok=True)
    cmd = [gen, '--persons', str(persons), '--seed', str(seed), '--noise', noise, '--out', d]
    print('generating: ' + ' '.join(cmd), flush=True)
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    info = {'seconds': time.monotonic() - t0, 'command': ' '.join(cmd),
            'bytes': sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d)
                         if os.path.isfile(os.path.join(d, f)))}
    with open(marker, 'w') as f:
        json.dump(info, f)
    print('generated %s in %.1f s (%.0f MB of feeds)' % (d, info['seconds'], info['bytes'] / 1e6))
    return d, info


def parse_time_v(text):
    """(max RSS bytes, user + system CPU seconds) from /usr/bin/time -v, None where absent."""
    m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', text)
    u = re.search(r'User time \(seconds\): ([\d.]+)', text)
    s = re.search(r'System time \(seconds\): ([\d.]+)', text)
    return (int(m.group(1)) * 1024 if m else None,
            float(u.group(1)) + float(s.group(1)) if u and s else None)


def run_once(rollmatch, world, out_root, threads, resolver, persons):
    tag = 'p%d-t%d-%s' % (persons, threads, resolver)
    out = os.path.join(out_root, tag)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out_root, exist_ok=True)
    state = os.path.join(out_root, tag + '.state.db')
    for p in (state, state + '-wal', state + '-shm'):
        if os.path.exists(p):
            os.remove(p)
    cmd = [rollmatch, 'run', '--config', os.path.join(world, 'config.json'), '--out', out, '--state', state,
           '--threads', str(threads), '--resolver', resolver, '--quiet']
    timev = shutil.which('time') or ('/usr/bin/time' if os.path.exists('/usr/bin/time') else None)
    full = ([timev, '-v'] if timev else []) + cmd
    load = os.getloadavg()[0]
    print('\n$ ' + ' '.join(cmd))
    print('load average before the run: %.2f (%d cores)' % (load, os.cpu_count() or 0), flush=True)
    t0 = time.monotonic()
    proc = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        sys.exit('e2e_bench: rollmatch failed (exit %d)' % proc.returncode)
    with open(os.path.join(out, 'manifest.json'), encoding='utf-8') as f:
        manifest = json.load(f)
    rss, cpu = parse_time_v(proc.stderr)
    return {'out': out, 'wall': wall, 'manifest': manifest, 'time_v_rss': rss, 'cpu': cpu,
            'threads': threads, 'resolver': resolver, 'load': load, 'command': ' '.join(cmd)}


def score(out, world, json_path):
    cmd = [sys.executable, os.path.join(ROOT, 'bench', 'score.py'), out, os.path.join(world, 'truth'),
           '--json', json_path]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if not os.path.exists(json_path):
        sys.stderr.write(proc.stdout)
        sys.exit('e2e_bench: score.py failed')
    with open(json_path, encoding='utf-8') as f:
        return json.load(f), proc.stdout


def report(r, persons, score_json):
    m = r['manifest']
    stages = {s['stage']: s for s in m.get('stages', [])}
    rows = m.get('rows_read', 0)
    print('wall %.2f s (manifest %.2f s), CPU %s s, %d records read, %.0f records/s, threads %s'
          % (r['wall'], m.get('seconds', 0), '%.2f' % r['cpu'] if r['cpu'] is not None else 'n/a', rows,
             rows / r['wall'] if r['wall'] else 0, m.get('config', {}).get('threads')))
    print('%-12s %9s %12s %14s' % ('stage', 'seconds', 'items', 'items/s'))
    for name in STAGES + sorted(set(stages) - set(STAGES)):
        if name in stages:
            s = stages[name]
            print('%-12s %9.3f %12d %14.0f' % (name, s['seconds'], s['items'], s.get('items_per_second', 0)))
    sub = {k[len('seconds.'):]: v for k, v in m.get('resolution', {}).items() if k.startswith('seconds.')}
    if sub:
        print('resolve sub-stages: ' + ', '.join('%s %.3f s' % kv for kv in sub.items()))
    res = m.get('resolution', {})
    if 'candidate_pairs' in res:
        print('candidate pairs %d, pairs skipped (two valid IDs) %d'
              % (res['candidate_pairs'], res.get('pairs_skipped_two_valid_ids', 0)))
    rss = m.get('peak_rss_bytes', 0)
    print('peak RSS: manifest %.1f MiB, /usr/bin/time -v %s'
          % (rss / 2**20, '%.1f MiB' % (r['time_v_rss'] / 2**20) if r['time_v_rss'] else 'n/a'))
    f1s = {}
    if score_json:
        codes = score_json.get('codes', {})
        f1s = {c: codes.get(c, {}).get('f1') for c in CODES}
        print('score: ' + ', '.join('%s %s' % (c, '-' if f is None else '%.4f' % f) for c, f in f1s.items()))
        print('score: all F1 %.4f, precision %.4f, recall %.4f' % (
            score_json['all']['f1'] or 0, score_json['all']['precision'] or 0, score_json['all']['recall'] or 0))
    known = [(f, c) for c, f in f1s.items() if f is not None]
    worst = min(known) if known else None
    rss_mib = max(rss, r['time_v_rss'] or 0) / 2**20

    def st(name):
        return '%.2f' % stages[name]['seconds'] if name in stages else '-'
    row = '| %s | %s | %s | %d | %.2f | %s | %s | %s | %s | %s | %s | %s | %.0f | %s | %s | %.1f |' % (
        '{:,}'.format(persons), '{:,}'.format(rows), r['resolver'], m.get('config', {}).get('threads', r['threads']),
        r['wall'], '%.2f' % r['cpu'] if r['cpu'] is not None else '-', '{:,.0f}'.format(rows / r['wall']), st('ingest'), st('normalize'), st('resolve'), st('rules'),
        st('write'), rss_mib,
        '%.4f' % score_json['all']['f1'] if score_json and score_json['all']['f1'] is not None else '-',
        '%.4f (%s)' % worst if worst else '-', r['load'])
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--persons', default='100000', help='N, or a comma list (e.g. 100000,1000000)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--noise', default='full', choices=['none', 'cosmetic', 'full'])
    ap.add_argument('--resolver', default='probabilistic', choices=['probabilistic', 'exact-id'])
    ap.add_argument('--threads', type=int, default=0, help='0 = all cores (default)')
    ap.add_argument('--compare-threads', action='store_true', help='run --threads 1 and all cores; print the speed-up')
    ap.add_argument('--repeat', type=int, default=1, help='runs per setting; the fastest is reported')
    ap.add_argument('--out-dir', default=os.path.join(os.environ.get('TMPDIR', '/tmp'), 'rollmatch-e2e-out'))
    ap.add_argument('--cache-dir', default=os.path.join(os.environ.get('TMPDIR', '/tmp'), 'rollmatch-bench-worlds'))
    ap.add_argument('--build-dir', default=None, help='where rollmatch and rollmatch-gen are (default build-bench/, build/)')
    ap.add_argument('--no-score', action='store_true')
    ap.add_argument('--json', dest='json_file', help='write every run\'s figures as JSON')
    args = ap.parse_args()

    rollmatch = find_binary(args.build_dir, 'rollmatch')
    gen = find_binary(args.build_dir, 'rollmatch-gen')
    cores = os.cpu_count() or 1
    rows, results = [], []
    for persons in [int(x) for x in args.persons.split(',') if x]:
        world, info = ensure_world(gen, args.cache_dir, persons, args.seed, args.noise)
        settings = [1, cores] if args.compare_threads else [args.threads]
        walls = {}
        for threads in settings:
            best = None
            for _ in range(max(1, args.repeat)):
                r = run_once(rollmatch, world, args.out_dir, threads, args.resolver, persons)
                if best is None or r['wall'] < best['wall']:
                    best = r
            sj = None
            if not args.no_score:
                sj, _ = score(best['out'], world, best['out'] + '.score.json')
            rows.append(report(best, persons, sj))
            walls[threads] = best['wall']
            results.append({'persons': persons, 'seed': args.seed, 'noise': args.noise, 'threads': threads,
                            'resolver': args.resolver, 'wall_seconds': best['wall'], 'command': best['command'],
                            'generation_seconds': info.get('seconds'), 'load_average': best['load'],
                            'manifest_seconds': best['manifest'].get('seconds'),
                            'rows_read': best['manifest'].get('rows_read'),
                            'stages': best['manifest'].get('stages'),
                            'resolution_seconds': {k: v for k, v in best['manifest'].get('resolution', {}).items()
                                                   if k.startswith('seconds.')},
                            'peak_rss_bytes': best['manifest'].get('peak_rss_bytes'),
                            'time_v_max_rss_bytes': best['time_v_rss'], 'cpu_seconds': best['cpu'],
                            'score': {k: sj[k] for k in ('codes', 'all', 'duplicate', 'stats') if k in sj} if sj else None})
        if args.compare_threads and 1 in walls and cores in walls and cores != 1:
            print('\nspeed-up %d threads vs 1 at %s persons: %.2fx (%.2f s -> %.2f s)'
                  % (cores, '{:,}'.format(persons), walls[1] / walls[cores], walls[1], walls[cores]))
            results.append({'persons': persons, 'speedup': walls[1] / walls[cores], 'threads': cores})
    print('\n' + TABLE_HEADER)
    for row in rows:
        print(row)
    if args.json_file:
        with open(args.json_file, 'w', encoding='utf-8') as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
