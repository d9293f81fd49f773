#!/usr/bin/env python3
"""Township review, end to end (issue 5): the real binary on a generated county, its report.html and
summary.html rendered by headless Chromium, flags.xlsx read back, and the clerk's decision round trip.

usage: township_review_test.py ROLLMATCH ROLLMATCH_GEN ARTIFACT_DIR

  reports     every flag of flags.jsonl is in report.html of each of its townships exactly once (in
              the DOM Chromium builds), and nowhere else; summary.html's numbers equal stats.csv, its
              new / resolved counts flags.jsonl and resolved_flags.jsonl; the pages need no network; printed to PDF the page count is plausible; a screenshot of a
              report and of the summary is kept in ARTIFACT_DIR.
  xlsx        each flags.xlsx read back (zipfile + the sheet XML) equals flags.jsonl for its township;
              ID numbers are text cells; header frozen, autofilter, decision columns present.
  round trip  decisions filled into an XLSX (inline and shared strings), a UTF-8 CSV and a GB18030
              CSV, imported, listed; the next run sets `review` in flags.jsonl and moves the flags to
              the 已确认 / 已驳回 sections of report.html; importing again changes nothing.
  bad files   unknown flag id, unknown decision word, another township's file, a changed ID column,
              a file that is no spreadsheet, contradicting decisions, and a good file beside a bad one
              are refused with a message naming file, row and column, and the state database keeps
              every byte.

Chromium must start: if it cannot, the test fails (it never skips).
"""
import csv, html.parser, io, json, os, re, shutil, sqlite3, subprocess, sys, tempfile, zipfile
import xml.etree.ElementTree as ET

BIN = GEN = ARTIFACTS = None
failures = []
NS = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
REL_NS = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id'
DECISION_COL = 17  # R: 处理意见（确认/驳回）
NOTE_COL = 18      # S: 备注
ID_COL = 6         # G: 身份证号
FLAG_ID_COL = 16   # Q: 标识


def check(cond, what):
    if not cond:
        failures.append(what)
        print('  FAIL ' + what)
    return cond


def run(*args, cwd=None, timeout=300):
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


# ---- Chromium ----

def chromium_binary():
    for name in ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    def __init__(self, work):
        self.binary = chromium_binary()
        self.profile = os.path.join(work, 'chromium-profile')

    def _run(self, *args):
        cmd = [self.binary, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync',
               '--user-data-dir=' + self.profile, *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=180)

    def dump_dom(self, path):
        p = self._run('--dump-dom', 'file://' + os.path.abspath(path))
        if p.returncode != 0 or '<html' not in p.stdout:
            raise RuntimeError(f'chromium --dump-dom {path} failed (exit {p.returncode}): {p.stderr[-2000:]}')
        return p.stdout

    def pdf(self, path, out):
        p = self._run('--no-pdf-header-footer', '--print-to-pdf=' + out, 'file://' + os.path.abspath(path))
        if not os.path.exists(out):
            raise RuntimeError(f'chromium --print-to-pdf {path} failed (exit {p.returncode}): {p.stderr[-2000:]}')
        return out

    def screenshot(self, path, out, size='1280,1800'):
        p = self._run('--hide-scrollbars', '--window-size=' + size, '--screenshot=' + out,
                      'file://' + os.path.abspath(path))
        if not os.path.exists(out):
            raise RuntimeError(f'chromium --screenshot {path} failed (exit {p.returncode}): {p.stderr[-2000:]}')
        return out


def pdf_pages(path):
    data = open(path, 'rb').read()
    return len(re.findall(rb'/Type\s*/Page(?![a-zA-Z])', data))


