#!/usr/bin/env python3
"""Crash safety, end to end (issue 6): the real binary killed with SIGKILL at every stage, twice
each, then at random moments; two runs at once; an unwritable output folder; a full disk.

usage: kill_test.py ROLLMATCH ROLLMATCH_GEN [--persons N] [--repeat R] [--random K]

  points      ROLLMATCH_TEST_PAUSE_AT=<point> makes the run print "rollmatch: test pause at <point>"
              and sleep there; the test then kills it with SIGKILL. Points (engine/pipeline/pipeline.cc):
              ingest, resolve, write (half the files of the staging folder written), state (inside
              the state transaction), swap (after the commit, before the output swap), cleanup (after
              the swap, before the old folder is removed).
              Before the commit (ingest .. state): OUT is byte for byte the previous run's and the
              state database has the same runs. After it (swap, cleanup): the state has the new run
              and marks its swap as pending, OUT is the previous (swap) or the new (cleanup) run's.
              Either way the next run succeeds, finishes a pending swap first, and leaves OUT = the
              last recorded run, no pending swap, no staging folder, an intact database
              (PRAGMA integrity_check) and a flag history that agrees with flags.jsonl.
  random      K runs killed after a random delay: the same invariants.
  concurrent  a second run while the first holds the lock fails at once with a clear message, and
              so does a review import (nothing stored); the first completes.
  unwritable  the output folder's parent read-only: one line `rollmatch: error: …`, OUT and the state
              untouched (run as user nobody when the test runs as root, who ignores permissions).
  disk full   RLIMIT_FSIZE (SIGXFSZ ignored: writes fail with EFBIG, as on a full disk): one error
              line, OUT and the state untouched.
Every stderr line is checked for ID numbers (none may appear).
"""
import argparse, hashlib, json, os, random, re, resource, shutil, signal, sqlite3, subprocess, sys, tempfile
import time

failures = []
ID_SHAPE = re.compile(r'(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])|(?<![0-9])[0-9]{15}(?![0-9])')
BEFORE_COMMIT = ['ingest', 'resolve', 'write', 'state']
AFTER_COMMIT = ['swap', 'cleanup']


def check(cond, what):
    if not cond:
        failures.append(what)
        print('  FAIL ' + what, flush=True)
    return cond


def tree_digest(path):
    h = hashlib.sha256()
    if not os.path.isdir(path):
        return None
    for root, dirs, files in sorted(os.walk(path)):
        dirs.sort()
        for name in sorted(files):
            p = os.path.join(root, name)
            h.update(os.path.relpath(p, path).encode() + b'\0')
            with open(p, 'rb') as f:
                h.update(f.read())
    return h.hexdigest()


class County:
    def __init__(self, binary, folder):
        self.binary, self.folder = binary, folder
        self.config = os.path.join(folder, 'config.json')
        self.out = os.path.join(folder, 'out')
        self.db = os.path.join(folder, 'state', 'rollmatch.db')

    def start(self, pause=None, extra_env=None, args=(), preexec=None):
        env = dict(os.environ)
        env.pop('ROLLMATCH_TEST_PAUSE_AT', None)
        if pause:
            env['ROLLMATCH_TEST_PAUSE_AT'] = pause
        env.update(extra_env or {})
        return subprocess.Popen([self.binary, 'run', '--config', self.config, *args], cwd=self.folder, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=preexec)

    def run(self, **kw):
        p = self.start(**kw)
        out, err = p.communicate(timeout=600)
        check_no_ids(err + out, 'run output')
        return p.returncode, out, err

    def decisions(self):
        with sqlite3.connect(self.db) as c:
            return c.execute('SELECT * FROM decisions ORDER BY rowid').fetchall()

    def runs(self):
        with sqlite3.connect(self.db) as c:
            return [r[0] for r in c.execute('SELECT run_id FROM runs ORDER BY rowid')]

    def pending(self):
        with sqlite3.connect(self.db) as c:
            return [r[0] for r in c.execute('SELECT run_id FROM pending_swap')]

    def integrity(self):
        with sqlite3.connect(self.db) as c:
            return c.execute('PRAGMA integrity_check').fetchone()[0]

    def out_run(self):
        try:
            with open(os.path.join(self.out, 'manifest.json')) as f:
                return json.load(f)['run_id']
        except (OSError, ValueError):
            return None

    def leftovers(self):
        return [n for n in os.listdir(self.folder) if n.startswith('out.staging-')]


def check_no_ids(text, where):
    m = ID_SHAPE.search(text)
    check(m is None, f'{where}: an ID number reached the log: {m.group(0)[:6] if m else ""}…')


SANITIZED = False  # a sanitizer's malloc: no huge-page restart (set in main)


