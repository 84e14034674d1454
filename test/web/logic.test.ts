// Pure logic of the web app: folder walks, page-map layout and painting (a million pages), hex field maps on real
// and random bytes, issue filters, CSV/JSON, the case report, mail detection, the timeline layout.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { walkEntries, fromFileList, caseName, MAX_DEPTH, type EntryLike } from '../../web/features/start/files';
import { layoutFor, paint, cellAt, cellPos, MAX_CANVAS } from '../../web/features/integrity/pagemap-render';
import { lookup, PRIORITY_STATUS as PRIORITY, rgba32, PALETTES } from '../../web/features/integrity/palette';
import { pageFields, walFrameFields, walHeaderFields, journalHeaderFields, journalRecordFields, fieldAt, FIELD_KEYS } from '../../web/features/hex/fields';
import { caseIssues, filterIssues, issueTarget, severityCounts } from '../../web/features/integrity/issues';
import { csvField, csvLine, jsonRow } from '../../web/features/export/formats';
import { caseReport, hashList, hashCsv, reportHtml, escapeHtml, decisionText } from '../../web/features/export/report';
import { detectMail } from '../../web/features/browse/mail';
import { displayName } from '../../web/features/browse/MailView';
import { layoutTimeline, fitText } from '../../web/features/timeline/layout';
import { midEllipsis } from '../../web/ui/widgets';
import { CELL_STATUS, type CaseView } from '../../workers/hosts/case-api';
import { PAGE_KIND } from '../../workers/engine/formats/sqlite/dbscan';
import { i18n } from '../../web/i18n/i18n';
import { DEMO, localCaseService, pickedFrom, wireInputs } from './helpers';
import { unwire } from '../../web/bridge/worker-handle';
import { rng, randomBytes } from '../helpers';

// ---- folder walks -------------------------------------------------------------------------------------------
const file = (name: string, text = name): EntryLike => ({ isFile: true, isDirectory: false, name, file: (ok) => ok(new File([text], name)) });
const dir = (name: string, children: EntryLike[], batch = 2): EntryLike => ({
  isFile: false, isDirectory: true, name,
  createReader: () => {
    let at = 0;
    return { readEntries: (ok) => { const b = children.slice(at, at + batch); at += batch; setTimeout(() => ok(b), 0); } };
  },
});

describe('folder walks (files.ts F1..F5)', () => {
  it('walks nested folders in batches, keeps the dropped folder name, sorts and dedupes', async () => {
    const tree = dir('mbox', [dir('journal', [file('b.wal'), file('a.snapshot'), file('c.wal')]), dir('db', [file('mailbox.db'), file('mailbox.db-wal')])]);
    const r = await walkEntries([tree, file('loose.txt'), file('loose.txt')]);
    expect(r.files.map((f) => f.path)).toEqual(['loose.txt', 'mbox/db/mailbox.db', 'mbox/db/mailbox.db-wal', 'mbox/journal/a.snapshot', 'mbox/journal/b.wal', 'mbox/journal/c.wal']);
    expect(r.truncated).toBe(false);
    expect(caseName(r.files.filter((f) => f.path.startsWith('mbox')))).toBe('mbox');
    expect(caseName(r.files)).toBe('loose.txt +5');
  });

  it('stops at the depth bound (a link loop cannot hang the page) and reports unreadable entries', async () => {
    const loop: EntryLike = { isFile: false, isDirectory: true, name: 'loop', createReader: () => { let done = false; return { readEntries: (ok) => { ok(done ? [] : [loop]); done = true; } }; } };
    const r = await walkEntries([loop]);
    expect(r.truncated).toBe(true);
    expect(r.files).toEqual([]);
    const broken: EntryLike = { isFile: true, isDirectory: false, name: 'gone', file: (_ok, err) => err?.(new Error('NotFoundError')) };
    const r2 = await walkEntries([broken, file('ok')]);
    expect(r2.files.map((f) => f.path)).toEqual(['ok']);
    expect(r2.errors[0]).toMatch(/gone: NotFoundError/);
    expect(MAX_DEPTH).toBeGreaterThan(8);
  });

  it('takes webkitRelativePath from a folder picker', () => {
    const f = new File(['x'], 'a.wal');
    Object.defineProperty(f, 'webkitRelativePath', { value: 'case/journal/a.wal' });
    expect(fromFileList([f, new File(['y'], 'b.db')]).map((x) => x.path)).toEqual(['b.db', 'case/journal/a.wal']);
  });
});

