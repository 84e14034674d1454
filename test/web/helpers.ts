// Web test helpers: the workers' services run in-process (same code the workers run, with Node file sources and
// an in-process job runner), evidence folders as File objects, and a store built on them.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { createCaseService } from '../../workers/hosts/case-service';
import { createSqlService, type SqlApi } from '../../workers/hosts/sql-service';
import { LocalRunner } from '../../workers/engine/runner';
import { nodeOpener, nodeSha256, nodeKernelLoader } from '../../workers/hosts/node-io';
import { unwire } from '../../web/bridge/worker-handle';
import { unpackCarveReport } from '../../workers/engine/formats/sqlite/carve-pack';
import type { CaseClientLike, SqlClientLike } from '../../web/store/clients';
import type { PickedFile } from '../../web/features/start/files';
import { createStore, type Store } from '../../web/store/store';
import { memoryKV, type KV } from '../../web/store/kv';
import { ROOT, FIXTURES } from '../helpers';
import '../../workers/engine/plugins';

export const DEMO = path.join(FIXTURES, 'demo');

export function localCaseService() {
  const ctx = { open: nodeOpener, kernels: nodeKernelLoader(), sha256: nodeSha256 };
  return createCaseService({ open: nodeOpener, runner: new LocalRunner(ctx), sha256: nodeSha256, progressEveryMs: 0 });
}

export function localCaseClient(svc = localCaseService()): CaseClientLike & { svc: ReturnType<typeof localCaseService> } {
  return {
    svc,
    inspect: async (inputs, opts, onProgress) => unwire(await svc.inspect('inspect', inputs, opts, onProgress)),
    hash: async (onProgress, onHashed) => unwire(await svc.hash('hash', onProgress, onHashed)),
    pageMap: async (f) => unwire(await svc.pageMap(f)),
    unit: async (f, u, i) => unwire(await svc.unit(f, u, i)),
    preview: async (fam, t) => unwire(await svc.preview(fam, t)),
    rebuild: async (fam, t, onProgress) => unwire(await svc.rebuild('rebuild', fam, t, onProgress)),
    deleted: async (f, onProgress) => unpackCarveReport(unwire(await svc.deleted(`deleted:${f}`, f, onProgress))),
    deletedIn: async (db, name, onProgress) => unpackCarveReport(unwire(await svc.deletedIn('deleted:rebuilt', db, name, onProgress))),
    cancel: (op) => void svc.cancel(op),
    forget: () => undefined,
  };
}

let sqlStatic: ReturnType<typeof initSqlJs> | null = null;
export function sqlJs() {
  return (sqlStatic ??= initSqlJs({ wasmBinary: readFileSync(path.join(ROOT, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm')) }));
}

export async function localSqlService(): Promise<SqlApi> {
  return createSqlService(await sqlJs(), { sha256: nodeSha256, progressEveryMs: 0 });
}

export async function localSqlClient(): Promise<SqlClientLike> {
  const s = await localSqlService();
  return {
    open: async (b) => unwire(await s.open(b)),
    view: async (spec) => ({ ...unwire(await s.view(spec)), gen: 0 }),
    rows: async (v, o, l) => unwire(await s.rows(v.id, o, l)),
    closeView: async (v) => s.closeView(v.id),
    exec: async (q, m) => unwire(await s.exec(q, m)),
    resetConsole: async () => void unwire(await s.resetConsole()),
    exportData: async (src, f) => unwire(await s.exportData(src, f)),
    compareRows: async (t, items) => unwire(await s.compareRows(t, items)),
    exportEse: async (file, p, onProgress, opts) => unwire(await s.exportEse('ese-export', file, p, onProgress, opts)),
    cancelEse: () => void s.cancel('ese-export'),
    close: () => undefined,
  };
}

/** Every file under dir as a File with its path relative to dir (skipping the fixture's notes). */
export function pickedFrom(dir: string, skip: RegExp = /(^|\/)(PROVENANCE\.md|case\.json)$/): PickedFile[] {
  const out: PickedFile[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      if (statSync(p).isDirectory()) walk(p, r);
      else if (!skip.test(r)) out.push({ path: r, file: new File([readFileSync(p)], n, { lastModified: statSync(p).mtimeMs }) });
    }
  };
  walk(dir, '');
  return out;
}

export const wireInputs = (files: PickedFile[]) => files.map((p) => ({ ref: { type: 'blob' as const, blob: p.file, name: p.path }, path: p.path }));

export async function testStore(opts: { kv?: KV; caseClient?: CaseClientLike; sqlClient?: SqlClientLike } = {}): Promise<Store & { kv: KV }> {
  const kv = opts.kv ?? memoryKV();
  const s = createStore({
    caseClient: opts.caseClient ?? localCaseClient(),
    sqlClient: opts.sqlClient ?? (await localSqlClient()),
    kv,
    prefs: { lang: 'en', theme: 'dark', hash: true, mapColour: 'status', keepEvidence: false },
    demo: async () => pickedFrom(DEMO),
    filterDelayMs: 0,
  });
  await s.init();
  return Object.assign(s, { kv });
}

/** Waits (polling) until cond() holds; fails after `ms`. */
export async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Waits until the open case's hashes are in, and the newest history entry has them. */
export const hashesIn = (s: Store) =>
  until(() => s.case.hashing.value.status === 'done' && (s.history.entries.value[0]?.files.every((f) => f.sha256) ?? false));
