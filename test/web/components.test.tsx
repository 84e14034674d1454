// @vitest-environment happy-dom
// Components in a DOM (happy-dom) on a test store: the stable test ids, opening the demo case, switching language,
// a 100,000-row table that renders only what is in view, and labelled controls in every view.
import { describe, it, expect, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { App } from '../../web/app';
import { StoreContext, type Store } from '../../web/store/store';
import { DataTable } from '../../web/features/browse/DataTable';
import { testStore, localCaseClient, until } from './helpers';
import type { CaseClientLike } from '../../web/store/clients';
import { TABS } from '../../web/store/ui';
import { i18n } from '../../web/i18n/i18n';

const flush = async (ms = 30) => {
  await act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
};

async function mount(s?: Store): Promise<{ s: Store; root: HTMLElement }> {
  const store = s ?? (await testStore());
  const root = document.createElement('div');
  document.body.appendChild(root);
  await act(() => {
    render(
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>,
      root,
    );
  });
  return { s: store, root };
}

const $ = (root: ParentNode, id: string) => root.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;

/** Every control has an accessible name: text, aria-label, a wrapping <label>, or <label for>. */
function unlabelled(root: HTMLElement): string[] {
  const bad: string[] = [];
  for (const el of Array.from(root.querySelectorAll('button, input, select, textarea, [role="button"]'))) {
    const e = el as HTMLElement;
    if ((e as HTMLInputElement).type === 'hidden') continue;
    const name = e.getAttribute('aria-label') || e.getAttribute('title') || e.textContent?.trim() || (e.closest('label')?.textContent?.trim() ?? '') ||
      (e.id ? root.querySelector(`label[for="${e.id}"]`)?.textContent?.trim() : '') || (e as HTMLInputElement).placeholder;
    if (!name) bad.push(e.outerHTML.slice(0, 120));
  }
  return bad;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('app components', () => {
  it('offers the stable test surface on the start page', async () => {
    const { root } = await mount();
    const input = $(root, 'file-input') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    expect($(root, 'demo-case')?.tagName).toBe('BUTTON');
    expect($(root, 'verdict')).toBeNull();
    // Views that need a case are disabled until one is open.
    expect(($(root, 'nav-integrity') as HTMLButtonElement).disabled).toBe(true);
    expect(($(root, 'nav-history') as HTMLButtonElement).disabled).toBe(false);
    expect(unlabelled(root)).toEqual([]);
  });

  it('opens the demo case, shows the verdict and every view with labelled controls', async () => {
    const { s, root } = await mount();
    await act(async () => {
      $(root, 'demo-case')!.click();
    });
    for (let i = 0; i < 50 && !$(root, 'verdict'); i++) await flush(20);
    expect($(root, 'verdict')?.textContent).toBe('restorable');
    await flush();
    for (const tab of TABS) {
      await act(() => s.ui.show(tab));
      await flush(10);
      expect(root.querySelector('main')?.textContent?.length, tab).toBeGreaterThan(10);
      expect(unlabelled(root), tab).toEqual([]);
    }
    await act(() => s.ui.show('rebuild'));
    await act(async () => {
      $(root, 'rebuild')!.click();
    });
    for (let i = 0; i < 100 && !$(root, 'download-db'); i++) await flush(20);
    expect($(root, 'download-db')?.textContent).toContain('mailbox.db');
    for (let i = 0; i < 100 && !$(root, 'integrity'); i++) await flush(20);
    expect($(root, 'integrity')?.textContent).toBe('ok');
  });

  it('switches every view to Brazilian Portuguese', async () => {
    const { s, root } = await mount();
    await act(() => s.openDemo());
    await flush();
    const sel = $(root, 'language') as HTMLSelectElement;
    await act(() => {
      sel.value = 'pt-BR';
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(document.documentElement.lang).toBe('pt-BR');
    expect($(root, 'nav-evidence')?.textContent).toContain('Evidências');
    expect(root.textContent).toContain('Restaurável');
    // The verdict test id keeps the machine value whatever the language.
    expect($(root, 'verdict')?.textContent).toBe('restorable');
    const pt = i18n('pt-BR');
    for (const tab of TABS) {
      await act(() => s.ui.show(tab));
      await flush(10);
      const text = root.querySelector('main')!.textContent!;
      for (const en of ['Issues', 'Files', 'Evidence', 'Timeline', 'Rebuild of the latest state', 'Case history']) {
        if (pt.t(en) !== en) expect(text.includes(en) && !text.includes(pt.t(en)), `${tab}: ${en}`).toBe(false);
      }
    }
  });

  it('renders only the rows in view of a 100,000-row table', async () => {
    const root = document.createElement('div');
    document.body.appendChild(root);
    const asked: Array<[number, number]> = [];
    const store = await testStore();
    await act(() => {
      render(
        <StoreContext.Provider value={store}>
          <div style={{ height: '600px' }}>
            <DataTable columns={['id', 'subject']} count={100_000} row={(i) => [i + 1, `subject ${i}`]} onRange={(a, b) => asked.push([a, b])} label="rows" />
          </div>
        </StoreContext.Provider>,
        root,
      );
    });
    await flush();
    const grid = root.querySelector('[role="grid"]')!;
    expect(grid.getAttribute('aria-rowcount')).toBe('100001');
    const rows = root.querySelectorAll('.dt-row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(80);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0][0]).toBe(0);
  });

  it('evidence: hashing after the verdict shows progress and a stop button, then every hash; on demand when off', async () => {
    const good = localCaseClient();
    let release!: () => void;
    const client: CaseClientLike = { ...good, hash: (p, h) => new Promise<void>((r) => (release = r)).then(() => good.hash(p, h)) };
    const { s, root } = await mount(await testStore({ caseClient: client }));
    await act(() => s.openDemo());
    await act(() => s.ui.show('evidence'));
    await flush();
    expect($(root, 'verdict')?.textContent).toBe('restorable');
    expect($(root, 'hash-status')?.dataset.state).toBe('running');
    expect(root.querySelector('main .progress button')?.textContent).toContain('Cancel');
    expect(root.querySelectorAll('main tbody tr').length).toBe(s.case.view.value!.report.files.length);
    expect([...root.querySelectorAll('main tbody td')].filter((td) => td.textContent === 'hashing…').length).toBe(s.case.view.value!.report.files.length);
    release();
    await act(() => until(() => s.case.hashing.value.status === 'done'));
    await flush();
    const n = s.case.view.value!.report.files.length;
    expect($(root, 'hash-status')?.textContent).toBe(`${n} of ${n} hashed (SHA-256)`);
    expect(root.querySelector('main .progress')).toBeNull();
    for (const f of s.case.view.value!.report.files) expect(root.querySelector('main tbody')?.textContent).toContain(f.sha256!);

    const s2 = await testStore();
    s2.prefs.setHash(false);
    document.body.innerHTML = '';
    const m2 = await mount(s2);
    await act(() => s2.openDemo());
    await act(() => s2.ui.show('evidence'));
    await flush();
    expect($(m2.root, 'hash-status')?.textContent).toBe('hashing was turned off');
    await act(async () => $(m2.root, 'hash-now')!.click());
    await act(() => until(() => s2.case.hashing.value.status === 'done'));
    await flush();
    expect($(m2.root, 'hash-now')).toBeNull();
    expect($(m2.root, 'hash-status')?.dataset.state).toBe('done');
  });

  it('shows carved deleted records: where found, lost and ambiguous values marked, labelled controls', async () => {
    const s = await testStore();
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { FIXTURES } = await import('../helpers');
    const db = readFileSync(path.join(FIXTURES, 'sqlite/forensic-corpus/0C-03.db'));
    await s.openFiles([{ path: '0C-03.db', file: new File([db], '0C-03.db') }]);
    const { root } = await mount(s);
    await act(() => s.ui.show('integrity'));
    await flush();
    await act(async () => {
      $(root, 'carve')!.click();
    });
    await until(() => s.deleted.byFile.value.get(0)?.phase === 'done');
    await flush();
    expect($(root, 'deleted-summary')!.textContent).toMatch(/^7 deleted records, 1 table/);
    const table = $(root, 'deleted-table')!;
    const heads = Array.from(table.querySelectorAll('th')).map((x) => x.textContent);
    expect(heads).toEqual(['Found at', 'id', 'name', 'surname']);
    const rows = Array.from(table.querySelectorAll('tbody tr'));
    expect(rows).toHaveLength(7);
    // Each row says where it was found, as a button that opens the hex view there.
    expect(rows.every((r) => /^p\d+ @\d+$/.test(r.querySelector('button')!.textContent!))).toBe(true);
    // The cells whose type was overwritten say so.
    expect(rows.filter((r) => /type inferred: id/.test(r.textContent!)).length).toBeGreaterThan(0);
    expect(unlabelled(root)).toEqual([]);
  });

  it('recovered messages in the mail view: search, list with status, reading pane, versions and keys, labelled controls', async () => {
    const s = await testStore();
    await s.openDemo();
    await s.rebuildNow();
    const { root } = await mount(s);
    await act(() => s.ui.show('browse'));
    await flush();
    expect($(root, 'show-recovered')!.textContent).toMatch(/Recovered …$/);
    await act(async () => {
      $(root, 'show-recovered')!.click();
    });
    await flush();
    expect($(root, 'recovered-summary')!.textContent).toMatch(/free space/);
    await act(async () => {
      $(root, 'recover')!.click();
    });
    await until(() => s.recovered.searched.value === s.recovered.searches.value.length && !s.recovered.running.value);
    await flush(50);
    const n = s.recovered.list.value!.messages.length;
    expect(n).toBeGreaterThan(0);
    expect($(root, 'recovered-summary')!.textContent).toMatch(new RegExp(`^${n} recovered messages · 7 of 7 sources searched`));
    expect($(root, 'show-recovered')!.textContent).toMatch(new RegExp(`Recovered ${n}$`));
    // The first message is open; each item says what it is.
    const items = () => Array.from(root.querySelectorAll('[data-testid="recovered-item"]'));
    expect(items().length).toBeGreaterThan(0);
    expect(items().every((x) => /(deleted|other version|rowid lost)$/.test(x.querySelector('.pill')!.textContent!))).toBe(true);
    const first = s.recovered.list.value!.messages[0];
    expect($(root, 'recovered-status')!.textContent).toMatch(first.status === 'absent' ? /^deleted No row of this table has rowid \d+ now\./ : /^other version/);
    // Arrow keys move through the list; a changed message shows what changed against this state.
    const changedAt = s.recovered.list.value!.messages.findIndex((m) => m.status === 'changed');
    const list = root.querySelector('[role="listbox"]') as HTMLElement;
    for (let i = 0; i < changedAt; i++) {
      await act(async () => {
        list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
      });
    }
    await flush();
    expect(s.recovered.selected.value).toBe(changedAt);
    const m = s.recovered.list.value!.messages[changedAt];
    const cols = s.browse.tableInfo()!.columns.map((c) => c.name);
    const rows = Array.from($(root, 'recovered-changes')!.querySelectorAll('tbody tr')).map((r) => r.querySelector('td')!.textContent);
    expect(rows).toEqual(m.changed.map((j) => cols[j]));
    expect(root.querySelectorAll('.found-list li').length).toBe(m.found.length);
    // Versions of one rowid are offered side by side.
    const twice = s.recovered.list.value!.messages.findIndex((x, i, all) => x.rowid !== null && all.some((y, k) => k !== i && y.rowid === x.rowid));
    if (twice >= 0) {
      await act(() => s.recovered.select(twice));
      await flush();
      expect($(root, 'recovered-versions')!.querySelectorAll('button').length).toBe(s.recovered.list.value!.messages.filter((x) => x.rowid === s.recovered.list.value!.messages[twice].rowid).length);
    }
    // Filters: by what each message is, and by Browse's filter text (as the table's rows are).
    const all = s.recovered.list.value!.messages;
    const chips = () => Array.from($(root, 'recovered-filter')!.querySelectorAll('button')) as HTMLElement[];
    expect(chips().map((b) => b.textContent)).toEqual([`All ${all.length}`, `Deleted ${all.filter((x) => x.status !== 'changed').length}`, `Other versions ${all.filter((x) => x.status === 'changed').length}`]);
    for (const [k, pill] of [[1, /^(deleted|rowid lost)$/], [2, /^other version$/]] as const) {
      await act(async () => chips()[k].click());
      await flush();
      expect(items().length).toBeGreaterThan(0);
      expect(items().every((x) => pill.test(x.querySelector('.pill')!.textContent!))).toBe(true);
      expect(s.recovered.visible.value).toContain(s.recovered.selected.value);
    }
    await act(async () => chips()[0].click());
    const word = String(all[all.length - 1].cells[s.browse.tableInfo()!.columns.findIndex((c) => c.name === 'message_id')]);
    await act(async () => {
      await s.browse.setFilter(word);
    });
    await flush();
    expect(s.recovered.visible.value.map((i) => all[i].cells.some((c) => String(c).includes(word)))).toEqual(s.recovered.visible.value.map(() => true));
    expect(s.recovered.visible.value.length).toBe(all.filter((x) => x.cells.some((c) => String(c).toLowerCase().includes(word.toLowerCase()))).length);
    expect(items().length).toBe(s.recovered.visible.value.length);
    expect(s.recovered.visible.value).toContain(s.recovered.selected.value);
    await act(async () => {
      await s.browse.setFilter('');
    });
    expect(unlabelled(root)).toEqual([]);
    // Back to this state's messages.
    await act(async () => {
      (root.querySelector('.mail-wrap .seg button') as HTMLElement).click();
    });
    await flush();
    expect($(root, 'recovered')).toBeNull();
    expect(root.querySelectorAll('.mail-item').length).toBeGreaterThan(0);
  });
});
