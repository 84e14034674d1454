// The app store built from its sub-stores, with the workers' services in-process and a memory KV: opening a case,
// page maps, previews, rebuild → browse, the console, history (with and without kept evidence), preferences.
import { describe, it, expect } from 'vitest';
import { DEMO, localCaseClient, pickedFrom, testStore, hashesIn, until } from './helpers';
import { memoryKV } from '../../web/store/kv';
import { PalimpsestError } from '../../workers/engine/errors';
import type { CaseClientLike } from '../../web/store/clients';
import { FIXTURES, cli } from '../helpers';
import { deletedJson } from '../../workers/engine/formats/sqlite/carve-report';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { caseReport, reportHtml } from '../../web/features/export/report';
import { i18n } from '../../web/i18n/i18n';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('store', () => {
  it('opens the demo case: verdict, selected file and its map, family preview, history entry', async () => {
    const s = await testStore();
    expect(s.case.verdict.value).toBeNull();
    await s.openDemo();
    expect(s.case.phase.value).toBe('ready');
    expect(s.case.verdict.value).toBe('restorable');
    expect(s.case.demo.value).toBe(true);
    expect(s.ui.tab.value).toBe('integrity');
    await settle();
    expect(s.integrity.selected.value).not.toBeNull();
    expect(s.integrity.map.value?.file).toBe(s.integrity.selected.value);
    expect(s.rebuild.family.value).toBe('mailbox.db');
    expect(s.rebuild.preview.value?.plan.reached).toBe('5:2');
    await hashesIn(s);
    const h = s.history.entries.value;
    expect(h.length).toBe(1);
    expect(h[0]).toMatchObject({ demo: true, verdict: 'restorable', evidenceKept: false });
    expect(h[0].files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256 ?? ''))).toBe(true);
    expect([...(s.kv as ReturnType<typeof memoryKV>).data.keys()].some((k) => k.startsWith('evidence:'))).toBe(false);
  });

  it('rebuilds, opens the result in sql.js, browses the mail table and runs the console', async () => {
    const s = await testStore();
    await s.openDemo();
    await settle();
    const out = await s.rebuildNow();
    expect(out?.name).toBe('mailbox.db');
    expect(s.browse.info.value?.integrity).toBe('ok');
    expect(s.browse.table.value).toBe('messages');
    expect(s.browse.mode.value).toBe('mail');
    expect(s.browse.selectedRow.value).toBe(0);
    const total = s.browse.view.value!.total;
    expect(total).toBe(s.browse.info.value!.tables.find((t) => t.name === 'messages')!.rows);
    expect(s.browse.row(0)).toBeDefined();
    await s.browse.setSort('subject');
    const a = String(s.browse.row(0)![s.browse.view.value!.columns.indexOf('subject')]);
    const b = String(s.browse.row(1)![s.browse.view.value!.columns.indexOf('subject')]);
    expect(a.localeCompare(b, 'en', { sensitivity: 'variant' }) <= 0 || a <= b).toBe(true);
    await s.browse.setFilter('zzz-nothing-matches');
    expect(s.browse.view.value!.total).toBe(0);
    await s.browse.setFilter('');
    s.browse.setSql('SELECT count(*) AS n FROM messages');
    await s.browse.run();
    expect(s.browse.result.value?.rows[0][0]).toBe(total);
    s.browse.setSql('SELECT nope');
    await s.browse.run();
    expect(s.browse.consoleError.value?.code).toBe('sql');
  });

  it('previews a point in time and refuses a malformed one', async () => {
    const s = await testStore();
    await s.openDemo();
    await settle();
    await s.rebuild.setTarget('2:3');
    expect(s.rebuild.preview.value?.target).toBe('2:3');
    expect(s.rebuild.preview.value?.lostCommits).toBeGreaterThan(0);
    await s.rebuild.setTarget('two:three');
    expect(s.rebuild.previewError.value?.code).toBe('usage');
    await s.rebuild.setTarget(null);
    expect(s.rebuild.preview.value?.target).toBeNull();
    const out = await s.rebuildNow();
    expect(out?.target).toBeNull();
  });

  it('keeps evidence only when allowed, reopens from history, removes and clears', async () => {
    const kv = memoryKV();
    const s = await testStore({ kv });
    const files = pickedFrom(path.join(FIXTURES, 'sqlite', 'plaso'), /expected/);
    await s.openFiles(files);
    await hashesIn(s);
    expect(s.history.entries.value[0].evidenceKept).toBe(false);
    s.prefs.setKeepEvidence(true);
    await s.openFiles(files);
    await hashesIn(s);
    // Same files, same hashes: one entry, now with evidence.
    expect(s.history.entries.value.length).toBe(1);
    const e = s.history.entries.value[0];
    expect(e.evidenceKept).toBe(true);
    expect(kv.data.has(`evidence:${e.id}`)).toBe(true);
    s.closeCase();
    expect(s.case.phase.value).toBe('empty');
    // A new session (reload) finds the case and reopens it from the kept evidence.
    const s2 = await testStore({ kv });
    expect(s2.history.entries.value.map((x) => x.name)).toEqual([e.name]);
    expect(s2.prefs.keepEvidence.value).toBe(true);
    expect(await s2.reopen(s2.history.entries.value[0])).toBe(true);
    expect(s2.case.verdict.value).toBe(e.verdict);
    await hashesIn(s2);
    expect(s2.history.entries.value.map((x) => x.id)).toEqual([e.id]);
    await s2.history.remove(e.id);
    expect(kv.data.has(`evidence:${e.id}`)).toBe(false);
    await s2.openDemo();
    await hashesIn(s2);
    await s2.history.clear();
    expect(s2.history.entries.value).toEqual([]);
    expect([...kv.data.keys()].filter((k) => k !== 'prefs')).toEqual([]);
  });

  it('remembers the language and theme', async () => {
    const kv = memoryKV();
    const s = await testStore({ kv });
    expect(s.i18n.value.t('Evidence')).toBe('Evidence');
    s.prefs.setLang('pt-BR');
    s.prefs.setTheme('light');
    expect(s.i18n.value.t('Evidence')).toBe('Evidências');
    await settle();
    const s2 = await testStore({ kv });
    expect(s2.prefs.lang.value).toBe('pt-BR');
    expect(s2.prefs.theme.value).toBe('light');
  });

  it('shows a failed inspection as an error and stays usable', async () => {
    const good = localCaseClient();
    let fail = true;
    const flaky: CaseClientLike = {
      ...good,
      inspect: (i, o, p) => (fail ? Promise.reject(new PalimpsestError('worker-crashed', 'the case worker stopped: boom')) : good.inspect(i, o, p)),
    };
    const s = await testStore({ caseClient: flaky });
    await s.openDemo();
    expect(s.case.phase.value).toBe('error');
    expect(s.case.error.value).toEqual({ code: 'worker-crashed', message: 'the case worker stopped: boom' });
    expect(s.ui.notices.value.at(-1)?.text).toMatch(/A worker crashed; only this job failed: .*boom/);
    fail = false;
    await s.openDemo();
    expect(s.case.verdict.value).toBe('restorable');
    void DEMO;
  });

  describe('hashes after the verdict', () => {
    // A case client whose hashing waits for the test (or fails, or stops when cancelled).
    function gated() {
      const good = localCaseClient();
      let release!: () => void;
      let fail: Error | null = null;
      let stop: (() => void) | null = null;
      const client: CaseClientLike = {
        ...good,
        hash: (p, h) => {
          // The first file's hash comes at once; the rest waits.
          h?.(0, FIRST);
          return new Promise<void>((res, rej) => {
            release = res;
            stop = () => rej(new PalimpsestError('cancelled', 'The operation was cancelled'));
          }).then(() => {
            if (fail) throw fail;
            return good.hash(p, h);
          });
        },
        cancel: (op) => (op === 'hash' ? stop?.() : good.cancel(op)),
      };
      return { client, release: () => release(), failWith: (e: Error) => (fail = e) };
    }
    const FIRST = 'f'.repeat(64);
    const demoHashes = () => Object.fromEntries(pickedFrom(DEMO).map((p) => [p.path, sha256(readFileSync(path.join(DEMO, p.path)))]));

    it('the verdict comes first; the hashes follow into the view and the same history entry', async () => {
      const g = gated();
      const s = await testStore({ caseClient: g.client });
      await s.openDemo();
      expect(s.case.verdict.value).toBe('restorable');
      expect(s.case.hashing.value.status).toBe('running');
      // Each hash shows as it comes; the others are pending.
      expect(s.case.view.value!.report.files.map((f) => f.sha256)).toEqual(s.case.view.value!.report.files.map((_, i) => (i === 0 ? FIRST : null)));
      await until(() => s.history.entries.value.length === 1);
      const id = s.history.entries.value[0].id;
      expect(s.history.entries.value[0].files.every((f) => f.sha256 === null)).toBe(true);
      g.release();
      await hashesIn(s);
      const r = s.case.view.value!.report;
      expect(r.hashed).toBe(true);
      expect(Object.fromEntries(r.files.map((f) => [f.path, f.sha256]))).toEqual(demoHashes());
      expect(s.history.entries.value.map((e) => e.id)).toEqual([id]);
      expect(Object.fromEntries(s.history.entries.value[0].files.map((f) => [f.path, f.sha256]))).toEqual(demoHashes());
    });

    it('stops when asked, and hashes on demand later', async () => {
      const g = gated();
      const s = await testStore({ caseClient: g.client });
      await s.openDemo();
      s.case.stopHashing();
      await until(() => s.case.hashing.value.status === 'stopped');
      expect(s.case.verdict.value).toBe('restorable');
      // What was done before the stop stays.
      expect(s.case.view.value!.report.files.map((f) => f.sha256 !== null)).toEqual(s.case.view.value!.report.files.map((_, i) => i === 0));
      expect(s.case.view.value!.report.files[0].sha256).toBe(FIRST);
      const done = s.hashNow();
      expect(s.case.hashing.value.status).toBe('running');
      g.release();
      await done;
      await hashesIn(s);
      expect(s.history.entries.value.length).toBe(1);
    });

    it('an entry the user removes while hashing stays removed', async () => {
      const g = gated();
      const s = await testStore({ caseClient: g.client });
      await s.openDemo();
      await until(() => s.history.entries.value.length === 1);
      await s.history.remove(s.history.entries.value[0].id);
      g.release();
      await until(() => s.case.hashing.value.status === 'done');
      await settle();
      expect(s.history.entries.value).toEqual([]);
    });

    it('says when hashing failed, and keeps the case', async () => {
      const g = gated();
      const s = await testStore({ caseClient: g.client });
      await s.openDemo();
      g.failWith(new PalimpsestError('worker-crashed', 'the case worker stopped: out of memory'));
      g.release();
      await until(() => s.case.hashing.value.status === 'failed');
      expect(s.case.hashing.value.error).toEqual({ code: 'worker-crashed', message: 'the case worker stopped: out of memory' });
      expect(s.case.verdict.value).toBe('restorable');
      expect(s.case.phase.value).toBe('ready');
    });

    it('with hashing off: none until asked, then the entry gets them', async () => {
      const s = await testStore();
      s.prefs.setHash(false);
      await s.openDemo();
      await settle();
      expect(s.case.hashing.value.status).toBe('off');
      expect(s.history.entries.value[0].files.every((f) => f.sha256 === null)).toBe(true);
      const id = s.history.entries.value[0].id;
      await s.hashNow();
      await hashesIn(s);
      expect(s.history.entries.value.map((e) => e.id)).toEqual([id]);
      expect(Object.fromEntries(s.history.entries.value[0].files.map((f) => [f.path, f.sha256]))).toEqual(demoHashes());
    });

    it('files with the same names and sizes but other bytes are another case', async () => {
      const s = await testStore();
      const a = pickedFrom(DEMO);
      await s.openFiles(a, { name: 'A' });
      await hashesIn(s);
      const b = a.map((p) => p);
      const i = b.findIndex((p) => p.path.endsWith('mailbox.db-wal'));
      const bytes = new Uint8Array(readFileSync(path.join(DEMO, b[i].path)));
      bytes[bytes.length - 1] ^= 1;
      b[i] = { path: b[i].path, file: new File([bytes], 'mailbox.db-wal') };
      await s.openFiles(b, { name: 'B' });
      await hashesIn(s);
      expect(s.history.entries.value.map((e) => e.name)).toEqual(['B', 'A']);
      await s.openFiles(a, { name: 'A again' });
      await hashesIn(s);
      expect(s.history.entries.value.map((e) => e.name)).toEqual(['A again', 'B']);
    });
  });

  it('searches a database for deleted records, and the rebuilt database too; a new case forgets both', async () => {
    const s = await testStore();
    const dir = path.join(FIXTURES, 'sqlite', 'forensic-corpus');
    const file = new File([readFileSync(path.join(dir, '0C-05.db'))], '0C-05.db');
    await s.openFiles([{ path: '0C-05.db', file }]);
    expect(s.case.phase.value).toBe('ready');
    const r = await s.deleted.search(0);
    expect(s.deleted.byFile.value.get(0)?.phase).toBe('done');
    // The answer key's deleted rows, by their first column.
    const key = readFileSync(path.join(dir, '0C-05.xml'), 'utf8');
    const ids = [...key.matchAll(/<row deleted="1">\s*<column>\s*<name>[^<]*<\/name>\s*<content>(\d+)</g)].map((m) => Number(m[1])).sort();
    expect(ids).toHaveLength(10);
    expect(r!.records.filter((x) => x.table !== 'sqlite_schema').map((x) => x.values[0]).sort()).toEqual(ids);
    // Not a database: a typed error in the state, and the search can be tried again.
    await s.deleted.search(5);
    expect(s.deleted.byFile.value.get(5)).toMatchObject({ phase: 'error', result: null });
    expect(s.deleted.byFile.value.get(5)?.error?.message).toMatch(/not a SQLite database|no file/);
    // The rebuilt database (here the same pages: no WAL) gives the same rows.
    const out = await s.rebuildNow();
    expect(out).not.toBeNull();
    const rr = await s.deleted.searchRebuilt(out!.blob, out!.name, out!.sha256);
    expect(rr!.records.map((x) => x.values)).toEqual(r!.records.map((x) => x.values));
    expect(s.deleted.byFile.value.get(`rebuilt:${out!.sha256}`)?.phase).toBe('done');
    // Both searches go into the case report: every record in the JSON, a table in the HTML.
    const rep = caseReport(s.case.view.value!, '0C-05', false, null, new Date(0), null, [
      { searched: 'evidence', name: '0C-05.db', sha256: null, report: r! },
      { searched: 'rebuilt', name: out!.name, sha256: out!.sha256, report: rr! },
    ]);
    expect(rep.deletedRecords.map((d) => [d.searched, d.records.length])).toEqual([['evidence', r!.records.length], ['rebuilt', rr!.records.length]]);
    expect(rep.deletedRecords[0].records[0].columns).toEqual(['id', 'name', 'surname', 'codeA', 'codeB']);
    const html = reportHtml(rep, i18n('en'));
    expect(html).toMatch(/<h2>Deleted records<\/h2>/);
    expect(html).toMatch(/<code>users<\/code> 5, <code>members<\/code> 5|<code>members<\/code> 5, <code>users<\/code> 5/);
    await s.openDemo();
    expect(s.deleted.byFile.value.size).toBe(0);
  });

  it('lists the rows in a WAL\'s frames that the latest state does not hold, as the CLI does (demo case)', async () => {
    const s = await testStore();
    await s.openDemo();
    const files = s.case.view.value!.report.files;
    const i = files.findIndex((f) => f.path === 'mbox/db/mailbox.db-wal');
    const r = await s.deleted.search(i);
    expect(r?.frames).toBe(true);
    expect(r!.records.length).toBeGreaterThan(0);
    expect(r!.records.every((x) => x.frame! >= 1 && x.frame! <= r!.pageCount)).toBe(true);
    const fromCli = cli(['deleted', DEMO, '--json']).json as { files: Array<{ path: string; records: unknown[] }> };
    const same = fromCli.files.find((f) => f.path.endsWith('mbox/db/mailbox.db-wal'))!;
    expect(deletedJson([r!]).files[0].records).toEqual(same.records);
  });

  it('searches two databases of a case at once (one does not cancel the other)', async () => {
    const s = await testStore();
    const dir = path.join(FIXTURES, 'sqlite', 'forensic-corpus');
    await s.openFiles(['0C-03.db', '0A-03.db'].map((n) => ({ path: n, file: new File([readFileSync(path.join(dir, n))], n) })));
    const dbs = s.case.view.value!.report.files.map((f, i) => [f.path, i] as const);
    const [a, b] = await Promise.all(dbs.map(([, i]) => s.deleted.search(i)));
    expect([a, b].every((r) => r !== null && r.records.length > 0)).toBe(true);
    expect([...s.deleted.byFile.value.values()].map((x) => x.phase)).toEqual(['done', 'done']);
  });
});
