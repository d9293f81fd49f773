#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/) from the tiny county and,
optionally, a county written by rollmatch-gen (a few rows of each feed, noise included).

usage: make_seed_corpus.py TINY_COUNTY_DIR [GENERATED_COUNTY_DIR]

Seed files are named seed-*; files named regression-* (inputs that once crashed or hung a target) are
never touched. Every seed is small (a few KiB) so that the corpora stay well under 1 MB.
"""
import gzip, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_SEED = 4096


def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode('utf-8')
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data[:MAX_SEED] if not name.endswith('.gz') else data)


def head_lines(data, n):
    """The first n lines of bytes `data` (line ends kept)."""
    out, pos = [], 0
    for _ in range(n):
        i = data.find(b'\n', pos)
        if i < 0:
            out.append(data[pos:])
            break
        out.append(data[pos:i + 1])
        pos = i + 1
    return b''.join(out)


def clear_seeds():
    root = os.path.join(HERE, 'corpus')
    for target in os.listdir(root) if os.path.isdir(root) else []:
        for name in os.listdir(os.path.join(root, target)):
            if name.startswith('seed-'):
                os.remove(os.path.join(root, target, name))


def county_seeds(tag, d, lines):
    def read(name):
        p = os.path.join(d, name)
        if not os.path.exists(p):
            return None
        data = open(p, 'rb').read()
        return gzip.decompress(data) if name.endswith('.gz') else data

    for name in ('roll.csv', 'rights.csv', 'districts.csv'):
        data = read(name)
        if data:
            write('csv_reader', f'{tag}-{name}', head_lines(data, lines))
    migrant = read('migrant.csv')  # GB18030
    if migrant:
        write('gb18030', f'{tag}-migrant.csv', head_lines(migrant, lines))
        write('csv_reader', f'{tag}-migrant-utf8.csv',
              head_lines(migrant.decode('gb18030', errors='replace').encode('utf-8'), lines))
    for name in ('hukou.jsonl', 'hukou.jsonl.gz', 'social.jsonl.gz'):
        data = read(name)
        if data:
            plain = name.replace('.gz', '')
            write('jsonl_reader', f'{tag}-{plain}', head_lines(data, lines))
            write('gb18030', f'{tag}-{plain}-gb18030.jsonl',
                  head_lines(data, lines).decode('utf-8', errors='replace').encode('gb18030'))
            whole = gzip.compress(head_lines(data, lines), mtime=0)
            write('gzip', f'{tag}-{plain}.gz', whole)
            write('gzip', f'{tag}-{plain}-cut.gz', whole[:len(whole) * 2 // 3])
    roll = read('roll.csv')
    if roll:
        text = head_lines(roll, lines).decode('utf-8-sig')
        write('gb18030', f'{tag}-roll-gb18030.csv', text.encode('gb18030'))
        write('gzip', f'{tag}-roll.csv.gz', gzip.compress(text.encode('utf-8'), mtime=0))
        # IDs, names and dates as typed, from the roll and hukou rows.
        for i, row in enumerate(text.splitlines()[1:lines]):
            cells = row.split(',')
            if len(cells) >= 5:
                write('citizen_id', f'{tag}-roll-{i}', cells[1])
                write('citizen_id', f'{tag}-date-{i}', cells[4])
                write('name_normalizer', f'{tag}-roll-{i}', cells[2])
    hukou = read('hukou.jsonl') or read('hukou.jsonl.gz')
    if hukou:
        for i, line in enumerate(head_lines(hukou, lines).splitlines()):
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r.get('former_names'):
                write('name_normalizer', f'{tag}-former-{i}', str(r['former_names']))
            write('citizen_id', f'{tag}-hukou-{i}', str(r.get('id_number', '')))
    cfg = read('config.json')
    if cfg:
        write('run_config', f'{tag}-config.json', cfg)


def handmade():
    csv_cases = {
        'quoted.csv': 'record_id,name,kind\r\n"Q1","张,伟","deprived"\r\n"Q2","say ""hi""",suspended\r\n',
        'cr-only.csv': 'record_id,name,kind\rQ1,张伟,deprived\rQ2,李娜,incapacitated\r',
        'unbalanced.csv': 'record_id,name,kind\nQ1,张伟,deprived\nQ2,"李娜,suspended\nQ3,王五,deprived\n',
        'header-only.csv': 'record_id,id_number,name,kind\n',
        'bom-middle.csv': 'record_id,name,kind\nQ1,\ufeff张伟,deprived\n\ufeffQ2,李娜,deprived\n',
        'dup-column.csv': 'record_id,name,name,kind\nQ1,a,b,deprived\n',
        'dup-key.csv': 'record_id,name,kind\nQ1,a,deprived\n Q1 ,b,deprived\n',
        'text-after-quote.csv': 'record_id,name,kind\n"Q1"x,a,deprived\n',
        'nul.csv': 'record_id,name,kind\nQ1,a\x00b,deprived\n',
    }
    for name, text in csv_cases.items():
        write('csv_reader', 'hand-' + name, text)
    jsonl_cases = {
        'numbers.jsonl': '{"record_id": 1, "id_number": 320481198005121014, "name": "张伟", "region_code": 320481101201}\n',
        'dup-keys.jsonl': '{"record_id": "H1", "record_id": "H2", "id_number": "1", "name": "a", "region_code": "3204"}\n',
        'nested.jsonl': '{"record_id": "H1", "x": [[[{"a": [1, 2, {"b": null}]}]]], "id_number": "1", "name": "a", "region_code": "3204"}\n',
        'deep.jsonl': '{"x": ' + '[' * 80 + ']' * 80 + '}\n',
        'not-object.jsonl': '[1, 2]\n"text"\n\n{"record_id": "H1"}\r\n',
        'escapes.jsonl': '{"record_id": "H\\u0031", "id_number": "\\uff13\\uff12", "name": "\\u5f20\\u4f1f", "region_code": "3204", "address": "\\ud83d\\ude00"}\n',
        'nul-escape.jsonl': '{"record_id": "H1", "id_number": "1", "name": "a\\u0000b", "region_code": "3204"}\n',
        'object-value.jsonl': '{"record_id": "H1", "id_number": {"a": 1}, "name": "a", "region_code": "3204"}\n',
    }
    for name, text in jsonl_cases.items():
        write('jsonl_reader', 'hand-' + name, text)
    write('gb18030', 'hand-invalid.csv', b'record_id,name,kind\nQ1,\xff\xfe,deprived\nQ2,\x81\x30,deprived\n')
    write('gb18030', 'hand-bom.csv', b'\x84\x31\x95\x33record_id,name,kind\nQ1,\xd5\xc5,deprived\n')
    write('gb18030', 'hand-utf8-bom.csv', b'\xef\xbb\xbfrecord_id,name,kind\nQ1,a,deprived\n')
    write('gb18030', 'hand-four-byte.csv', 'record_id,name,kind\nQ1,𠀀䶵€,deprived\n'.encode('gb18030'))
    two = gzip.compress(b'record_id,id_number,name,district_code\n', mtime=0) + gzip.compress(
        b'R1,1,a,32048110101\n', mtime=0)
    write('gzip', 'hand-two-members.csv.gz', two)
    write('gzip', 'hand-padded.csv.gz', two + b'\0' * 16)
    write('gzip', 'hand-empty.gz', b'')
    write('gzip', 'hand-not-gzip.gz', b'record_id,name\n')
    for i, v in enumerate(['３２０４８１１９８００５１２１０１４', '320481800512101', '32048119800512101x',
                           '320481 1980 0512 1014', '320481-19800512-1014', '320481198005121015',
                           '32048119800230101X', '１２３×', '\u200b320481198005121014\u3000',
                           '2026-02-29', '20240229', '2024/13/01', '2024-06', '202406', ' 1980-05-12 ']):
        write('citizen_id', f'hand-{i}', v)
    for i, v in enumerate(['张　伟', '買買提·艾力', '阿依古丽•吐尔逊', '欧阳娜娜', '單雄信', 'ＡＢＣ　ｄｅｆ',
                           '王伟；王玮，王威、王薇', '李\u200b娜', '查干・巴特尔', '𠀀𪚥', 'a\xffb']):
        write('name_normalizer', f'hand-{i}', v)
    base = {"scope": "320481", "election_day": "2026-12-15", "previous_election_day": "2021-11-15",
            "feeds": {"hukou": ["hukou.jsonl"], "roll": "roll.csv", "districts": ["districts.csv"]},
            "encodings": {"migrant.csv": "GBK"}, "out": "../out", "state": "/tmp/x/state.db",
            "max_reject_ratio": 0.5}
    write('run_config', 'hand-full.json', json.dumps(base, ensure_ascii=False))
    for i, (k, v) in enumerate([('scope', 320481), ('scope', '32048'), ('election_day', '2026-02-30'),
                                ('election_day', 20261215), ('max_reject_ratio', 2), ('feeds', []),
                                ('encodings', {'a.csv': 'latin1'}), ('scope', '32\n0481')]):
        cfg = dict(base)
        cfg[k] = v
        write('run_config', f'hand-{i}.json', json.dumps(cfg, ensure_ascii=False))


def main():
    clear_seeds()
    county_seeds('tiny', sys.argv[1], 40)
    if len(sys.argv) > 2:
        county_seeds('gen', sys.argv[2], 12)
    handmade()


if __name__ == '__main__':
    main()
