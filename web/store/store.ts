// The app store: small signal sub-stores (STYLE.md, after preact-devtools) passed down by context, plus the
// actions that span several of them (opening a case resets the views; a finished rebuild opens in sql.js).
// Tests build their own store with in-process clients and a memory KV.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { computed, type ReadonlySignal } from '@preact/signals';
import type { CaseClientLike, SqlClientLike } from './clients';
import type { KV } from './kv';
import { createPrefs, type PrefsData, type PrefsStore } from './prefs';
import { createHistory, type HistoryEntry, type HistoryStore } from './history';
import { createCaseStore, type CaseStore } from './case';
import { createIntegrityStore, type IntegrityStore } from './integrity';
import { createRebuildStore, type RebuildStore } from './rebuild';
import { createBrowseStore, type BrowseStore } from './browse';
import { createEseStore, type EseStore } from './ese';
import { createDeletedStore, type DeletedStore } from './deleted';
import { createRecoveredStore, type RecoveredStore } from './recovered';
import { createUi, type UiStore } from './ui';
import { i18n, type I18n } from '../i18n/i18n';
import type { PickedFile } from '../features/start/files';
import type { CaseView, RebuildOut } from '../../workers/hosts/case-api';
import type { EseExportOut } from '../../workers/hosts/sql-service';

/** The demo case's stored name; shown translated (caseTitle). */
export const DEMO_NAME = 'Demo case';

/** A case's name as shown: the demo case in the page's language, others as given. */
export function caseTitle(name: string, demo: boolean, t: I18n): string {
  return demo ? t.t('Demo case') : name;
}

export interface StoreDeps {
  caseClient: CaseClientLike;
  sqlClient: SqlClientLike;
  kv: KV;
  prefs: PrefsData;
  /** Loads the built-in demo files (a separate chunk in the static site). */
  demo: () => Promise<PickedFile[]>;
  filterDelayMs?: number;
}

export interface Store {
  prefs: PrefsStore;
  history: HistoryStore;
  case: CaseStore;
  integrity: IntegrityStore;
  rebuild: RebuildStore;
  browse: BrowseStore;
  ese: EseStore;
  deleted: DeletedStore;
  /** Recovered messages of the browsed table (Browse's mail view). */
  recovered: RecoveredStore;
  ui: UiStore;
  i18n: ReadonlySignal<I18n>;
  init(): Promise<void>;
  openFiles(files: PickedFile[], opts?: { name?: string; demo?: boolean }): Promise<void>;
  openDemo(): Promise<void>;
  reopen(entry: HistoryEntry): Promise<boolean>;
  rebuildNow(): Promise<RebuildOut | null>;
  /** Exports the ESE database at report file `index` to SQLite in the sql worker and opens it in Browse. */
  openEseAsSqlite(index: number): Promise<EseExportOut | null>;
  /** SHA-256 of the open case's files now (hashing was off, or stopped); the history entry gets them too. */
  hashNow(): Promise<void>;
  closeCase(): void;
}