class Dom(html.parser.HTMLParser):
    """Elements with data-* attributes, with the ids of their enclosing sections."""

    VOID = {'br', 'col', 'meta', 'link', 'img', 'input', 'hr', 'wbr', 'area', 'base', 'source', 'track', 'embed',
            'line', 'rect', 'path', 'circle'}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []       # (tag, attrs)
        self.flags = []       # (flag_id, [section ids])
        self.cells = []       # (attrs, text) for elements with data-region
        self.links = []
        self._open_cells = []
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ('src', 'href', 'xlink:href', 'action', 'poster'):
            v = a.get(key)
            if v and re.match(r'^\s*(https?:)?//', v):
                self.external.append(f'<{tag} {key}={v}>')
        if tag == 'a' and a.get('href'):
            self.links.append(a['href'])
        if 'data-flag-id' in a:
            sections = [x.get('id') for t, x in self.stack if t == 'section' and x.get('id')]
            self.flags.append((a['data-flag-id'], sections))
        if tag in self.VOID:
            if 'data-region' in a:
                self.cells.append((a, ''))
            return
        self.stack.append((tag, a))
        if 'data-region' in a or 'data-three' in a:
            self._open_cells.append([len(self.stack), a, ''])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        while self.stack:
            depth = len(self.stack)
            t, a = self.stack.pop()
            if self._open_cells and self._open_cells[-1][0] == depth:
                _, attrs, text = self._open_cells.pop()
                self.cells.append((attrs, text.strip()))
            if t == tag:
                break

    def handle_data(self, data):
        for c in self._open_cells:
            c[2] += data


def parse_dom(text):
    d = Dom()
    d.feed(text)
    d.close()
    return d


def check_self_contained(path, dom):
    text = open(path, encoding='utf-8').read()
    check(not dom.external, f'{path}: refers to the network: {dom.external[:3]}')
    check(not re.search(r'<script|@import|url\(\s*["\']?(https?:)?//|@font-face', text, re.I),
          f'{path}: has a script, @import, @font-face or external url()')


# ---- XLSX (standard library only) ----

def read_xlsx(path):
    """{sheet name: [(row number, {col index: (type, text)})]}, custom properties, raw sheet XML."""
    z = zipfile.ZipFile(path)
    shared = []
    if 'xl/sharedStrings.xml' in z.namelist():
        for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', NS):
            shared.append(''.join(t.text or '' for t in si.iter('{%s}t' % NS['m'])))
    rels = {r.get('Id'): r.get('Target') for r in ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))}
    sheets, raw = {}, {}
    for s in ET.fromstring(z.read('xl/workbook.xml')).find('m:sheets', NS):
        part = 'xl/' + rels[s.get(REL_NS)].lstrip('/').replace('xl/', '', 1)
        xml = z.read(part)
        raw[s.get('name')] = xml.decode('utf-8')
        rows = []
        for row in ET.fromstring(xml).iter('{%s}row' % NS['m']):
            cells = {}
            for c in row.findall('m:c', NS):
                col = 0
                for ch in re.match(r'[A-Z]+', c.get('r')).group(0):
                    col = col * 26 + ord(ch) - 64
                t = c.get('t', 'n')
                v = c.find('m:v', NS)
                if t == 's':
                    text = shared[int(v.text)]
                elif t == 'inlineStr':
                    text = ''.join(x.text or '' for x in c.iter('{%s}t' % NS['m']))
                else:
                    text = v.text if v is not None else ''
                cells[col - 1] = (t, text)
            rows.append((int(row.get('r')), cells))
        sheets[s.get('name')] = rows
    props = {}
    if 'docProps/custom.xml' in z.namelist():
        for p in ET.fromstring(z.read('docProps/custom.xml')):
            props[p.get('name')] = ''.join(x.text or '' for x in p)
    return sheets, props, raw


