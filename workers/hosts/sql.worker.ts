// Web Worker entry of sql.js: the rebuilt database, browse views, the console copy and CSV/JSON exports.
// The sql.js wasm is embedded in this bundle (the page's CSP allows no fetch).
import * as Comlink from 'comlink';
import initSqlJs from 'sql.js';
import wasm from 'sql.js/dist/sql-wasm-browser.wasm?bytes';
import { createSqlService, type SqlApi } from './sql-service';

let service: Promise<SqlApi> | null = null;
const get = () => (service ??= initSqlJs({ wasmBinary: wasm }).then(createSqlService));

const api: SqlApi = {
  open: async (b) => (await get()).open(b),
  view: async (s) => (await get()).view(s),
  rows: async (v, o, l) => (await get()).rows(v, o, l),
  closeView: async (v) => (await get()).closeView(v),
  exec: async (s, m) => (await get()).exec(s, m),
  resetConsole: async () => (await get()).resetConsole(),
  exportData: async (s, f) => (await get()).exportData(s, f),
};
Comlink.expose(api);
