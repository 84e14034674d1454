// The app store built from its sub-stores, with the workers' services in-process and a memory KV: opening a case,
// page maps, previews, rebuild → browse, the console, history (with and without kept evidence), preferences.
import { describe, it, expect } from 'vitest';
import { DEMO, localCaseClient, pickedFrom, testStore } from './helpers';
import { memoryKV } from '../../web/store/kv';
import { PalimpsestError } from '../../workers/engine/errors';
import type { CaseClientLike } from '../../web/store/clients';
import { FIXTURES } from '../helpers';
import path from 'node:path';

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
    expect(s.history.entries.value[0].evidenceKept).toBe(false);
    s.prefs.setKeepEvidence(true);
    await s.openFiles(files);
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
    await s2.history.remove(e.id);
    expect(kv.data.has(`evidence:${e.id}`)).toBe(false);
    await s2.openDemo();
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
});
