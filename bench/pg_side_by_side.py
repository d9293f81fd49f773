#!/usr/bin/env python3
"""rollmatch against PostgreSQL 15 on the same generated feeds (standard library + psql).

    python3 bench/pg_side_by_side.py --persons 100000 [--seed 1] [--noise full] [--threads 0]
                                     [--cache-dir DIR] [--out-dir DIR] [--build-dir build-bench]
                                     [--json FILE] [--keep-server]

1. Generates (or reuses, see bench/e2e_bench.py) the world of N persons.
2. Starts a throw-away PostgreSQL 15 server on 127.0.0.1 (initdb into a temporary folder, a
   free port, run as the `postgres` user when this script runs as root), tuned the way an
   analyst would for a batch job (unlogged tables, fsync off, 1 GiB shared buffers, 256 MiB
   work_mem). The server is torn down at the end, also on failure or Ctrl-C.
3. Times the SQL pipeline from the raw files to the results:
   load      the loader here reads each file (gzip, GB18030, BOM), drops unreadable rows into
             rejects.jsonl (broken JSON, wrong column count, invalid bytes, empty required
             field, repeated record_id) and COPYs the rest into text tables; also OpenCC's
             traditional->simplified table for names;
   normalize bench/pg/20_functions.sql + 30_normalize.sql (IDs: trim, full-width digits by
             translate(), upper x, 15->18; dates; gender; names: spaces, dot variants,
             traditional->simplified per character);
   persons   40_persons.sql: exact-ID joins; name + birth date fallback; fuzzystrmatch
             levenshtein_less_equal() within birth-date blocks (registrations vs hukou, and
             registrations vs registrations: fuzzy duplicates);
   rules     50_rules.sql: every flag code of rules.md, the acceptable districts, the stats;
   output    60_stats.sql, 61_flags.sql -> stats.csv, flags.jsonl.
4. Runs rollmatch on the same files, scores both with bench/score.py, and prints both times,
   the ratio and both score tables side by side.

PostgreSQL comes from scripts/install_bench_deps.sh (postgresql postgresql-contrib), which this
script runs, saying so, only when PostgreSQL 15 is missing.
"""
import argparse
import atexit
import csv
import gzip
import io
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import e2e_bench  # noqa: E402  (world cache, rollmatch runs, scoring)

PG_BIN = '/usr/lib/postgresql/15/bin'
SQL_DIR = os.path.join(HERE, 'pg')
FIELDS = {
    'hukou': ['record_id', 'id_number', 'name', 'former_names', 'gender', 'birth_date', 'ethnicity', 'household_id',
              'region_code', 'address', 'status', 'status_date'],
    'migrant': ['record_id', 'id_number', 'name', 'gender', 'birth_date', 'hukou_region_code',
                'residence_region_code', 'address', 'registered_date', 'expiry_date'],
    'social': ['record_id', 'id_number', 'name', 'gender', 'birth_date', 'insured_region_code', 'employer', 'status',
               'last_paid'],
    'roll': ['record_id', 'id_number', 'name', 'gender', 'birth_date', 'district_code', 'region_code', 'basis',
             'registered_date'],
    'rights': ['record_id', 'id_number', 'name', 'kind', 'from_date', 'to_date'],
    'districts': ['district_code', 'district_name', 'township_code', 'kind', 'region_codes'],
}
REQUIRED = {
    'hukou': {'record_id', 'id_number', 'name', 'region_code'},
    'migrant': {'record_id', 'name', 'residence_region_code'},
    'social': {'record_id', 'name', 'insured_region_code'},
    'roll': {'record_id', 'name', 'district_code'},
    'rights': {'record_id', 'name', 'kind'},
    'districts': {'district_code', 'township_code', 'region_codes'},
}


def pg_installed():
    return os.path.exists(os.path.join(PG_BIN, 'initdb')) and os.path.exists(
        '/usr/share/postgresql/15/extension/fuzzystrmatch.control')


