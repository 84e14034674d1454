// Browser host services for the engine (Web Workers): Blob/File sources, streaming SHA-256 from hash-wasm, and the
// kernel binaries embedded in the bundle (no fetch: the page's CSP allows no connections).

import { createSHA256 } from 'hash-wasm';
import { BlobSource, MemorySource, type SourceOpener, type SourceRef } from '../engine/io';
import { PalimpsestError } from '../engine/errors';
import { Kernels } from '../engine/kernels/kernels';
import type { Sha256 } from '../engine/jobs';
import scalarKernels from '../../build/kernels.wasm?bytes';
import simdKernels from '../../build/kernels-simd.wasm?bytes';

export const browserOpener: SourceOpener = async (ref: SourceRef) => {
  if (ref.type === 'blob') return new BlobSource(ref.blob, ref.name);
  if (ref.type === 'bytes') return new MemorySource(ref.name, ref.bytes, ref.lastModified);
  throw new PalimpsestError('usage', `a browser cannot open file paths (${ref.path}); give it a File`);
};

export async function browserSha256(): Promise<Sha256> {
  const h = await createSHA256();
  h.init();
  return { update: (b) => void h.update(b), digestHex: () => h.digest('hex') };
}

export function browserKernels(): () => Promise<Kernels> {
  let k: Promise<Kernels> | null = null;
  return () => (k ??= Kernels.load({ scalar: scalarKernels, simd: simdKernels }));
}
