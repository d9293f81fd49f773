#!/usr/bin/env python3
"""Derives the two Unihan tables that engine/normalize compiles into NameKeys.

Usage: derive.py UNIHAN_DIR [OUT_DIR]
  UNIHAN_DIR holds Unihan 15.0's Unihan_{Readings,Variants,OtherMappings,IRGSources}.txt.xz
  (the Debian `unicode-data` 15.0.0 files, recompressed to xz). OUT_DIR defaults to this folder.
  data/opencc/TSCharacters.txt (next to this folder) supplies the simplified forms.

name_readings.tsv   char<TAB>toneless readings, most common first ("单	dan chan shan")
  - every character of the 通用规范汉字表 (kTGH) or GB 2312 (kGB0): kMandarin, then kTGHZ2013,
    kXHC1983 and kHanyuPinlu readings (the common readings, for SameSound);
  - every character at or above U+20000 with a kMandarin reading (ICU's Han-Latin is too slow
    to run over the 70,000 code points of planes 2-3 at start-up, so their reading comes from here).
  Toneless: NFD, ü → v, combining marks dropped, lower case.

standard_chars.txt  the 8,105 characters of the 通用规范汉字表 (kTGH), which NameNormalizer keeps
name_variants.tsv   variant<TAB>representative (峯→峰, 堃→坤, 喆→哲, 邨→村 ...)
  Built from kSemanticVariant and kZVariant pairs (kSpecializedSemanticVariant is left out: it
  holds only in some senses). A pair is kept when
  - both characters are plausible in names: they have a Mandarin reading and are in a Chinese
    character set (kTGH, GB 2312/12345, Big5, kIICore, or have a G/T/H IRG source);
  - they share a toneless reading (the common readings above when both have one, else kHanyuPinyin);
  - they are not two distinct standard characters: when both simplified forms are in the 通用规范
    汉字表, the pair is kept only when exactly one of them is in its level 3 (index > 6500), the
    characters that the table re-admitted from the 1955 variant list for names (堃 喆 邨 仝 祐 珪 ...).
    So 他/她, 沈/沉, 彬/斌, 于/於 stay apart.
  Every character is first replaced by its simplified form (OpenCC TSCharacters, else a single
  kSimplifiedVariant): NameNormalizer has simplified the names already.
  The anchors are the 通用规范汉字表 characters that are their own simplified form, except a level-3
  character paired with a level-1/2 one (堃 → 坤). Every other character folds to the one anchor
  reachable from it through kept pairs without passing another anchor; a character that reaches
  two anchors (觜: 咀 and 嘴) is left alone. Anchors never
  fold, so folding is idempotent. Rows that are just a Unihan simplified/traditional pair
  (線→线) are left out: that is NameNormalizer's job.
"""
import collections
import lzma
import pathlib
import re
import sys
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
READING_FIELDS = ("kMandarin", "kTGHZ2013", "kXHC1983", "kHanyuPinlu")