export function createStore(d: StoreDeps): Store {
  const prefs = createPrefs(d.kv, d.prefs);
  const history = createHistory(d.kv);
  const kase = createCaseStore(d.caseClient);
  const integrity = createIntegrityStore(d.caseClient);
  const rebuild = createRebuildStore(d.caseClient);
  const browse = createBrowseStore(d.sqlClient, { filterDelayMs: d.filterDelayMs });
  const ese = createEseStore(d.sqlClient);
  const deleted = createDeletedStore(d.caseClient);
  const recovered = createRecoveredStore({
    deleted, compare: (t, items) => d.sqlClient.compareRows(t, items), browseSource: browse.source, filter: browse.filter, rebuilt: rebuild.result, caseView: kase.view,
  });
  const ui = createUi();
  const tr = computed(() => i18n(prefs.lang.value));

  const resetViews = () => {
    integrity.reset();
    rebuild.reset();
    ese.reset();
    deleted.reset();
    recovered.reset();
    browse.reset();
  };

  const openFiles = async (files: PickedFile[], opts: { name?: string; demo?: boolean } = {}) => {
    if (!files.length) return;
    resetViews();
    ui.show('integrity');
    const keep = prefs.keepEvidence.value && !opts.demo ? files : null;
    const openedAt = Date.now();
    const entryOf = (v: CaseView) => {
      const r = v.report;
      return {
        name: kase.name.value, openedAt, verdict: r.verdict,
        counts: { errors: r.counts.errors, warnings: r.counts.warnings, infos: r.counts.infos },
        files: r.files.map((f) => ({ path: f.path, size: f.size, kind: f.kind, sha256: f.sha256 })),
        families: v.families.map((f) => ({ name: f.name, verdict: f.verdict, reached: f.reached })),
        demo: !!opts.demo,
      };
    };
    const historyFailed = (e: unknown) => {
      ui.notify('error', `${tr.value.t('The case history could not be saved')}: ${(e as Error).message}`);
      return null;
    };
    // The entry is recorded at the verdict and again when the hashes are in (they identify the case).
    let recorded!: (e: HistoryEntry | null) => void;
    let entry = new Promise<HistoryEntry | null>((res) => (recorded = res));
    const onHashed = (v: CaseView) => {
      entry = entry.then((prev) => (prev ? history.record(entryOf(v), null, { replaces: prev.id }) : null)).catch(historyFailed);
    };
    const view = await kase.open(files, { hash: prefs.hash.value, name: opts.name, demo: opts.demo, onHashed });
    if (!view) {
      recorded(null);
      const err = kase.error.value;
      if (err) ui.notify('error', `${tr.value.term(`error.${err.code}`)}: ${err.message}`);
      return;
    }
    const r = view.report;
    // The file to show first: the first with a picture and errors, else with warnings, else the first with a picture.
    // Databases before their logs when nothing else decides (an ESE case: the database, not SRU.log).
    const isDb = (i: number) => /-database$/.test(r.files[i].kind);
    const withMap = view.maps.map((m, i) => (m && r.files[i].kind !== 'unknown' ? i : -1)).filter((i) => i >= 0).sort((a, b) => Number(isDb(b)) - Number(isDb(a)) || a - b);
    const has = (i: number, sev: string) => r.files[i].issues.some((x) => x.severity === sev);
    const first = withMap.find((i) => has(i, 'error')) ?? withMap.find((i) => has(i, 'warning')) ?? withMap[0];
    void integrity.selectFile(first ?? null);
    if (view.families.length) void rebuild.selectFamily(view.families[0].name);
    recorded(await history.record(entryOf(view), keep).catch(historyFailed));
  };

  return {
    prefs, history, case: kase, integrity, rebuild, browse, ese, deleted, recovered, ui, i18n: tr,
    async init() {
      await Promise.all([prefs.load(), history.load()]);
    },
    openFiles,
    async openDemo() {
      const files = await d.demo();
      if (!files.length) {
        ui.notify('error', tr.value.t('This build has no demo case.'));
        return;
      }
      await openFiles(files, { name: DEMO_NAME, demo: true });
    },
    async reopen(entry) {
      if (entry.demo) {
        const files = await d.demo();
        await openFiles(files, { name: DEMO_NAME, demo: true });
        return true;
      }
      const files = entry.evidenceKept ? await history.evidence(entry.id) : null;
      if (!files) return false;
      await openFiles(files, { name: entry.name });
      return true;
    },
    async rebuildNow() {
      const out = await rebuild.rebuild();
      if (out) recovered.reset();
      if (out) await browse.open(out.blob, { kind: 'rebuild', name: out.name });
      else if (rebuild.error.value && rebuild.error.value.code !== 'cancelled') {
        ui.notify('error', `${tr.value.term(`error.${rebuild.error.value.code}`)}: ${rebuild.error.value.message}`);
      }
      return out;
    },
    async openEseAsSqlite(index) {
      const f = kase.view.value?.report.files[index];
      const picked = f ? kase.files.value.find((p) => p.path === f.path) : undefined;
      if (!f || f.kind !== 'ese-database' || !picked) {
        ui.notify('error', `${tr.value.term('error.usage')}: ${tr.value.t('This file is not an ESE database of the open case.')}`);
        return null;
      }
      const out = await ese.exportDb(index, picked.file, f.path);
      if (out) recovered.reset();
      if (out) await browse.adopt(out.info, { kind: 'ese', name: out.name });
      else if (ese.error.value && ese.error.value.code !== 'cancelled') {
        ui.notify('error', `${tr.value.term(`error.${ese.error.value.code}`)}: ${ese.error.value.message}`);
      }
      return out;
    },
    async hashNow() {
      await kase.hash();
    },
    closeCase() {
      resetViews();
      kase.close();
      ui.show('start');
    },
  };
}

export const StoreContext = createContext<Store | null>(null);

export function useStore(): Store {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useStore outside StoreContext');
  return s;
}

/** The translator for the current language (re-renders when it changes). */
export function useT(): I18n {
  return useStore().i18n.value;
}
