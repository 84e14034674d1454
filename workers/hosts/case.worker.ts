// Web Worker entry of the case coordinator: runs inspectCase and writeImage off the page's thread, with engine
// jobs in a nested pool of engine workers (engine.worker.ts). The page only receives view data (case-api.ts).
import * as Comlink from 'comlink';
import '../engine/plugins';
import EngineWorker from './engine.worker.ts?worker';
import { createCaseService } from './case-service';
import { browserOpener, browserSha256, browserKernels } from './browser-io';
import { createJobRunner } from './browser-pool';
import { transferablesOf } from '../engine/jobs';
import type { CaseApi } from './case-api';

const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
// One engine worker more than there are cores (at most 4): while one waits on its Blob stream another checks. On two
// cores, A/B runs of the 1.16 GB WAL verify (bench/web-ab.mjs, 10 pairs each way): 3 workers 0.737 / 0.663 s median
// against 0.817 / 0.788 s for 2, and 0.697 s against 0.723 s for 4.
const size = Math.max(1, Math.min(4, cores + 1));
const runner = createJobRunner(() => new EngineWorker({ name: 'palimpsest-engine' }), size, {
  open: browserOpener, kernels: browserKernels(), sha256: browserSha256,
});
const service = createCaseService({ open: browserOpener, runner, sha256: browserSha256 });

// Typed arrays of page maps and hex units move to the page instead of being copied.
const moved = <T>(p: Promise<T>): Promise<T> => p.then((r) => Comlink.transfer(r, transferablesOf(r) as Transferable[]));

const api: CaseApi = {
  warm: () => service.warm(),
  inspect: (op, inputs, opts, progress) => service.inspect(op, inputs, opts, progress),
  hash: (op, progress, hashed) => service.hash(op, progress, hashed),
  pageMap: (file) => moved(service.pageMap(file)),
  unit: (file, unit, index) => moved(service.unit(file, unit, index)),
  preview: (family, target) => service.preview(family, target),
  rebuild: (op, family, target, progress) => service.rebuild(op, family, target, progress),
  // Carved records come packed in one buffer (carve-pack.ts): moved, not copied.
  deleted: (op, file, progress) => moved(service.deleted(op, file, progress)),
  deletedIn: (op, db, name, progress) => moved(service.deletedIn(op, db, name, progress)),
  cancel: (op) => service.cancel(op),
};
Comlink.expose(api);
