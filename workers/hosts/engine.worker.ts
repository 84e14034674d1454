// Web Worker entry for engine jobs (the browser twin of node-worker.ts): the same jobs, Blob/File I/O.
import * as Comlink from 'comlink';
import '../engine/plugins';
import { createWorkerApi } from './worker-api';
import { browserOpener, browserSha256, browserKernels } from './browser-io';

Comlink.expose(createWorkerApi({ open: browserOpener, kernels: browserKernels(), sha256: browserSha256 }));