def kill_at(county, point, timeout=300):
    """Starts a run paused at `point`, waits for the pause line, kills it. Returns the stderr read."""
    p = county.start(pause=point)
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = p.stderr.readline()
        if not line:
            break
        seen.append(line)
        if f'test pause at {point}' in line:
            # The paused run is the restarted process with huge pages for malloc
            # (engine/cli/main.cc), under the same pid.
            with open(f'/proc/{p.pid}/environ', 'rb') as f:
                environ = f.read().split(b'\0')
            check(SANITIZED or any(e.startswith(b'GLIBC_TUNABLES=') and b'glibc.malloc.hugetlb=1' in e for e in environ),
                  f'paused at {point}: the run does not use glibc.malloc.hugetlb=1')
            p.send_signal(signal.SIGKILL)
            p.wait()
            return ''.join(seen), True
    p.kill()
    p.wait()
    return ''.join(seen) + p.stderr.read(), False


def check_consistent(county, label):
    """The invariants after a successful run."""
    runs = county.runs()
    check(county.integrity() == 'ok', f'{label}: integrity_check')
    check(county.out_run() == runs[-1], f'{label}: OUT holds the last recorded run ({county.out_run()} vs {runs[-1]})')
    check(county.pending() == [], f'{label}: no pending swap left')
    check(county.leftovers() == [], f'{label}: no staging folder left: {county.leftovers()}')
    flags = [json.loads(l) for l in open(os.path.join(county.out, 'flags.jsonl'), encoding='utf-8')]
    with sqlite3.connect(county.db) as c:
        seen = {r[0] for r in c.execute('SELECT flag_id FROM flag_history WHERE last_run IS NULL')}
    check(seen == {f['flag_id'] for f in flags}, f'{label}: flag history of the last run = flags.jsonl')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('rollmatch')
    ap.add_argument('gen')
    ap.add_argument('--persons', type=int, default=30000)
    ap.add_argument('--repeat', type=int, default=2)
    ap.add_argument('--random', type=int, default=6)
    ap.add_argument('--seed', type=int, default=6)
    a = ap.parse_args()
    binary = os.path.abspath(a.rollmatch)
    global SANITIZED
    with open(binary, 'rb') as f:
        image = f.read()
    SANITIZED = b'__asan_init' in image or b'__tsan_init' in image
    work = tempfile.mkdtemp(prefix='rollmatch-kill-')
    os.chmod(work, 0o755)
    try:
        folder = os.path.join(work, 'county')
        subprocess.run([a.gen, '--persons', str(a.persons), '--seed', str(a.seed), '--noise', 'full', '--out', folder],
                       check=True, capture_output=True)
        county = County(binary, folder)
        t0 = time.time()
        rc, out, err = county.run()
        full_run = time.time() - t0
        check(rc == 0, f'first run: exit {rc}: {err[-500:]}')
        print(f'first run: {full_run:.1f} s', flush=True)

        # 1. Killed at every point, `repeat` times each.
        for rep in range(a.repeat):
            for point in BEFORE_COMMIT + AFTER_COMMIT:
                label = f'kill at {point} #{rep + 1}'
                before_out, before_runs = tree_digest(county.out), county.runs()
                err, paused = kill_at(county, point)
                check_no_ids(err, label)
                if not check(paused, f'{label}: the run reached the pause point: {err[-400:]}'):
                    continue
                check(county.integrity() == 'ok', f'{label}: integrity_check after the kill')
                runs = county.runs()
                if point in BEFORE_COMMIT:
                    check(tree_digest(county.out) == before_out, f'{label}: OUT is byte for byte the previous run')
                    check(runs == before_runs, f'{label}: no run recorded')
                    check(county.pending() == [], f'{label}: no pending swap')
                else:
                    check(runs[:-1] == before_runs and len(runs) == len(before_runs) + 1,
                          f'{label}: the run is recorded (commit point passed)')
                    check(county.pending() == [runs[-1]], f'{label}: its swap is marked pending')
                    if point == 'swap':
                        check(tree_digest(county.out) == before_out, f'{label}: OUT still the previous run')
                    else:
                        check(county.out_run() == runs[-1], f'{label}: OUT is the new run')
                rc, out, err = county.run()
                check(rc == 0, f'{label}: the next run succeeds: {err[-500:]}')
                if point == 'swap':
                    check('stopped before its outputs were put in place' in err,
                          f'{label}: the next run says it finished the swap')
                check(len(county.runs()) == len(runs) + 1, f'{label}: the next run is recorded')
                check_consistent(county, label)
                print(f'{label}: ok', flush=True)

        # 2. Killed at random moments.
        rng = random.Random(a.seed)
        for k in range(a.random):
            label = f'random kill #{k + 1}'
            before_runs = county.runs()
            delay = rng.uniform(0.05, full_run * 1.1)
            p = county.start()
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            _, err = p.communicate()
            check_no_ids(err, label)
            runs = county.runs()
            check(county.integrity() == 'ok', f'{label}: integrity_check after the kill')
            check(runs[:len(before_runs)] == before_runs and len(runs) - len(before_runs) in (0, 1),
                  f'{label}: at most the killed run added')
            committed = len(runs) > len(before_runs)
            if committed:
                check(county.out_run() in (before_runs[-1], runs[-1]), f'{label}: OUT is a recorded run')
            else:
                check(county.out_run() == before_runs[-1], f'{label}: OUT is the previous run')
            rc, out, err = county.run()
            check(rc == 0, f'{label}: the next run succeeds: {err[-500:]}')
            check_consistent(county, label)
            print(f'{label} after {delay:.2f} s ({"after" if committed else "before"} the commit): ok', flush=True)

        # 3. Two runs at once: the second fails at once, the first completes.
        before_runs = county.runs()
        first = county.start(pause='resolve:4')
        line = ''
        while 'test pause at resolve' not in line:
            line = first.stderr.readline()
            if not line:
                break
        t = time.time()
        rc2, out2, err2 = county.run()
        waited = time.time() - t
        # A review import while the run holds the lock is refused too (it would read the
        # flags.jsonl the run is about to replace): one line, nothing stored.
        decisions_before = county.decisions()
        imp = subprocess.run([county.binary, 'review', 'import', '--config', county.config,
                              os.path.join(county.out, 'no-such-returned-file.csv')],
                             cwd=folder, capture_output=True, text=True, timeout=60)
        check(imp.returncode != 0 and 'another rollmatch run is using this state database' in imp.stderr
              and len(imp.stderr.strip().splitlines()) == 1,
              f'concurrent: review import refused during a run: exit {imp.returncode}: {imp.stderr[-300:]}')
        check(county.decisions() == decisions_before, 'concurrent: the refused import stored nothing')
        check(rc2 != 0 and 'another rollmatch run is using this state database' in err2,
              f'concurrent: the second run is refused: exit {rc2}: {err2[-300:]}')
        check(waited < 10, f'concurrent: refused at once ({waited:.1f} s)')
        check(len(err2.strip().splitlines()) == 1, f'concurrent: one line: {err2!r}')
        _, err1 = first.communicate(timeout=600)
        check(first.returncode == 0, f'concurrent: the first run completes: {err1[-300:]}')
        check(len(county.runs()) == len(before_runs) + 1, 'concurrent: exactly one run recorded')
        check_consistent(county, 'concurrent')
        print(f'concurrent: second run refused in {waited:.2f} s: ok', flush=True)

        # 4. An unwritable output folder: one line, nothing changed.
        before_out, before_runs = tree_digest(county.out), county.runs()
        as_nobody = os.geteuid() == 0
        preexec = None
        if as_nobody:
            subprocess.run(['chown', '-R', 'nobody:nogroup', folder], check=True)

            def preexec():
                os.setgid(65534)
                os.setuid(65534)
        rc, out, err = county.run(args=('--quiet',), preexec=preexec)
        check(rc == 0, f'unwritable: the run as the folder owner succeeds first: {err[-300:]}')
        before_out, before_runs = tree_digest(county.out), county.runs()
        os.chmod(folder, 0o555)
        try:
            rc, out, err = county.run(args=('--quiet',), preexec=preexec)
        finally:
            os.chmod(folder, 0o755)
        lines = err.strip().splitlines()
        check(rc != 0 and len(lines) == 1 and lines[0].startswith('rollmatch: error:') and
              'cannot create the new output folder' in lines[0],
              f'unwritable: one clear line: {err!r}')
        check(tree_digest(county.out) == before_out and county.runs() == before_runs,
              'unwritable: OUT and the state untouched')
        print(f'unwritable output folder: {lines[0] if lines else ""}', flush=True)
        if as_nobody:
            subprocess.run(['chown', '-R', 'root:root', folder], check=True)

        # 5. A full disk, simulated by a file size limit.
        def small_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))
        before_out, before_runs = tree_digest(county.out), county.runs()
        rc, out, err = county.run(args=('--quiet',), preexec=small_files)
        lines = err.strip().splitlines()
        check(rc != 0 and len(lines) == 1 and lines[0].startswith('rollmatch: error:'),
              f'disk full: one clear line: {err!r}')
        check(tree_digest(county.out) == before_out and county.runs() == before_runs,
              'disk full: OUT and the state untouched')
        print(f'disk full: {lines[0] if lines else ""}', flush=True)
        rc, out, err = county.run()
        check(rc == 0, f'after the disk full: the next run succeeds: {err[-300:]}')
        check_consistent(county, 'after the disk full')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
