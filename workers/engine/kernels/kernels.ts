// Host side of the AssemblyScript kernels: instantiation, SIMD/scalar choice, and a scratch area in the
// instance's linear memory so that hosts can read file bytes straight into it (no extra copy).
//
// A kernel never throws; a negative status becomes a PalimpsestError('kernel'). A trap (which should not
// happen) poisons the instance: callers must discard it and the job fails alone (STYLE.md).

import { PalimpsestError } from '../errors';
import { ABI_VERSION } from './abi';

export interface KernelBinaries {
  simd?: Uint8Array | ArrayBuffer;
  scalar: Uint8Array | ArrayBuffer;
}

interface Exports {
  memory: WebAssembly.Memory;
  ABI_VERSION: WebAssembly.Global;
  scratchBase(): number;
  hasSimd(): number;
  walChecksum(ptr: number, len: number, be: number, s0: number, s1: number, out: number): number;
  walFrameCheck(ptr: number, n: number, pageSize: number, be: number, s0: number, s1: number, out: number, hdrOut: number): number;
  cksumvfsCheck(ptr: number, n: number, pageSize: number, out: number): number;
  esePageCheck(ptr: number, n: number, pageSize: number, firstPgno: number, out: number): number;
  eseEccChecksum(ptr: number, cb: number, pgno: number, headerBlock: number, out: number): number;
  eseXorChecksum(ptr: number, len: number): number;
  [k: string]: unknown;
}

const PAGE = 65536;

export class Kernels {
  readonly simd: boolean;
  readonly exports: Exports;
  private readonly base: number;

  private constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as Exports;
    if ((this.exports.ABI_VERSION.value as number) !== ABI_VERSION) {
      throw new PalimpsestError('kernel', `kernel ABI ${this.exports.ABI_VERSION.value} != host ABI ${ABI_VERSION}`);
    }
    this.simd = this.exports.hasSimd() === 1;
    this.base = this.exports.scratchBase();
  }

  /** Picks the SIMD build when the engine can run it (WebAssembly.validate), else the scalar one. */
  static async load(bins: KernelBinaries, opts: { forceScalar?: boolean } = {}): Promise<Kernels> {
    const simdOk = !opts.forceScalar && bins.simd !== undefined && WebAssembly.validate(toBufferSource(bins.simd));
    const bytes = simdOk ? bins.simd! : bins.scalar;
    const module = await WebAssembly.compile(toBufferSource(bytes));
    return new Kernels(await WebAssembly.instantiate(module, {}));
  }

  static fromModule(module: WebAssembly.Module): Kernels {
    return new Kernels(new WebAssembly.Instance(module, {}));
  }

  /** Ensures `bytes` of scratch exist past the scratch base and returns a view over them (valid until next call). */
  scratch(bytes: number): Uint8Array {
    const need = this.base + bytes;
    const mem = this.exports.memory;
    if (need > mem.buffer.byteLength) {
      const pages = Math.ceil((need - mem.buffer.byteLength) / PAGE);
      try {
        mem.grow(pages);
      } catch (e) {
        throw new PalimpsestError('out-of-memory', `kernel memory cannot grow to ${need} bytes`);
      }
    }
    return new Uint8Array(mem.buffer, this.base, bytes);
  }

  /** Pointer (in kernel memory) of a view returned by scratch(). */
  ptr(view: Uint8Array): number {
    if (view.buffer !== this.exports.memory.buffer) throw new PalimpsestError('internal', 'view is not in kernel memory');
    return view.byteOffset;
  }

  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  private check(status: number, what: string): number {
    if (status < 0) throw new PalimpsestError('kernel', `${what}: kernel status ${status}`);
    return status;
  }

  /** WAL checksum of data (length multiple of 8) continuing from (s0, s1). Copies data into scratch. */
  walChecksum(data: Uint8Array, bigEndian: boolean, s0 = 0, s1 = 0): [number, number] {
    const view = this.scratch(data.length + 16);
    view.set(data);
    const out = this.ptr(view) + ((data.length + 7) & ~7);
    this.check(this.exports.walChecksum(this.ptr(view), data.length, bigEndian ? 1 : 0, s0, s1, out), 'walChecksum');
    const dv = new DataView(this.exports.memory.buffer);
    return [dv.getUint32(out, true), dv.getUint32(out + 4, true)];
  }

  /**
   * Checks `n` frames already placed in kernel memory at `framesPtr`; status bytes are written at `outPtr`.
   * Returns the number of frames whose stored checksum matches.
   */
  walFrameCheckAt(framesPtr: number, n: number, pageSize: number, bigEndian: boolean, seed: [number, number], outPtr: number, hdrOutPtr = 0): number {
    return this.check(
      this.exports.walFrameCheck(framesPtr, n, pageSize, bigEndian ? 1 : 0, seed[0] >>> 0, seed[1] >>> 0, outPtr, hdrOutPtr),
      'walFrameCheck',
    );
  }

  cksumvfsCheckAt(pagesPtr: number, n: number, pageSize: number, outPtr: number): number {
    return this.check(this.exports.cksumvfsCheck(pagesPtr, n, pageSize, outPtr), 'cksumvfsCheck');
  }

  /**
   * ESE page verdicts for `n` pages already in kernel memory at `pagesPtr` (page i has number firstPgno + i).
   * Writes (status, info) i32 pairs at `outPtr` (ESE_PAGE_* in abi.ts); returns the number of good pages.
   */
  esePageCheckAt(pagesPtr: number, n: number, pageSize: number, firstPgno: number, outPtr: number): number {
    return this.check(this.exports.esePageCheck(pagesPtr, n, pageSize, firstPgno >>> 0, outPtr), 'esePageCheck');
  }

  /** ESE ECC+XOR checksum of one block (1..8 KiB, power of two). Copies the block into scratch. */
  eseEccChecksum(block: Uint8Array, pgno: number, headerBlock: boolean): { ecc: number; xor: number } {
    const view = this.scratch(block.length + 16);
    view.set(block);
    const out = this.ptr(view) + block.length;
    this.check(this.exports.eseEccChecksum(this.ptr(view), block.length, pgno >>> 0, headerBlock ? 1 : 0, out), 'eseEccChecksum');
    const dv = new DataView(this.exports.memory.buffer);
    return { xor: dv.getUint32(out, true), ecc: dv.getUint32(out + 4, true) };
  }

  /** ESE short checksum (0x89ABCDEF XOR the words after the first) of data (length a multiple of 4, >= 4). */
  eseXorChecksum(data: Uint8Array): number {
    if (data.length < 4 || data.length % 4) throw new PalimpsestError('usage', `eseXorChecksum: length ${data.length} is not a multiple of 4`);
    const view = this.scratch(data.length);
    view.set(data);
    return this.exports.eseXorChecksum(this.ptr(view), data.length) >>> 0;
  }
}

function toBufferSource(b: Uint8Array | ArrayBuffer): ArrayBuffer {
  if (b instanceof ArrayBuffer) return b;
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer
    ? b.buffer
    : (Uint8Array.prototype.slice.call(b).buffer as ArrayBuffer);
}