def col_letter(i):
    s = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def fill_xlsx(src, dst, decisions, shared_strings=False, replace_cells=None):
    """Copies src to dst with decisions {flag_id: (word, note)} written into 处理意见 and 备注, as inline
    strings or as new shared strings; replace_cells {flag_id: (col, raw cell xml)} overwrites a cell."""
    zin = zipfile.ZipFile(src)
    sheets, _, _ = read_xlsx(src)
    names = zin.namelist()
    sst = zin.read('xl/sharedStrings.xml').decode('utf-8') if 'xl/sharedStrings.xml' in names else None
    new_strings = []
    out_parts = {}
    rels = {r.get('Id'): r.get('Target') for r in ET.fromstring(zin.read('xl/_rels/workbook.xml.rels'))}
    for s in ET.fromstring(zin.read('xl/workbook.xml')).find('m:sheets', NS):
        part = 'xl/' + rels[s.get(REL_NS)]
        xml = zin.read(part).decode('utf-8')
        rows = {n: cells for n, cells in sheets[s.get('name')]}
        for n, cells in rows.items():
            fid = cells.get(FLAG_ID_COL, ('', ''))[1]
            extra = ''
            if fid in decisions:
                word, note = decisions[fid]
                for col, text in ((DECISION_COL, word), (NOTE_COL, note)):
                    if not text:
                        continue
                    if shared_strings and sst is not None:
                        idx = len(re.findall(r'<si>', sst)) + len(new_strings)
                        new_strings.append(text)
                        extra += f'<c r="{col_letter(col)}{n}" t="s"><v>{idx}</v></c>'
                    else:
                        esc = text.replace('&', '&amp;').replace('<', '&lt;')
                        extra += f'<c r="{col_letter(col)}{n}" t="inlineStr"><is><t>{esc}</t></is></c>'
            m = re.search(r'<row r="%d"[^>]*>(.*?)</row>' % n, xml, re.S)
            if not m:
                continue
            body = m.group(1)
            if replace_cells and fid in replace_cells:
                col, cell = replace_cells[fid]
                ref = f'{col_letter(col)}{n}'
                body = re.sub(r'<c r="%s"[^>]*?(/>|>.*?</c>)' % ref, cell, body, count=1, flags=re.S)
            row_xml = f'<row r="{n}">' + body + extra + '</row>'
            xml = xml[:m.start()] + row_xml + xml[m.end():]
        out_parts[part] = xml.encode('utf-8')
    if new_strings:
        add = ''.join('<si><t>%s</t></si>' % t.replace('&', '&amp;').replace('<', '&lt;') for t in new_strings)
        sst = sst.replace('</sst>', add + '</sst>')
        sst = re.sub(r'uniqueCount="\d+"', 'uniqueCount="%d"' % len(re.findall(r'<si>', sst)), sst)
        out_parts['xl/sharedStrings.xml'] = sst.encode('utf-8')
    with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
        for name in names:
            zout.writestr(name, out_parts.get(name, zin.read(name)))


def read_csv(path, encoding='utf-8-sig'):
    with open(path, encoding=encoding, newline='') as f:
        return list(csv.reader(f))


def write_csv(path, rows, encoding='utf-8-sig'):
    with open(path, 'w', encoding=encoding, newline='') as f:
        csv.writer(f, lineterminator='\r\n').writerows(rows)


def fill_csv(src, dst, decisions, encoding='utf-8-sig'):
    rows = read_csv(src)
    for r in rows[1:]:
        if r[FLAG_ID_COL] in decisions:
            r[DECISION_COL], r[NOTE_COL] = decisions[r[FLAG_ID_COL]]
    write_csv(dst, rows, encoding)


# ---- the checks ----

def load_flags(out):
    with open(os.path.join(out, 'flags.jsonl'), encoding='utf-8') as f:
        return [json.loads(l) for l in f if l.strip()]


def township_flags(flags):
    by = {}
    for f in flags:
        for t in dict.fromkeys(f['townships']):
            if re.fullmatch(r'\d{9}', t):
                by.setdefault(t, []).append(f)
    return by


def check_reports(browser, out, flags, label):
    print(f'{label}: report.html of every township in Chromium')
    by = township_flags(flags)
    folders = sorted(os.listdir(os.path.join(out, 'townships')))
    check(folders == sorted(by), f'{label}: township folders {folders} != townships of flags.jsonl {sorted(by)}')
    doms = {}
    for t in sorted(by):
        path = os.path.join(out, 'townships', t, 'report.html')
        if not check(os.path.exists(path), f'{label}: no {path}'):
            continue
        dom = parse_dom(browser.dump_dom(path))
        doms[t] = dom
        check_self_contained(path, dom)
        seen = {}
        for fid, sections in dom.flags:
            seen.setdefault(fid, []).append(sections)
        want = {f['flag_id']: f for f in by[t]}
        for fid, f in want.items():
            n = len(seen.get(fid, []))
            check(n == 1, f'{label}: township {t}: flag {fid} ({f["code"]}) appears {n} times in report.html')
            if n == 1:
                section = {'open': 'open', 'confirmed': 'confirmed', 'dismissed': 'dismissed'}[f['review']]
                check(section in seen[fid][0],
                      f'{label}: township {t}: flag {fid} (review {f["review"]}) is in sections {seen[fid][0]}')
        extra = set(seen) - set(want)
        check(not extra, f'{label}: township {t}: report.html has flags of other townships: {sorted(extra)[:5]}')
    return doms


