// Starting the page's workers. `?worker` imports are module-free classic workers; the single-file build turns them
// into inline (blob URL) workers (web/build/vite-plugins.ts).
import CaseWorker from '../../workers/hosts/case.worker.ts?worker';
import SqlWorker from '../../workers/hosts/sql.worker.ts?worker';
import { spawned } from '../../workers/hosts/browser-pool';
import type { SpawnedWorker } from '../../workers/pool/pool';

export const spawnCaseWorker = (): SpawnedWorker => spawned(new CaseWorker({ name: 'palimpsest-case' }));
export const spawnSqlWorker = (): SpawnedWorker => spawned(new SqlWorker({ name: 'palimpsest-sql' }));
