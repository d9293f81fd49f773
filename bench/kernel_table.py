#!/usr/bin/env python3
"""Markdown table of Google Benchmark results (the JSON of --benchmark_out), for bench/README.md.

    build-bench/bench/normalize/rm_bench_normalize --benchmark_repetitions=3 \\
        --benchmark_report_aggregates_only=true --benchmark_out=normalize.json --benchmark_out_format=json
    python3 bench/kernel_table.py normalize.json resolve.json ingest.json

One row per benchmark (the median when repetitions were run): wall and CPU time per
iteration, and items/s and bytes/s per CPU second. On a machine shared with other work the
CPU-time rates are the comparable ones (wall time includes waiting for a core); benchmarks
that run several threads (Google Benchmark threads, or a `threads` argument for TBB) are shown
with their wall-time rate only, since their CPU time misses the worker threads.
"""
import json
import sys


def human(x, unit):
    for scale, prefix in ((1e9, 'G'), (1e6, 'M'), (1e3, 'k')):
        if x >= scale:
            return '%.2f %s%s' % (x / scale, prefix, unit)
    return '%.0f %s' % (x, unit)


def fmt_time(t, unit):
    ns = t * {'ns': 1, 'us': 1e3, 'ms': 1e6, 's': 1e9}[unit]
    if ns >= 1e9:
        return '%.2f s' % (ns / 1e9)
    if ns >= 1e6:
        return '%.1f ms' % (ns / 1e6)
    if ns >= 1e3:
        return '%.2f µs' % (ns / 1e3)
    return '%.1f ns' % ns


def main():
    print('| kernel | wall / iteration | CPU / iteration | items/s (CPU) | bytes/s (CPU) | counters |')
    print('|---|---:|---:|---:|---:|---|')
    for path in sys.argv[1:]:
        with open(path) as f:
            data = json.load(f)
        rows = data['benchmarks']
        has_median = any(r.get('aggregate_name') == 'median' for r in rows)
        for r in rows:
            if has_median and r.get('aggregate_name') != 'median':
                continue
            name = r.get('run_name', r['name'])
            real, cpu, unit = r['real_time'], r['cpu_time'], r.get('time_unit', 'ns')
            threads = r.get('threads', 1)
            if '/threads:' in name and '/threads:1/' not in name and not name.endswith('/threads:1'):
                threads = 2  # Google Benchmark threads or a TBB thread count argument: CPU time misses workers
            scale = 1.0
            if '/real_time' in name:
                scale = real / cpu if cpu else 0  # the reported rates are per wall second
            items = r.get('items_per_second')
            nbytes = r.get('bytes_per_second')
            if threads > 1:
                rate_i = '%s (wall)' % human(items, '/s') if items else ''
                rate_b = '%s (wall)' % human(nbytes, 'B/s') if nbytes else ''
            else:
                rate_i = human(items * scale, '/s') if items else ''
                rate_b = human(nbytes * scale, 'B/s') if nbytes else ''
            skip = {'name', 'run_name', 'run_type', 'aggregate_name', 'aggregate_unit', 'family_index',
                    'per_family_instance_index', 'repetitions', 'repetition_index', 'threads', 'iterations',
                    'real_time', 'cpu_time', 'time_unit', 'items_per_second', 'bytes_per_second', 'label'}
            counters = ', '.join('%s %s' % (k, ('%.4g' % v) if isinstance(v, float) else v)
                                 for k, v in r.items() if k not in skip)
            print('| %s | %s | %s | %s | %s | %s |' % (name, fmt_time(real, unit), fmt_time(cpu, unit), rate_i,
                                                        rate_b, counters))
    return 0


if __name__ == '__main__':
    sys.exit(main())