def check_summary(browser, out, flags, label):
    print(f'{label}: summary.html against stats.csv')
    path = os.path.join(out, 'summary.html')
    dom = parse_dom(browser.dump_dom(path))
    check_self_contained(path, dom)
    check(not dom.flags, f'{label}: summary.html carries data-flag-id')
    with open(os.path.join(out, 'stats.csv'), encoding='utf-8-sig') as f:
        stats = [r for r in csv.DictReader(f) if r['level'] in ('scope', 'township')]
    cells = {}
    for attrs, text in dom.cells:
        if 'data-col' in attrs and 'data-region' in attrs:
            cells[(attrs['data-region'], attrs['data-col'])] = (attrs, text)
    three = {(a['data-region'], a['data-three']): int(text) for a, text in dom.cells if 'data-three' in a}
    compared = 0
    for r in stats:
        region = r['region_code']
        for col, value in r.items():
            if col in ('region_code', 'level'):
                continue
            got = cells.get((region, col))
            if not check(got is not None, f'{label}: summary.html has no cell for {region} {col}'):
                continue
            attrs, text = got
            shown = attrs.get('data-value', text) if col == 'registration_rate' else text
            check(shown == value, f'{label}: summary.html {region} {col} = {shown!r}, stats.csv {value!r}')
            compared += 1
        for key, code in (('deceased', 'WRONG_DECEASED'), ('moved_out', 'WRONG_MOVED_OUT'),
                          ('no_rights', 'WRONG_NO_RIGHTS')):
            check(three.get((region, key)) == int(r[code]),
                  f'{label}: 三减 {key} of {region} = {three.get((region, key))}, stats.csv {code} {r[code]}')
        inc = sum(three.get((region, k), 0) for k in ('rights_restored', 'new_adult', 'moved_in', 'other_missing'))
        check(inc == int(r['MISSING_ELIGIBLE']),
              f'{label}: 三增 + other of {region} = {inc}, stats.csv MISSING_ELIGIBLE {r["MISSING_ELIGIBLE"]}')
    check(compared > 0, f'{label}: no summary number compared')
    # Flags new and resolved since the previous run, per township and in total (issue 6): as
    # flags.jsonl's `new` and resolved_flags.jsonl say.
    rpath = os.path.join(out, 'resolved_flags.jsonl')
    resolved = [json.loads(l) for l in open(rpath, encoding='utf-8') if l.strip()] if os.path.exists(rpath) else []
    hist = {(a['data-region'], a['data-history']): int(text) for a, text in dom.cells if 'data-history' in a}
    for r in stats:
        region, whole = r['region_code'], r['level'] == 'scope'
        for key, want in (('new', sum(1 for f in flags if f['new'] and (whole or f['township'] == region))),
                          ('resolved', sum(1 for x in resolved if whole or x['township'] == region))):
            check(hist.get((region, key)) == want,
                  f'{label}: summary.html {key} flags of {region} = {hist.get((region, key))}, expected {want}')
    for t in os.listdir(os.path.join(out, 'townships')):
        check(f'townships/{t}/report.html' in dom.links, f'{label}: summary.html has no link to {t}/report.html')
    for link in dom.links:
        if not link.startswith('#'):
            check(os.path.exists(os.path.join(out, link)), f'{label}: summary.html links to missing {link}')
    print(f'  {compared} numbers equal stats.csv')


