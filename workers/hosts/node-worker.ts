// worker_threads entry: the same jobs as the browser's engine.worker.ts, with Node file I/O.
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import '../engine/plugins';
import { createWorkerApi } from './worker-api';
import { nodeOpener, nodeSha256, nodeKernelLoader } from './node-io';

if (!parentPort) throw new Error('node-worker must run in a worker thread');
Comlink.expose(createWorkerApi({ open: nodeOpener, kernels: nodeKernelLoader(), sha256: nodeSha256 }), nodeEndpoint(parentPort));
