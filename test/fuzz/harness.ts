// The in-process engine the mutation tests drive: in-memory sources only (`bytes` refs), the SIMD kernels, jobs on a
// LocalRunner (the same job code the workers run), and a real SHA-256 (node:crypto) so hashing paths run too.
import { createHash } from 'node:crypto';
import { loadKernels } from '../helpers';
import { LocalRunner } from '../../workers/engine/runner';
import { MemorySource, type SourceRef, type ByteSource } from '../../workers/engine/io';
import type { Kernels } from '../../workers/engine/kernels/kernels';

export interface FuzzEngine {
  kernels: Kernels;
  runner: LocalRunner;
  open: (ref: SourceRef) => Promise<ByteSource>;
}

export async function fuzzEngine(): Promise<FuzzEngine> {
  const kernels = await loadKernels('simd');
  const open = async (ref: SourceRef): Promise<ByteSource> => {
    if (ref.type !== 'bytes') throw new Error('bytes only');
    return new MemorySource(ref.name, ref.bytes);
  };
  const runner = new LocalRunner({
    open,
    kernels: async () => kernels,
    sha256: () => {
      const h = createHash('sha256');
      return { update: (b) => void h.update(b), digestHex: () => h.digest('hex') };
    },
  });
  return { kernels, runner, open };
}