def check_print(browser, out, flags, work):
    print('reports: PDF page counts and screenshots')
    by = township_flags(flags)
    t = max(by, key=lambda k: len(by[k]))
    n = len(by[t])
    pages = pdf_pages(browser.pdf(os.path.join(out, 'townships', t, 'report.html'), os.path.join(work, 'r.pdf')))
    # Most flags are one table row (up to about 60 on an A4 page), a flag shown in full 4–10 lines;
    # the summary needs a page or two.
    check(max(1, n // 60) <= pages <= n + 4, f'report.html of {t} ({n} flags) printed on {pages} pages')
    spages = pdf_pages(browser.pdf(os.path.join(out, 'summary.html'), os.path.join(work, 's.pdf')))
    check(1 <= spages <= 12, f'summary.html printed on {spages} pages')
    print(f'  report.html of {t}: {n} flags on {pages} A4 pages; summary.html on {spages} pages')
    os.makedirs(ARTIFACTS, exist_ok=True)
    shutil.copy(os.path.join(work, 'r.pdf'), os.path.join(ARTIFACTS, 'report.pdf'))
    for name, path in (('report.png', os.path.join(out, 'townships', t, 'report.html')),
                       ('summary.png', os.path.join(out, 'summary.html'))):
        png = browser.screenshot(path, os.path.join(ARTIFACTS, name))
        check(open(png, 'rb').read(8) == b'\x89PNG\r\n\x1a\n', f'{png} is not a PNG')
    print(f'  screenshots in {ARTIFACTS}')


def check_xlsx(out, flags, label):
    print(f'{label}: flags.xlsx read back against flags.jsonl')
    by = township_flags(flags)
    category_sheet = {'wrong': '错登', 'duplicate': '重登', 'missing': '漏登'}
    review_word = {'open': '待审核', 'confirmed': '已确认', 'dismissed': '已驳回'}
    for t, fl in sorted(by.items()):
        path = os.path.join(out, 'townships', t, 'flags.xlsx')
        if not check(os.path.exists(path), f'{label}: no {path}'):
            continue
        sheets, props, raw = read_xlsx(path)
        check(list(sheets) == ['错登', '重登', '漏登'], f'{label}: {t}: sheets {list(sheets)}')
        check(props.get('rollmatch_township') == t, f'{label}: {t}: document property {props}')
        csv_rows = read_csv(os.path.join(out, 'townships', t, 'flags.csv'))
        header = csv_rows[0]
        want = {f['flag_id']: f for f in fl}
        got = {}
        for name, rows in sheets.items():
            check(rows and [rows[0][1].get(i, ('', ''))[1] for i in range(len(header))] == header,
                  f'{label}: {t}/{name}: header differs from flags.csv')
            check('state="frozen"' in raw[name] and 'ySplit="1"' in raw[name], f'{label}: {t}/{name}: header not frozen')
            check('<autoFilter' in raw[name], f'{label}: {t}/{name}: no autofilter')
            for n, cells in rows[1:]:
                v = {i: text for i, (_, text) in cells.items()}
                fid = v.get(FLAG_ID_COL, '')
                if not check(fid in want, f'{label}: {t}/{name} row {n}: unknown 标识 {fid!r}'):
                    continue
                check(fid not in got, f'{label}: {t}: flag {fid} twice in flags.xlsx')
                got[fid] = True
                f = want[fid]
                p = f['person']
                check(category_sheet[f['category']] == name, f'{label}: {t}: {fid} on sheet {name}')
                expect = {1: f['code'], 5: p['name'], ID_COL: p['id_number'], 7: p['birth_date'], 8: p['gender'],
                          15: review_word[f['review']]}
                for col, value in expect.items():
                    check(v.get(col, '') == value, f'{label}: {t}/{name} row {n} col {col_letter(col)}: '
                                                   f'{v.get(col, "")!r} != flags.jsonl {value!r}')
                if p['id_number']:
                    check(cells[ID_COL][0] in ('s', 'inlineStr', 'str'),
                          f'{label}: {t}/{name} row {n}: ID number stored as type {cells[ID_COL][0]}, not text')
                check(abs(float(v.get(13, 'nan')) - f['confidence']) < 1e-9,
                      f'{label}: {t}/{name} row {n}: confidence {v.get(13)} != {f["confidence"]}')
                check(DECISION_COL not in v and NOTE_COL not in v, f'{label}: {t}/{name} row {n}: decision filled')
        check(set(got) == set(want), f'{label}: {t}: flags.xlsx has {len(got)} flags, flags.jsonl {len(want)}')
        check({r[FLAG_ID_COL] for r in csv_rows[1:]} == set(want), f'{label}: {t}: flags.csv flags differ')


# ---- review import ----

def db_snapshot(db):
    data = open(db, 'rb').read() if os.path.exists(db) else None
    rows = None
    if data is not None:
        con = sqlite3.connect('file:' + db + '?mode=ro', uri=True)
        rows = con.execute('SELECT COUNT(*) FROM decisions').fetchone()[0]
        con.close()
    return data, rows


def review(county, *args):
    return run(BIN, 'review', *args[:1], '--config', os.path.join(county, 'config.json'), *args[1:], cwd=county)


def expect_refused(title, county, files, words):
    print(title)
    db = os.path.join(county, 'state', 'rollmatch.db')
    before = db_snapshot(db)
    p = review(county, 'import', *files)
    check(p.returncode == 1, f'{title}: exit {p.returncode}, expected 1 ({p.stdout.strip()})')
    msg = p.stderr
    check(msg.startswith('rollmatch: error:'), f'{title}: message does not start with "rollmatch: error:": {msg!r}')
    check('nothing stored' in msg, f'{title}: message does not say nothing was stored: {msg!r}')
    for w in words:
        check(w in msg, f'{title}: message lacks {w!r}: {msg!r}')
    after = db_snapshot(db)
    check(after[1] == before[1], f'{title}: decisions {before[1]} → {after[1]}')
    check(after[0] == before[0], f'{title}: the state database changed')


def round_trip(browser, county, flags, work):
    out = os.path.join(county, 'out')
    by = township_flags(flags)
    order = sorted(by, key=lambda k: -len(by[k]))
    t1, t2, t3 = order[0], order[1], order[2]
    returned = os.path.join(work, 'returned')
    os.makedirs(os.path.join(returned, t1))
    # Township 1: XLSX, decisions as inline strings on every sheet; 2: UTF-8 CSV named after the
    # township; 3: XLSX with shared strings, and a GB18030 CSV (Excel's "CSV" on Chinese Windows).
    f1 = [f for f in by[t1] if t2 not in f['townships'] and t3 not in f['townships']]
    f2 = [f for f in by[t2] if t1 not in f['townships'] and t3 not in f['townships']]
    f3 = [f for f in by[t3] if t1 not in f['townships'] and t2 not in f['townships']]
    d1 = {f1[0]['flag_id']: ('确认', '已核实，下周删除'), f1[1]['flag_id']: ('驳回', '本人在家，误报'),
          f1[2]['flag_id']: ('已确认', ''), f1[-1]['flag_id']: ('confirmed', 'note & <b>')}
    d2 = {f2[0]['flag_id']: ('Dismissed', ''), f2[1]['flag_id']: ('已驳回', '重复核对无误')}
    d3x = {f3[0]['flag_id']: ('确认', '共享字符串')}
    d3c = {f3[1]['flag_id']: ('驳回', 'GBK 文件')}
    x1 = os.path.join(returned, t1, 'flags.xlsx')
    fill_xlsx(os.path.join(out, 'townships', t1, 'flags.xlsx'), x1, d1)
    c2 = os.path.join(returned, f'{t2}_flags_returned.csv')
    fill_csv(os.path.join(out, 'townships', t2, 'flags.csv'), c2, d2)
    x3 = os.path.join(returned, 'from_email.xlsx')  # no code in the name: the document property says
    fill_xlsx(os.path.join(out, 'townships', t3, 'flags.xlsx'), x3, d3x, shared_strings=True)
    c3 = os.path.join(returned, f'{t3}_gbk.csv')
    fill_csv(os.path.join(out, 'townships', t3, 'flags.csv'), c3, d3c, encoding='gb18030')

    # Bad files first (the state database has no decision yet).
    bad = os.path.join(work, 'bad')
    os.makedirs(os.path.join(bad, t2))
    rows = read_csv(os.path.join(out, 'townships', t1, 'flags.csv'))
    rows[1][FLAG_ID_COL], rows[1][DECISION_COL] = 'ffffffffffffffff', '确认'
    write_csv(os.path.join(bad, f'{t1}_unknown.csv'), rows)
    expect_refused('bad file: unknown flag id', county, [os.path.join(bad, f'{t1}_unknown.csv')],
                   ['ffffffffffffffff', f'{t1}_unknown.csv', 'line 2', '标识'])

    rows = read_csv(os.path.join(out, 'townships', t1, 'flags.csv'))
    rows[2][DECISION_COL] = '同意'
    write_csv(os.path.join(bad, f'{t1}_word.csv'), rows)
    expect_refused('bad file: unknown decision word', county, [os.path.join(bad, f'{t1}_word.csv')],
                   ['同意', 'line 3', 'column 18', '确认 or 驳回'])

    shutil.copy(x1, os.path.join(bad, t2, 'flags.xlsx'))
    expect_refused('bad file: another township\'s XLSX in a township folder', county,
                   [os.path.join(bad, t2, 'flags.xlsx')], [t1, t2, 'another township'])
    fill_csv(os.path.join(out, 'townships', t1, 'flags.csv'), os.path.join(bad, f'{t2}.csv'), d1)
    expect_refused('bad file: another township\'s CSV named after a township', county,
                   [os.path.join(bad, f'{t2}.csv')], [t2, 'belongs to township', 'line 2'])

    # Excel turned one ID number into a number.
    victim = f1[1]
    sheets, _, _ = read_xlsx(os.path.join(out, 'townships', t1, 'flags.xlsx'))
    where = [(s, n) for s, rws in sheets.items() for n, c in rws if c.get(FLAG_ID_COL, ('', ''))[1] == victim['flag_id']]
    sheet, rown = where[0]
    fill_xlsx(os.path.join(out, 'townships', t1, 'flags.xlsx'), os.path.join(bad, f'{t1}_id.xlsx'), d1,
              replace_cells={victim['flag_id']: (ID_COL, f'<c r="G{rown}"><v>3.20481199001011E+17</v></c>')})
    expect_refused('bad file: ID column changed by Excel', county, [os.path.join(bad, f'{t1}_id.xlsx')],
                   [f'{t1}_id.xlsx', f'sheet {sheet}', f'row {rown}', 'column G', '身份证号', '3.20481199001011E+17'])

    open(os.path.join(bad, 'broken.xlsx'), 'wb').write(b'this is not a workbook\n' * 10)
    expect_refused('bad file: not a spreadsheet', county, [os.path.join(bad, 'broken.xlsx')], ['broken.xlsx', 'XLSX'])

    contra = {k: ('驳回' if w in ('确认', '已确认', 'confirmed') else '确认', n) for k, (w, n) in d1.items()}
    fill_csv(os.path.join(out, 'townships', t1, 'flags.csv'), os.path.join(bad, f'{t1}_contra.csv'), contra)
    expect_refused('bad file: one flag confirmed in one file and dismissed in another', county,
                   [x1, os.path.join(bad, f'{t1}_contra.csv')], [f1[0]['flag_id'], f'{t1}_contra.csv'])

    expect_refused('a good file beside a bad one: nothing half-applied', county,
                   [c2, x1, os.path.join(bad, f'{t1}_word.csv')], ['同意'])

    # The good files.
    print('round trip: import, list, run again')
    p = review(county, 'import', x1, c2, x3, c3)
    decided = {**d1, **d2, **d3x, **d3c}
    check(p.returncode == 0, f'import: exit {p.returncode}: {p.stderr.strip()}')
    check(f'{len(decided)} decisions stored' in p.stdout, f'import says: {p.stdout.strip()}')
    p = review(county, 'list')
    check(p.returncode == 0, f'list: exit {p.returncode}: {p.stderr.strip()}')
    listed = {l.split('\t')[0]: l.split('\t') for l in p.stdout.splitlines()[1:]}
    check(set(listed) == set(decided), f'list shows {sorted(listed)}, expected {sorted(decided)}')
    for fid, (word, note) in decided.items():
        want = 'confirmed' if word.lower() in ('确认', '已确认', 'confirmed') else 'dismissed'
        row = listed.get(fid)
        if check(row is not None, f'list lacks {fid}'):
            check(row[1] == ('确认' if want == 'confirmed' else '驳回'), f'list: {fid} decision {row[1]}')
            check(row[7] == note, f'list: {fid} note {row[7]!r} != {note!r}')
    p = review(county, 'list', '--township', t2)
    check(len(p.stdout.splitlines()) == 1 + len(d2), f'list --township {t2}: {p.stdout!r}')

    p = run(BIN, 'run', '--config', 'config.json', '--quiet', cwd=county)
    check(p.returncode == 0, f'second run: exit {p.returncode}: {p.stderr.strip()}')
    flags2 = load_flags(out)
    reviews = {f['flag_id']: f['review'] for f in flags2}
    for fid, (word, _) in decided.items():
        want = 'confirmed' if word.lower() in ('确认', '已确认', 'confirmed') else 'dismissed'
        check(reviews.get(fid) == want, f'second run: flag {fid} review {reviews.get(fid)}, expected {want}')
    check(sum(r != 'open' for r in reviews.values()) == len(decided), 'second run: other flags left open')
    doms = check_reports(browser, out, flags2, 'second run')
    dom = doms.get(t1)
    if dom is not None:
        where = {fid: s for fid, s in dom.flags}
        check('confirmed' in where.get(f1[0]['flag_id'], []), f'{t1}: the confirmed flag is not under 已确认')
        check('dismissed' in where.get(f1[1]['flag_id'], []), f'{t1}: the dismissed flag is not under 已驳回')
        text = open(os.path.join(out, 'townships', t1, 'report.html'), encoding='utf-8').read()
        check('本人在家，误报' in text, f'{t1}: report.html does not show the dismissal note')
    check_xlsx(out, flags2, 'second run')
    check_summary(browser, out, flags2, 'second run')

    print('round trip: importing the same files again stores nothing')
    db = os.path.join(county, 'state', 'rollmatch.db')
    before = db_snapshot(db)[1]
    p = review(county, 'import', x1, c2, x3, c3)
    check(p.returncode == 0 and '0 decisions stored' in p.stdout and f'{len(decided)} unchanged' in p.stdout,
          f'second import: {p.returncode} {p.stdout.strip()} {p.stderr.strip()}')
    check(db_snapshot(db)[1] == before, 'second import stored rows')


def main():
    global BIN, GEN, ARTIFACTS
    BIN, GEN, ARTIFACTS = (os.path.abspath(a) for a in sys.argv[1:4])
    if chromium_binary() is None:
        print('FAIL: no chromium on PATH (scripts/install_deps.sh installs Debian chromium)')
        return 1
    work = tempfile.mkdtemp(prefix='township-review-')
    try:
        county = os.path.join(work, 'county')
        p = run(GEN, '--persons', 3000, '--seed', 11, '--noise', 'full', '--out', county)
        if not check(p.returncode == 0, f'rollmatch-gen: exit {p.returncode}: {p.stderr.strip()}'):
            return 1
        p = run(BIN, 'run', '--config', 'config.json', '--quiet', cwd=county)
        if not check(p.returncode == 0, f'rollmatch run: exit {p.returncode}: {p.stderr.strip()}'):
            return 1
        out = os.path.join(county, 'out')
        flags = load_flags(out)
        print(f'{len(flags)} flags in {len(township_flags(flags))} townships')
        browser = Browser(work)
        try:
            check_reports(browser, out, flags, 'reports')
            check_summary(browser, out, flags, 'summary')
            check_print(browser, out, flags, work)
        except RuntimeError as e:
            check(False, f'the browser failed: {e}')
            return 1
        check_xlsx(out, flags, 'xlsx')
        try:
            round_trip(browser, county, flags, work)
        except RuntimeError as e:
            check(False, f'the browser failed: {e}')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