def load(src, name):
    fields = collections.defaultdict(dict)
    with lzma.open(src / f"Unihan_{name}.txt.xz", "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cp, field, value = line.rstrip("\n").split("\t", 2)
            fields[field][int(cp[2:], 16)] = value
    return fields


def code_points(value):
    return [int(tok.split("<")[0][2:], 16) for tok in value.split() if tok.startswith("U+")]


def toneless(syllable):
    s = unicodedata.normalize("NFD", syllable.strip()).replace("u\u0308", "v")
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return s if s.isascii() and s.isalpha() else None


def main():
    src = pathlib.Path(sys.argv[1])
    out = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else HERE
    variants = load(src, "Variants")
    readings_db = load(src, "Readings")
    other = load(src, "OtherMappings")
    irg = load(src, "IRGSources")

    def readings(c, fields=READING_FIELDS):
        result = []
        for field in fields:
            value = readings_db.get(field, {}).get(c)
            if not value:
                continue
            for token in value.split():
                for syllable in token.split(":")[-1].split(","):
                    t = toneless(re.sub(r"\(\d+\)$", "", syllable))
                    if t and t not in result:
                        result.append(t)
        return result

    def wide_readings(c):
        return readings(c, READING_FIELDS + ("kHanyuPinyin",))

    tgh = {c: int(v.split(":")[1]) for c, v in other["kTGH"].items()}
    gb0 = set(other["kGB0"])
    charsets = set(tgh) | gb0 | set(other["kGB1"]) | set(other["kBigFive"]) | set(irg["kIICore"])
    for source in ("kIRG_GSource", "kIRG_TSource", "kIRG_HSource"):
        charsets |= set(irg[source])

    ts = {}
    with open(HERE.parent / "opencc" / "TSCharacters.txt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            key, values = line.rstrip("\n").split("\t")
            first = values.split()[0]
            if len(key) == 1 and len(first) == 1 and key != first:
                ts[ord(key)] = ord(first)
    simplified_variant = {c: code_points(v) for c, v in variants["kSimplifiedVariant"].items()}
    traditional_variant = {c: code_points(v) for c, v in variants["kTraditionalVariant"].items()}

    def simp(c):
        seen = set()
        while c not in seen:
            seen.add(c)
            if c in ts:
                c = ts[c]
                continue
            s = simplified_variant.get(c)
            if s and len(s) == 1 and s[0] != c:
                c = s[0]
                continue
            break
        return c

    def simplified_traditional_pair(a, b):
        return (b in simplified_variant.get(a, []) or a in simplified_variant.get(b, []) or
                b in traditional_variant.get(a, []) or a in traditional_variant.get(b, []))

    def level(c):
        i = tgh.get(c)
        return 0 if i is None else 1 if i <= 3500 else 2 if i <= 6500 else 3

    # --- name_readings.tsv
    rows = []
    for c in sorted(set(tgh) | gb0 | {c for c in readings_db["kMandarin"] if c >= 0x20000}):
        r = readings(c) if (c in tgh or c in gb0) else readings(c, ("kMandarin",))
        if r:
            rows.append(f"{chr(c)}\t{' '.join(r)}")
    with open(out / "name_readings.tsv", "w", encoding="utf-8") as f:
        f.write("# Derived from Unihan 15.0 by data/unihan-name-keys/derive.py; see README.md.\n")
        f.write("# char<TAB>toneless readings (v for ü), most common first\n")
        f.write("\n".join(rows) + "\n")

    # --- standard_chars.txt: the 8,105 characters of the 通用规范汉字表 (kTGH), 64 per line.
    # NameNormalizer never changes them (乾 於 著 徵 姊 are standard characters, not only
    # traditional forms of 干 于 着 征 姐).
    standard = [chr(c) for c in sorted(tgh)]
    with open(out / "standard_chars.txt", "w", encoding="utf-8") as f:
        f.write("# Derived from Unihan 15.0 by data/unihan-name-keys/derive.py; see README.md.\n")
        f.write("# the characters of the 通用规范汉字表 (2013), kTGH, in code point order\n")
        for i in range(0, len(standard), 64):
            f.write("".join(standard[i:i + 64]) + "\n")

    # --- name_variants.tsv
    def plausible(c):
        return c in charsets and bool(wide_readings(c))

    def share_reading(a, b):
        ra, rb = readings(a), readings(b)
        if ra and rb:
            return bool(set(ra) & set(rb))
        return bool(set(wide_readings(a)) & set(wide_readings(b)))

    pairs = set()
    for field in ("kSemanticVariant", "kZVariant"):
        for a, value in variants[field].items():
            for b in code_points(value):
                if a != b:
                    pairs.add((min(a, b), max(a, b)))
    node_edges = collections.defaultdict(set)  # between simplified forms
    members = set()
    for a, b in sorted(pairs):
        if not (plausible(a) and plausible(b) and share_reading(a, b)):
            continue
        sa, sb = simp(a), simp(b)
        la, lb = level(sa), level(sb)
        if sa != sb and la and lb and (la == 3) == (lb == 3):
            continue  # two distinct standard characters
        members.update((a, b))
        if sa != sb:
            node_edges[sa].add(sb)
            node_edges[sb].add(sa)
    nodes = {simp(m) for m in members}
    anchors = {n for n in nodes if level(n) and simp(n) == n}
    for n in list(anchors):
        if level(n) == 3 and any(level(m) in (1, 2) for m in node_edges[n]):
            anchors.discard(n)
    fold = {}
    ambiguous = []
    for n in sorted(nodes):
        if n in anchors:
            fold[n] = n
            continue
        seen, stack, found = {n}, [n], set()
        while stack:
            for m in node_edges[stack.pop()]:
                if m in seen:
                    continue
                seen.add(m)
                if m in anchors:
                    found.add(m)
                else:
                    stack.append(m)
        if len(found) == 1:
            fold[n] = found.pop()
        elif found:
            ambiguous.append(n)
    entries = {}
    for x in sorted(members | nodes):
        rep = fold.get(simp(x))
        if rep is None or rep == x or simplified_traditional_pair(x, rep):
            continue
        entries[x] = rep
    assert not set(entries) & set(entries.values()), "folding must be idempotent"
    with open(out / "name_variants.tsv", "w", encoding="utf-8") as f:
        f.write("# Derived from Unihan 15.0 by data/unihan-name-keys/derive.py; see README.md.\n")
        f.write("# variant<TAB>representative\n")
        for x, rep in sorted(entries.items()):
            f.write(f"{chr(x)}\t{chr(rep)}\n")
    print(f"name_readings.tsv: {len(rows)} rows; name_variants.tsv: {len(entries)} rows; "
          f"{len(ambiguous)} ambiguous simplified forms left unfolded: "
          + "".join(chr(c) for c in ambiguous), file=sys.stderr)


if __name__ == "__main__":
    main()