// ---- page map ----------------------------------------------------------------------------------------------
describe('page map layout and painting (pagemap-render.ts L1..L3)', () => {
  it('fits small files with big cells and leaves gaps between them', () => {
    const l = layoutFor(23, 800, 360, 'auto');
    expect(l.cell).toBe(22);
    expect(l.gap).toBe(1);
    expect(l.rows).toBe(1);
    expect(cellAt(l, 0, 0)).toBe(0);
    expect(cellAt(l, 22, 5)).toBe(-1); // the gap
    expect(cellAt(l, 23, 5)).toBe(1);
    expect(cellAt(l, 23 * 23 + 1, 1)).toBe(-1); // past the last cell
    expect(cellPos(l, 5)).toEqual({ x: 5 * 23, y: 0 });
  });

  it('paints a million pages in well under 50 ms, every cell the colour of its code', () => {
    const n = 1_000_000;
    const codes = new Uint8Array(n);
    for (let i = 0; i < n; i++) codes[i] = i % 7 === 0 ? CELL_STATUS.badChecksum : i % 3 === 0 ? CELL_STATUS.newerInWal : CELL_STATUS.ok;
    const l = layoutFor(n, 1200, 720, 'auto');
    expect(l.cell).toBe(1);
    expect(l.height).toBeLessThanOrEqual(MAX_CANVAS);
    const colours = lookup('dark', 'status');
    const px = new Uint32Array(l.width * l.height);
    paint(l, codes, colours, rgba32(PALETTES.dark.background), px, PRIORITY); // warm-up
    const t0 = performance.now();
    paint(l, codes, colours, rgba32(PALETTES.dark.background), px, PRIORITY);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(50);
    for (const i of [0, 1, 3, 7, 999_999, 500_001]) {
      const p = cellPos(l, i);
      expect(px[p.y * l.width + p.x]).toBe(colours[codes[i]]);
      expect(cellAt(l, p.x, p.y)).toBe(i);
    }
  });

  it('shares pixels past the canvas limit and lets damage win', () => {
    const n = 40_000_000;
    const l = layoutFor(n, 1000, 500, 'auto');
    expect(l.per).toBeGreaterThan(1);
    expect(l.height).toBeLessThanOrEqual(MAX_CANVAS);
    const codes = new Uint8Array(n);
    codes[l.per * 5 + 1] = CELL_STATUS.badChecksum;
    const px = new Uint32Array(l.width * l.height);
    const colours = lookup('light', 'status');
    paint(l, codes, colours, 0, px, PRIORITY);
    expect(px[5]).toBe(colours[CELL_STATUS.badChecksum]);
    expect(px[4]).toBe(colours[CELL_STATUS.ok]);
    expect(cellAt(l, 5, 0)).toBe(l.per * 5);
  });

  it('has a colour for every status and type in both themes', () => {
    for (const theme of ['dark', 'light'] as const) {
      for (const by of ['status', 'type'] as const) {
        const lut = lookup(theme, by);
        const vals = Object.values(by === 'status' ? PALETTES[theme].status : PALETTES[theme].type);
        for (const v of vals) expect(v).toMatch(/^#[0-9a-f]{6}$/);
        expect(lut[CELL_STATUS.badChecksum]).not.toBe(lut[CELL_STATUS.ok]);
      }
    }
  });
});

// ---- hex fields --------------------------------------------------------------------------------------------
describe('hex field maps (fields.ts H1..H3)', () => {
  const db = readFileSync(path.join(DEMO, 'mbox/db/mailbox.db'));
  const ps = db.readUInt16BE(16);

  it('names every byte of page 1 header and every cell of a table leaf', () => {
    const p1 = new Uint8Array(db.subarray(0, ps));
    const f = pageFields(p1, 0, 1, ps, 0, null);
    for (let i = 0; i < 100; i++) expect(fieldAt(f, i)?.depth, `byte ${i}`).toBe(1);
    expect(fieldAt(f, 28)).toMatchObject({ key: 'f.pageCount', value: String(db.readUInt32BE(28)) });
    // A table leaf: each cell pointer points at a cell field starting there.
    for (let pg = 2; pg * ps <= db.length; pg++) {
      const page = new Uint8Array(db.subarray((pg - 1) * ps, pg * ps));
      if (page[0] !== 0x0d) continue;
      const fs = pageFields(page, 0, pg, ps, 0, PAGE_KIND.tableLeaf);
      const n = (page[3] << 8) | page[4];
      for (let c = 0; c < n; c++) {
        const ptr = (page[8 + 2 * c] << 8) | page[9 + 2 * c];
        expect(fs.some((x) => x.key === 'f.cell' && x.start === ptr)).toBe(true);
        expect(fieldAt(fs, ptr)?.key).toBe('f.payloadSize');
      }
      expect(fs.every((x) => x.start >= 0 && x.end <= ps && x.end > x.start)).toBe(true);
      break;
    }
  });

  it('never throws and stays inside the bytes on random and truncated input', () => {
    const r = rng(42);
    for (let k = 0; k < 300; k++) {
      const len = 1 + Math.floor(r() * 4200);
      const b = randomBytes(len, r);
      if (k % 3 === 0) b[0] = [0x02, 0x05, 0x0a, 0x0d][k % 4];
      const all = [
        pageFields(b, 0, 1 + (k % 3), 4096, k % 9, k % 2 ? null : k % 12),
        walFrameFields(b, 4096, 0),
        walHeaderFields(b),
        journalHeaderFields(b),
        journalRecordFields(b, 4096, 0),
      ];
      for (const fs of all) for (const f of fs) expect(f.start >= 0 && f.end <= len && f.end > f.start).toBe(true);
    }
  });

  it('has a name in both languages for every field key', () => {
    for (const k of FIELD_KEYS) {
      expect(i18n('en').term(k, { n: 1 })).not.toBe(k);
      expect(i18n('pt-BR').term(k, { n: 1 })).not.toBe(k);
    }
  });
});

// ---- issues, report ------------------------------------------------------------------------------------------
describe('issues and the case report', () => {
  let view: CaseView;
  it('builds the view of the demo case', async () => {
    view = unwire(await localCaseService().inspect('inspect', wireInputs(pickedFrom(DEMO)), { hash: true }));
    expect(view.report.files.length).toBe(9);
  });

  it('lists every issue once, most severe first, and filters by severity, file and text', () => {
    const all = caseIssues(view.report);
    const n = view.report.files.reduce((s, f) => s + f.issues.length, 0) + view.report.families.reduce((s, f) => s + f.issues.length, 0);
    expect(all.length).toBe(n);
    const rank = { error: 0, warning: 1, info: 2 };
    for (let i = 1; i < all.length; i++) expect(rank[all[i - 1].severity]).toBeLessThanOrEqual(rank[all[i].severity]);
    const c = severityCounts(all);
    expect(c.error + c.warning + c.info).toBe(all.length);
    expect(filterIssues(all, { severities: ['info'], file: '', text: '' }).every((i) => i.severity === 'info')).toBe(true);
    const wal = 'mbox/db/mailbox.db-wal';
    expect(filterIssues(all, { severities: ['error', 'warning', 'info'], file: wal, text: '' }).every((i) => i.file === wal)).toBe(true);
    expect(filterIssues(all, { severities: ['error', 'warning', 'info'], file: '', text: 'TORN' }).map((i) => i.code)).toContain('sqlite.wal.torn-frame');
  });

  it('points an issue at its frame in the hex view', () => {
    const torn = caseIssues(view.report).find((i) => i.code === 'sqlite.wal.torn-frame')!;
    const t = issueTarget(view.report, torn)!;
    expect(t.unit).toBe('frame');
    const expected = JSON.parse(readFileSync(path.join(DEMO, 'case.json'), 'utf8'));
    expect(t.index).toBe(expected.tornFrame);
    expect(32 + (t.index - 1) * (4096 + 24) + t.byte).toBe(torn.offset);
  });

  it('writes a hash list sha256sum can check, and a CSV', () => {
    const list = hashList(view);
    expect(list.split('\n').filter(Boolean).length).toBe(9);
    for (const f of view.report.files) expect(list).toContain(`${f.sha256}  ${f.path}\n`);
    expect(hashCsv(view).split('\r\n')[0]).toBe('path,kind,size,modified,sha256');
  });

  it('reports inputs, verdicts and issues as JSON and as escaped, printable HTML in either language', () => {
    const rep = caseReport(view, 'mbox <demo>', true, null, new Date('2026-01-02T03:04:05Z'));
    expect(rep.inputs.map((f) => f.sha256)).toEqual(view.report.files.map((f) => f.sha256));
    expect(rep.rebuild).toBeNull();
    expect(rep.generatedAt).toBe('2026-01-02T03:04:05.000Z');
    for (const lang of ['en', 'pt-BR'] as const) {
      const html = reportHtml(rep, i18n(lang));
      expect(html).toContain('mbox &lt;demo&gt;');
      expect(html).not.toContain('<demo>');
      expect(html).toContain(view.report.files[0].sha256!);
      expect(html).toContain(lang === 'en' ? 'Case report' : 'Relatório do caso');
      expect(html).not.toMatch(/<script/i);
    }
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });

  it('says what a rebuild applies and skips, in words, in both languages', () => {
    const t = i18n('pt-BR');
    expect(decisionText({ applied: true, what: 'generation', generation: 3, file: 'a.wal', upTo: 2, of: 4 }, t)).toBe('Aplica a geração 3 até o commit 2 de 4 de a.wal');
    expect(decisionText({ applied: false, what: 'commits', generation: 5, first: 1, last: 2, count: 2, file: 'x', reason: 'after-target' }, i18n('en'))).toBe('2 commits (5:1…5:2) not applied: after the chosen point');
  });
});

// ---- formats, mail, timeline, small helpers -----------------------------------------------------------------
describe('formats and small helpers', () => {
  it('writes RFC 4180 CSV and JSON with blobs as hex', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(new Uint8Array([0, 255]))).toBe("X'00ff'");
    expect(csvLine([1, 'x', null])).toBe('1,x,\r\n');
    expect(JSON.parse(jsonRow(['a', 'b'], [new Uint8Array([1]), Infinity]))).toEqual({ a: { $hex: '01' }, b: 'Infinity' });
  });

  it('recognises mail-like tables by their columns', () => {
    expect(detectMail(['id', 'msg_from', 'msg_to', 'subject', 'date_hdr', 'body_key'])).toMatchObject({ subject: 'subject', from: 'msg_from', date: 'date_hdr', to: 'msg_to' });
    expect(detectMail(['Subject', 'Sender', 'ReceivedAt'])).toMatchObject({ subject: 'Subject', from: 'Sender', date: 'ReceivedAt' });
    expect(detectMail(['id', 'name', 'date'])).toBeNull();
    expect(displayName('"Ana Silva" <ana@example.com>')).toBe('Ana Silva');
    expect(displayName('bob@example.com')).toBe('bob@example.com');
  });

  it('lays out the timeline in order with stale frames under their generation', async () => {
    const view = unwire(await localCaseService().inspect('inspect', wireInputs(pickedFrom(DEMO)), { hash: false }));
    const lay = layoutTimeline(view.timeline.families[0].entries);
    const main = lay.blocks.filter((b) => b.type !== 'stale');
    for (let i = 1; i < main.length; i++) expect(main[i].x).toBeGreaterThanOrEqual(main[i - 1].x + main[i - 1].w);
    expect(main.map((b) => b.type)).toEqual(['generation', 'snapshot', 'generation', 'generation', 'snapshot', 'generation', 'generation', 'generation']);
    const gens = new Map(main.filter((b) => b.type === 'generation').map((b) => [(b as any).sequence, b]));
    for (const s of lay.blocks.filter((b) => b.type === 'stale') as any[]) {
      if (s.inferred !== null && gens.has(s.inferred)) expect(s.x).toBe(gens.get(s.inferred)!.x);
    }
    expect(lay.commits.length).toBe(view.families[0].commits.length);
    expect(lay.height).toBeGreaterThan(100);
  });

  it('shortens names keeping their distinguishing end', () => {
    expect(midEllipsis('mailbox.db_0000000000000003.wal', 20)).toBe('mailb…0000000003.wal');
    expect(midEllipsis('short', 20)).toBe('short');
    expect(fitText('mailbox.db_0000000000000003.wal', 67)).toBe('…00003.wal');
  });
});