class PgServer:
    """A throw-away PostgreSQL 15 cluster on 127.0.0.1; stop() is safe to call twice."""

    def __init__(self, shared_buffers, work_mem):
        self.dir = tempfile.mkdtemp(prefix='rm-pg-')
        self.data = os.path.join(self.dir, 'data')
        self.port = None
        self.running = False
        self.as_user = []
        if os.geteuid() == 0:
            # initdb refuses root: run the server as the postgres user.
            pw = pwd.getpwnam('postgres')
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.as_user = ['runuser', '-u', 'postgres', '--']
        self.shared_buffers, self.work_mem = shared_buffers, work_mem

    def start(self):
        subprocess.run(self.as_user + [os.path.join(PG_BIN, 'initdb'), '-D', self.data, '-U', 'postgres',
                                       '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
                       check=True, stdout=subprocess.DEVNULL)
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            self.port = s.getsockname()[1]
        opts = ' '.join([
            '-p %d' % self.port, "-c listen_addresses=127.0.0.1", "-c unix_socket_directories='%s'" % self.dir,
            '-c shared_buffers=%s' % self.shared_buffers, '-c work_mem=%s' % self.work_mem,
            '-c maintenance_work_mem=1GB', '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off',
            '-c max_wal_size=8GB', '-c checkpoint_timeout=1h', '-c max_parallel_workers_per_gather=2',
            '-c autovacuum=off'])
        subprocess.run(self.as_user + [os.path.join(PG_BIN, 'pg_ctl'), '-D', self.data, '-o', opts, '-l',
                                       os.path.join(self.dir, 'server.log'), '-w', 'start'],
                       check=True, stdout=subprocess.DEVNULL)
        self.running = True

    def stop(self):
        if self.running:
            subprocess.run(self.as_user + [os.path.join(PG_BIN, 'pg_ctl'), '-D', self.data, '-m', 'immediate',
                                           'stop'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.running = False
        if self.dir and os.path.isdir(self.dir):
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def psql(self, args, stdin=None, variables=None):
        cmd = [os.path.join(PG_BIN, 'psql'), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p',
               str(self.port), '-U', 'postgres', '-d', 'postgres']
        for k, v in (variables or {}).items():
            cmd += ['-v', '%s=%s' % (k, v)]
        proc = subprocess.run(cmd + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if proc.returncode != 0:
            raise RuntimeError('psql %s failed: %s' % (' '.join(args)[:200], proc.stderr.decode('utf-8', 'replace')))
        return proc.stdout


def read_feed(feed, world, name, encoding, rejects):
    """Rows of one file as lists in FIELDS order; unreadable rows go to rejects."""
    path = os.path.join(world, name)
    data = open(path, 'rb').read()
    if name.endswith('.gz'):
        data = gzip.decompress(data)
    enc = 'gb18030' if encoding.upper() in ('GB18030', 'GBK') else 'utf-8'
    text = data.decode(enc, errors='surrogateescape')
    if text.startswith('\ufeff'):
        text = text[1:]
    fields = FIELDS[feed]
    required = [fields.index(f) for f in REQUIRED[feed]]
    rows, seen = [], set()

    def reject(line, reason, raw):
        rejects.append({'feed': feed, 'file': name, 'line': line, 'reason': reason,
                        'raw': raw.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')})

    def keep(line, values, raw):
        if any('\udc80' <= ch <= '\udcff' for v in values for ch in v):
            return reject(line, 'invalid bytes', raw)
        if any(not values[i].strip(' \u3000') for i in required):
            return reject(line, 'required field empty', raw)
        key = values[0].strip(' ')
        if key in seen:
            return reject(line, 'repeated record_id', raw)
        seen.add(key)
        rows.append(values)

    if '.jsonl' in name:
        for n, line in enumerate(text.split('\n'), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                reject(n, 'broken JSON', line)
                continue
            if not isinstance(obj, dict):
                reject(n, 'not an object', line)
                continue
            values = []
            for f in fields:
                v = obj.get(f)
                values.append('' if v is None else v if isinstance(v, str) else
                              str(v) if isinstance(v, int) and not isinstance(v, bool) else json.dumps(v))
            keep(n, values, line)
    else:
        reader = csv.reader(io.StringIO(text, newline=''))
        header = None
        for values in reader:
            n = reader.line_num
            if header is None:
                header = [h.strip() for h in values]
                idx = [header.index(f) if f in header else -1 for f in fields]
                continue
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            if len(values) != len(header):
                reject(n, 'wrong column count', ','.join(values))
                continue
            keep(n, [values[i] if i >= 0 else '' for i in idx], ','.join(values))
    return rows


def load(server, world, config, timings):
    t0 = time.monotonic()
    rejects = []
    for feed in ['hukou', 'migrant', 'social', 'roll', 'rights', 'districts']:
        rows = []
        for name in config['feeds'].get(feed, []):
            rows += read_feed(feed, world, name, config.get('encodings', {}).get(name, ''), rejects)
        buf = io.StringIO()
        csv.writer(buf, lineterminator='\n').writerows(rows)
        server.psql(['-c', 'COPY raw_%s FROM STDIN WITH (FORMAT csv)' % feed], stdin=buf.getvalue().encode('utf-8'))
    # OpenCC traditional -> simplified, single characters, first value.
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\n')
    with open(os.path.join(ROOT, 'data', 'opencc', 'TSCharacters.txt'), encoding='utf-8') as f:
        seen = set()
        for line in f:
            if line.startswith('#') or '\t' not in line:
                continue
            t, vals = line.rstrip('\n').split('\t', 1)
            s = vals.split(' ')[0]
            if len(t) == 1 and len(s) == 1 and t not in seen:
                seen.add(t)
                w.writerow([t, s])
    server.psql(['-c', 'COPY ts_chars FROM STDIN WITH (FORMAT csv)'], stdin=buf.getvalue().encode('utf-8'))
    server.psql(['-c', 'ANALYZE'])
    timings['load'] = time.monotonic() - t0
    return rejects


def run_sql(server, files, variables, timings, phase):
    t0 = time.monotonic()
    for f in files:
        if os.environ.get('RM_PG_TIMING'):  # per-statement times, for tuning the SQL
            out = server.psql(['-e', '-c', '\\timing on', '-f', os.path.join(SQL_DIR, f)], variables=variables)
            sys.stderr.write(out.decode('utf-8', 'replace'))
        else:
            server.psql(['-f', os.path.join(SQL_DIR, f)], variables=variables)
    timings[phase] = time.monotonic() - t0


def sql_pipeline(server, world, out):
    with open(os.path.join(world, 'config.json'), encoding='utf-8') as f:
        config = json.load(f)
    variables = {'scope': config['scope'], 'eday': config['election_day'],
                 'prev': config.get('previous_election_day') or ''}
    timings = {}
    t0 = time.monotonic()
    server.psql(['-f', os.path.join(SQL_DIR, '10_schema.sql')])
    rejects = load(server, world, config, timings)
    run_sql(server, ['20_functions.sql', '30_normalize.sql'], variables, timings, 'normalize')
    run_sql(server, ['40_persons.sql'], variables, timings, 'persons')
    run_sql(server, ['50_rules.sql'], variables, timings, 'rules')
    t1 = time.monotonic()
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(SQL_DIR, '60_stats.sql'), encoding='utf-8') as f:
        stats_sql = f.read().strip().rstrip(';')
    stats = server.psql(['-c', 'COPY (%s) TO STDOUT WITH (FORMAT csv, HEADER)' % stats_sql])
    with open(os.path.join(out, 'stats.csv'), 'wb') as f:
        f.write(stats)
    with open(os.path.join(SQL_DIR, '61_flags.sql'), encoding='utf-8') as f:
        flags_sql = f.read().strip().rstrip(';')
    flags = server.psql(['-A', '-t', '-c', flags_sql])
    with open(os.path.join(out, 'flags.jsonl'), 'wb') as f:
        f.write(flags)
    with open(os.path.join(out, 'rejects.jsonl'), 'w', encoding='utf-8') as f:
        for r in rejects:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    timings['output'] = time.monotonic() - t1
    timings['total'] = time.monotonic() - t0
    return timings


def side_by_side(pg_score, rm_score):
    print('\n%-18s | %-26s | %-26s' % ('', 'PostgreSQL', 'rollmatch'))
    print('%-18s | %8s %8s %8s | %8s %8s %8s' % ('code', 'prec', 'recall', 'F1', 'prec', 'recall', 'F1'))

    def f(x):
        return '%8s' % ('-' if x is None else '%.4f' % x)
    rows = []
    for code in e2e_bench.CODES + ['all']:
        a = pg_score['all'] if code == 'all' else pg_score['codes'].get(code, {})
        b = rm_score['all'] if code == 'all' else rm_score['codes'].get(code, {})
        print('%-18s | %s %s %s | %s %s %s' % (code, f(a.get('precision')), f(a.get('recall')), f(a.get('f1')),
                                               f(b.get('precision')), f(b.get('recall')), f(b.get('f1'))))
        rows.append((code, a.get('f1'), b.get('f1')))
    for label, key in (('dup pair recall', 'pair_recall'), ('dup keep acc.', 'keep_accuracy')):
        print('%-18s | %8s %8s %s | %8s %8s %s' % (label, '', '', f(pg_score['duplicate'].get(key)), '', '',
                                                   f(rm_score['duplicate'].get(key))))
    print('%-18s | %26s | %26s' % ('stats cells differ', pg_score['stats']['cells_differing'],
                                   rm_score['stats']['cells_differing']))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--persons', type=int, default=100000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--noise', default='full', choices=['none', 'cosmetic', 'full'])
    ap.add_argument('--threads', type=int, default=0, help='rollmatch --threads (0 = all cores)')
    ap.add_argument('--out-dir', default=os.path.join(os.environ.get('TMPDIR', '/tmp'), 'rollmatch-pg-out'))
    ap.add_argument('--cache-dir', default=os.path.join(os.environ.get('TMPDIR', '/tmp'), 'rollmatch-bench-worlds'))
    ap.add_argument('--build-dir', default=None)
    ap.add_argument('--shared-buffers', default='1GB')
    ap.add_argument('--work-mem', default='256MB')
    ap.add_argument('--json', dest='json_file')
    ap.add_argument('--pg-only', action='store_true', help='run and score only the PostgreSQL pipeline')
    ap.add_argument('--keep-server', action='store_true', help='leave the server running (prints how to connect)')
    args = ap.parse_args()

    if not pg_installed():
        print('pg_side_by_side: PostgreSQL 15 with contrib (fuzzystrmatch) is missing; running '
              'scripts/install_bench_deps.sh (apt-get install postgresql postgresql-contrib)', flush=True)
        subprocess.run(['bash', os.path.join(ROOT, 'scripts', 'install_bench_deps.sh')], check=True)
        if not pg_installed():
            sys.exit('pg_side_by_side: PostgreSQL 15 is still missing after scripts/install_bench_deps.sh')
    rollmatch = e2e_bench.find_binary(args.build_dir, 'rollmatch')
    gen = e2e_bench.find_binary(args.build_dir, 'rollmatch-gen')
    world, _ = e2e_bench.ensure_world(gen, args.cache_dir, args.persons, args.seed, args.noise)

    server = PgServer(args.shared_buffers, args.work_mem)
    if not args.keep_server:
        atexit.register(server.stop)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, lambda *_: sys.exit(130))
    t0 = time.monotonic()
    server.start()
    startup = time.monotonic() - t0
    pg_out = os.path.join(args.out_dir, 'pg-p%d' % args.persons)
    shutil.rmtree(pg_out, ignore_errors=True)
    print('PostgreSQL 15 on 127.0.0.1:%d (started in %.1f s, not counted); load average %.2f'
          % (server.port, startup, os.getloadavg()[0]), flush=True)
    try:
        timings = sql_pipeline(server, world, pg_out)
    finally:
        if args.keep_server:
            print('server left running: psql -h 127.0.0.1 -p %d -U postgres; stop with: %s -D %s stop'
                  % (server.port, os.path.join(PG_BIN, 'pg_ctl'), server.data))
        else:
            server.stop()
    print('PostgreSQL pipeline: ' + ', '.join('%s %.2f s' % kv for kv in timings.items()))
    pg_score, pg_text = e2e_bench.score(pg_out, world, pg_out + '.score.json')
    if args.pg_only:
        print(pg_text)
        return 0

    r = e2e_bench.run_once(rollmatch, world, args.out_dir, args.threads, 'probabilistic', args.persons)
    rm_score, _ = e2e_bench.score(r['out'], world, r['out'] + '.score.json')
    row = e2e_bench.report(r, args.persons, rm_score)
    ratio = timings['total'] / r['wall']
    print('\nPostgreSQL %.2f s (raw files to flags.jsonl + stats.csv) vs rollmatch %.2f s (whole run): '
          'rollmatch %.1fx faster' % (timings['total'], r['wall'], ratio))
    rows = side_by_side(pg_score, rm_score)
    worse = [c for c, a, b in rows if a is not None and (b is None or b < a - 1e-12)]
    print('codes where rollmatch scores below PostgreSQL: %s' % (', '.join(worse) or 'none'))
    print('\n| persons | PostgreSQL s (load / normalize / persons / rules / output) | rollmatch s | ratio '
          '| F1 all PG | F1 all rollmatch | load avg |\n|---:|---|---:|---:|---:|---:|---:|')
    print('| %s | %.1f (%.1f / %.1f / %.1f / %.1f / %.1f) | %.2f | %.1fx | %.4f | %.4f | %.1f |' % (
        '{:,}'.format(args.persons), timings['total'], timings['load'], timings['normalize'], timings['persons'],
        timings['rules'], timings['output'], r['wall'], ratio, pg_score['all']['f1'] or 0, rm_score['all']['f1'] or 0,
        r['load']))
    print(row)
    if args.json_file:
        with open(args.json_file, 'w', encoding='utf-8') as f:
            json.dump({'persons': args.persons, 'seed': args.seed, 'noise': args.noise, 'pg_seconds': timings,
                       'rollmatch_seconds': r['wall'], 'ratio': ratio,
                       'pg_score': {k: pg_score[k] for k in ('codes', 'all', 'duplicate', 'stats')},
                       'rollmatch_score': {k: rm_score[k] for k in ('codes', 'all', 'duplicate', 'stats')}},
                      f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
