// @vitest-environment happy-dom
// ESE in the components (happy-dom, test store with in-process services): the restore-plan checklist ticks by
// keyboard-operable checkboxes, the eseutil view shows exactly the CLI's text, failing pages open in the hex view,
// every view of an ESE case has labelled controls (in both languages), and Open as SQLite ends in a download button.
import { describe, it, expect, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import path from 'node:path';
import { App } from '../../web/app';
import { StoreContext, type Store } from '../../web/store/store';
import { testStore, pickedFrom } from './helpers';
import { TABS } from '../../web/store/ui';
import { FIXTURES } from '../helpers';
import { eseutilText } from '../../workers/engine/formats/ese/eseutil';
import { i18n } from '../../web/i18n/i18n';

const flush = async (ms = 30) => {
  await act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
};

async function mount(): Promise<{ s: Store; root: HTMLElement }> {
  const s = await testStore();
  const root = document.createElement('div');
  document.body.appendChild(root);
  await act(() => {
    render(
      <StoreContext.Provider value={s}>
        <App />
      </StoreContext.Provider>,
      root,
    );
  });
  return { s, root };
}

const $ = (root: ParentNode, id: string) => root.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;

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

describe('ESE components', () => {
  it('SRUM folder: verdict, plan checklist, eseutil text equal to the CLI renderer, labelled controls in every view', async () => {
    const { s, root } = await mount();
    await act(() => s.openFiles(pickedFrom(path.join(FIXTURES, 'ese', 'srum-rathbun'))));
    await flush();
    expect($(root, 'verdict')?.textContent).toBe('restorable');
    const plan = $(root, 'ese-plan')!;
    expect($(plan, 'ese-plan-verdict')?.textContent).toBe('Point-in-time restore ready');
    const boxes = Array.from(plan.querySelectorAll('input[type="checkbox"]')) as HTMLInputElement[];
    expect(boxes.length).toBe(4);
    expect(plan.textContent).toContain('0 of 4 done');
    await act(() => {
      boxes[1].click();
    });
    expect(plan.textContent).toContain('1 of 4 done');
    expect((plan.querySelectorAll('input[type="checkbox"]')[1] as HTMLInputElement).checked).toBe(true);
    // Each checkbox is named by its step (a <label for>).
    expect(plan.querySelector(`label[for="${boxes[0].id}"]`)?.textContent).toContain('Keep SRUDB.dat');
    expect($(root, 'eseutil-text')?.textContent).toBe(eseutilText(s.case.view.value!.report));
    expect($(root, 'ese-set-state')?.textContent).toBe('chain complete');
    expect($(root, 'ese-mh-facts')?.textContent).toContain('(0x9,6,36)  02/13/2022 04:32:41.404 UTC');
    expect(unlabelled(root)).toEqual([]);
    for (const tab of TABS) {
      await act(() => s.ui.show(tab));
      await flush(10);
      expect(root.querySelector('main')?.textContent?.length, tab).toBeGreaterThan(10);
      expect(unlabelled(root), tab).toEqual([]);
    }
    // Rebuild offers the ESE export; it ends in a download named after the source and an integrity check.
    await act(() => s.ui.show('rebuild'));
    await act(async () => {
      $(root, 'ese-export')!.click();
    });
    for (let i = 0; i < 200 && !$(root, 'ese-integrity'); i++) await flush(20);
    expect($(root, 'download-sqlite')?.textContent).toContain('SRUDB.sqlite');
    expect($(root, 'ese-integrity')?.textContent).toBe('ok');
    await act(() => s.ui.show('browse'));
    await flush();
    expect(root.querySelector('main')!.textContent).toContain('SRUDB.sqlite');
    expect(root.querySelector('main')!.textContent).toContain('_palimpsest_provenance');
    await act(() => s.ui.show('export'));
    await flush();
    expect($(root, 'export-sqlite')?.textContent).toContain('SRUDB.sqlite');
  });

  it('a damaged database: failing pages listed, each opening the hex view at that page', async () => {
    const { s, root } = await mount();
    await act(() => s.openFiles(pickedFrom(path.join(FIXTURES, 'ese', 'dissect'))));
    await flush();
    expect($(root, 'verdict')?.textContent).toBe('restorable-with-loss');
    const list = $(root, 'ese-bad-pages')!;
    const buttons = Array.from(list.querySelectorAll('button'));
    expect(buttons.map((b) => b.textContent)).toEqual(Array.from({ length: 16 }, (_, i) => String(143 + i)));
    await act(async () => {
      buttons[2].click();
    });
    for (let i = 0; i < 50 && !s.integrity.hex.value; i++) await flush(10);
    expect(s.integrity.hex.value?.index).toBe(145);
    expect(s.integrity.hex.value?.offset).toBe(146 * 4096);
    expect(root.querySelector('.hex h3')?.textContent).toContain('145');
  });

  it('speaks Brazilian Portuguese in the ESE panels', async () => {
    const { s, root } = await mount();
    await act(() => s.openFiles(pickedFrom(path.join(FIXTURES, 'ese', 'srum-rathbun'))));
    await flush();
    const sel = $(root, 'language') as HTMLSelectElement;
    await act(() => {
      sel.value = 'pt-BR';
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const pt = i18n('pt-BR');
    const text = root.querySelector('main')!.textContent!;
    for (const en of ['ESE restore plan (KB 296788)', 'ESE log sets', 'eseutil output', 'Open as SQLite', 'The log signature matches the database']) {
      expect(text, en).toContain(pt.t(en));
      expect(text.includes(en), en).toBe(false);
    }
    expect(text).toContain(pt.term('eseVerdict.point-in-time-ready'));
    expect(unlabelled(root)).toEqual([]);
  });
});
