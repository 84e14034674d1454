// Entry: builds the store with the real workers and IndexedDB, then renders the app. `?demo=1` opens the demo case.
import { render } from 'preact';
import { App } from './app';
import { createStore, StoreContext } from './store/store';
import { CaseClient } from './bridge/case-client';
import { SqlClient } from './bridge/sql-client';
import { spawnCaseWorker, spawnSqlWorker } from './bridge/spawn';
import { idbKV } from './store/kv';
import { langFromBrowser } from './i18n/i18n';
import './styles.css';

const caseClient = new CaseClient(spawnCaseWorker);
const store = createStore({
  caseClient,
  sqlClient: new SqlClient(spawnSqlWorker),
  kv: idbKV(),
  prefs: { lang: langFromBrowser(navigator.languages), theme: 'system', hash: true, mapColour: 'status', keepEvidence: false },
  demo: () => import('./bridge/demo').then((m) => m.demoAsFiles()),
});

// Files dropped outside the drop zone must not make the browser navigate away from the case.
for (const ev of ['dragover', 'drop']) window.addEventListener(ev, (e) => e.preventDefault());

void store.init().finally(() => {
  render(
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>,
    document.getElementById('app')!,
  );
  if (new URLSearchParams(location.search).get('demo') === '1') void store.openDemo();
  // Workers start while the user picks files (a failure here is reported by the first real job instead).
  setTimeout(() => void caseClient.warm().catch(() => undefined), 0);
});
