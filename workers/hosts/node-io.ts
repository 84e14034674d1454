// Node host services for the engine: file sources over file descriptors (read-only), SHA-256 from node:crypto,
// and the kernel binaries from build/. Used by the CLI thread and by node-worker.ts.

import { openSync, readSync, closeSync, fstatSync, readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ByteSource, SourceOpener, SourceRef } from '../engine/io';
import { MemorySource, BlobSource } from '../engine/io';
import { PalimpsestError } from '../engine/errors';
import { Kernels, type KernelBinaries } from '../engine/kernels/kernels';
import type { Sha256 } from '../engine/jobs';

export class FileSource implements ByteSource {
  readonly name: string;
  readonly size: number;
  readonly lastModified: number;
  private fd: number | null;
  constructor(file: string, name?: string) {
    try {
      // 'r' only: evidence is never opened for writing.
      this.fd = openSync(file, 'r');
    } catch (e) {
      throw new PalimpsestError('io', `cannot open ${file}: ${(e as Error).message}`);
    }
    const st = fstatSync(this.fd);
    this.size = st.size;
    this.lastModified = st.mtimeMs;
    this.name = name ?? file;
  }
  async readInto(offset: number, dst: Uint8Array): Promise<number> {
    return this.readIntoSync(offset, dst);
  }
  readIntoSync(offset: number, dst: Uint8Array): number {
    if (this.fd === null) throw new PalimpsestError('io', `${this.name} is closed`);
    if (offset >= this.size) return 0;
    let got = 0;
    while (got < dst.length) {
      const n = readSync(this.fd, dst, got, dst.length - got, offset + got);
      if (n <= 0) break;
      got += n;
    }
    return got;
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export const nodeOpener: SourceOpener = async (ref: SourceRef) => {
  if (ref.type === 'path') return new FileSource(ref.path, ref.name ?? ref.path);
  if (ref.type === 'bytes') return new MemorySource(ref.name, ref.bytes, ref.lastModified);
  return new BlobSource(ref.blob, ref.name);
};

export function nodeSha256(): Sha256 {
  const h = createHash('sha256');
  return { update: (b) => void h.update(b), digestHex: () => h.digest('hex') };
}

/**
 * SHA-256 on its own thread, for hashing output while it is being written: chunks are transferred (the caller must
 * not reuse them) and at most `maxInFlight` wait on the hashing thread (backpressure).
 */
export function threadedSha256(maxInFlight = 2): Sha256 {
  const w = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const h = require('node:crypto').createHash('sha256');
     parentPort.on('message', (m) => {
       if (m === 'digest') parentPort.postMessage({ hex: h.digest('hex') });
       else { h.update(m); parentPort.postMessage({ ack: true }); }
     });`,
    { eval: true },
  );
  let inFlight = 0;
  let waiter: (() => void) | null = null;
  let onDigest: ((hex: string) => void) | null = null;
  let failed: Error | null = null;
  w.on('message', (m: { ack?: boolean; hex?: string }) => {
    if (m.ack) {
      inFlight--;
      const wake = waiter;
      waiter = null;
      wake?.();
    } else if (m.hex !== undefined) onDigest?.(m.hex);
  });
  w.on('error', (e) => {
    failed = e;
    waiter?.();
  });
  return {
    update: async (b) => {
      if (failed) throw failed;
      const whole = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer;
      const chunk = whole ? b : b.slice();
      inFlight++;
      w.postMessage(chunk, [chunk.buffer as ArrayBuffer]);
      while (inFlight > maxInFlight && !failed) await new Promise<void>((r) => (waiter = r));
    },
    digestHex: () =>
      new Promise<string>((resolve, reject) => {
        if (failed) return reject(failed);
        onDigest = (hex) => {
          void w.terminate();
          resolve(hex);
        };
        w.postMessage('digest');
      }),
  };
}

/** Package root: the directory holding package.json, found from this module's location (src or dist). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'asconfig.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new PalimpsestError('internal', 'cannot find the Palimpsest package root');
}

let binaries: KernelBinaries | null = null;
export function kernelBinaries(): KernelBinaries {
  if (binaries) return binaries;
  const root = packageRoot();
  const scalar = path.join(root, 'build', 'kernels.wasm');
  const simd = path.join(root, 'build', 'kernels-simd.wasm');
  if (!existsSync(scalar)) throw new PalimpsestError('internal', `kernels not built: ${scalar} is missing (run npm run build)`);
  binaries = { scalar: readFileSync(scalar), simd: existsSync(simd) ? readFileSync(simd) : undefined };
  return binaries;
}

export function nodeKernelLoader(opts: { forceScalar?: boolean } = {}): () => Promise<Kernels> {
  let k: Promise<Kernels> | null = null;
  return () => (k ??= Kernels.load(kernelBinaries(), { forceScalar: opts.forceScalar || process.env.PALIMPSEST_SCALAR === '1' }));
}
