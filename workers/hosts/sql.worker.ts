// Web Worker entry of sql.js: the rebuilt database (or an ESE database exported to SQLite), browse views, the console
// copy and CSV/JSON exports.
// The sql.js wasm is embedded in this bundle (the page's CSP allows no fetch).
import * as Comlink from 'comlink';
import initSqlJs from 'sql.js';
import wasm from 'sql.js/dist/sql-wasm-browser.wasm?bytes';
import { createSHA256 } from 'hash-wasm';
import { createSqlService, type SqlApi } from './sql-service';

async function sha256() {
  const h = await createSHA256();
  h.init();
  return { update: (b: Uint8Array) => void h.update(b), digestHex: () => h.digest('hex') };
}

let service: Promise<SqlApi> | null = null;
const get = () => (service ??= initSqlJs({ wasmBinary: wasm }).then((SQL) => createSqlService(SQL, { sha256 })));

const api: SqlApi = {
  open: async (b) => (await get()).open(b),
  view: async (s) => (await get()).view(s),
  rows: async (v, o, l) => (await get()).rows(v, o, l),
  closeView: async (v) => (await get()).closeView(v),
  exec: async (s, m) => (await get()).exec(s, m),
  resetConsole: async () => (await get()).resetConsole(),
  exportData: async (s, f) => (await get()).exportData(s, f),
  compareRows: async (t, items) => (await get()).compareRows(t, items),
  exportEse: async (op, file, path, progress, opts) => (await get()).exportEse(op, file, path, progress, opts),
  cancel: async (op) => (await get()).cancel(op),
};
Comlink.expose(api);
