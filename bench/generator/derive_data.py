#!/usr/bin/env python3
"""Copies and derives the generator's reference data from ../shared/data.

Run once from the repository root:  python3 bench/generator/derive_data.py [SHARED_DATA_DIR]
Writes data/ (see data/README.md).  Only permissively licensed sources are read;
chinese-names-freq-1930-2008 (non-commercial) is never touched.
"""
import csv, lzma, os, shutil, sys, unicodedata

SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '../../../shared/data')
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
DATA = os.path.join(ROOT, 'data')


def copy(src, dst):
    os.makedirs(os.path.dirname(os.path.join(DATA, dst)), exist_ok=True)
    shutil.copyfile(os.path.join(SHARED, src), os.path.join(DATA, dst))


def is_han(ch):
    return 0x4E00 <= ord(ch) <= 0x9FFF


def main():
    # Administrative divisions (WTFPL).
    copy('admin-divisions-nbs-2023/areas.csv', 'admin-divisions/areas.csv')
    copy('admin-divisions-nbs-2023/streets.csv', 'admin-divisions/streets.csv')
    with lzma.open(os.path.join(SHARED, 'admin-divisions-nbs-2023/villages.csv.xz'), 'rt', encoding='utf-8') as f, \
            open(os.path.join(DATA, 'admin-divisions/villages_32.csv'), 'w', encoding='utf-8', newline='') as out:
        r = csv.DictReader(f)
        w = csv.writer(out, lineterminator='\n')
        w.writerow(['code', 'name', 'streetCode'])
        for row in r:
            if row['code'].startswith('32'):
                w.writerow([row['code'], row['name'], row['streetCode']])
    # Surnames (Apache-2.0).
    copy('chinese-surnames-namemoe/surnames.csv', 'names/surnames.csv')
    surnames = set()
    with open(os.path.join(SHARED, 'chinese-surnames-namemoe/surnames.csv'), encoding='utf-8') as f:
        for row in csv.DictReader(f):
            surnames.add(row['surname'])
    compound = {s for s in surnames if len(s) > 1}
    # Given-name characters from HanLP nr names (Apache-2.0): each distinct name counts once.
    single, first, second = {}, {}, {}
    seen = set()
    with lzma.open(os.path.join(SHARED, 'hanlp-person-names/person_names.tsv.xz'), 'rt', encoding='utf-8') as f:
        next(f)
        for line in f:
            parts = line.rstrip('\n').split('\t')
            name, tag = parts[0], parts[1]
            if tag != 'nr' or name in seen or len(name) not in (2, 3):
                continue
            if not all(is_han(c) for c in name):
                continue
            if name[:2] in compound or name[0] not in surnames:
                continue
            seen.add(name)
            given = name[1:]
            if len(given) == 1:
                single[given] = single.get(given, 0) + 1
            else:
                first[given[0]] = first.get(given[0], 0) + 1
                second[given[1]] = second.get(given[1], 0) + 1
    chars = sorted(set(single) | set(first) | set(second), key=lambda c: (-(single.get(c, 0) + first.get(c, 0) + second.get(c, 0)), c))
    os.makedirs(os.path.join(DATA, 'names'), exist_ok=True)
    with open(os.path.join(DATA, 'names/given_name_chars.csv'), 'w', encoding='utf-8', newline='') as out:
        w = csv.writer(out, lineterminator='\n')
        w.writerow(['char', 'single', 'first', 'second'])
        for c in chars:
            w.writerow([c, single.get(c, 0), first.get(c, 0), second.get(c, 0)])
    copy('hanlp-person-names/minority_dot_name_candidates.tsv', 'names/minority_dot_names.tsv')
    # Confusion sets (Apache-2.0) and OpenCC character maps (Apache-2.0).
    copy('char-confusion-sets/same_pinyin.txt', 'chars/same_pinyin.txt')
    copy('char-confusion-sets/same_stroke.txt', 'chars/same_stroke.txt')
    copy('opencc-dictionaries/STCharacters.txt', 'chars/STCharacters.txt')
    copy('opencc-dictionaries/TSCharacters.txt', 'chars/TSCharacters.txt')
    # Ethnic groups (MIT).
    copy('ethnic-groups-gb3304/ethnic_groups.csv', 'ethnic_groups.csv')
    print('given-name chars:', len(chars), 'names used:', len(seen))


if __name__ == '__main__':
    main()
