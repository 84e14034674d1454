// Browser host services for the engine (Web Workers): Blob/File sources, streaming SHA-256 from hash-wasm, and the
// kernel binaries embedded in the bundle (no fetch: the page's CSP allows no connections).
//
// Reading Files in a worker (measured in Chromium 156 on a 1.1 GB WAL; bench/web-bench.mjs, notes in
// bench/WEB-PERF.md). A synchronous FileReaderSync slice blocks the worker while the browser process copies it through
// a data pipe, so reading and checking take turns. A Blob stream lets the browser keep filling the pipe while the
// worker checks the previous chunk. Read with a BYOB reader into one reused staging buffer, the stream also avoids a
// fresh ArrayBuffer per chunk (allocation, page faults, GC): two workers read and copy into kernel memory at ~1.8 GB/s
// with a BYOB reader against ~1.2 GB/s with the default reader, using a third less CPU. So:
//   - sequential reads (>= SCAN_READ starting where the previous one ended, or continuing the open stream) come from
//     one stream per source, BYOB where the browser offers it, else the default reader;
//   - other reads (headers, schema pages, the first read of a scan, blocks of a page cache) are one slice each
//     (FileReaderSync where it exists: fastest to answer).
// Nothing beyond the staging buffer (or one default-reader chunk) is held.
// A BYOB read of a Blob stream in Chromium 156 can stall for good (seen in about 1 of 30 page-level reads of a
// 1.1 GB file, never with the default reader): a read that has not answered within STALL_MS abandons that stream
// and the source goes on from the same offset with the default reader.

import { createSHA256 } from 'hash-wasm';
import { MemorySource, type ByteSource, type SourceOpener, type SourceRef } from '../engine/io';
import { PalimpsestError } from '../engine/errors';
import { Kernels } from '../engine/kernels/kernels';
import type { Sha256 } from '../engine/jobs';
import scalarKernels from '../../build/kernels.wasm?bytes';
import simdKernels from '../../build/kernels-simd.wasm?bytes';

/** Reads at or above this size start (or continue) a sequential stream; smaller ones are single slices. */
const SCAN_READ = 256 << 10;
/** BYOB staging buffer: one read takes what the pipe holds, up to this. */
const STAGE = 1 << 20;
/** A BYOB read pending this long is taken as stalled (a normal one answers in well under 10 ms). */
const STALL_MS = 3000;
/** Inputs up to this size are hashed whole by WebCrypto (browserSha256). */
const WHOLE_DIGEST_LIMIT = 32 << 20;

interface FileReaderSyncLike {
  readAsArrayBuffer(b: Blob): ArrayBuffer;
}

type Reader =
  | { byob: true; r: ReadableStreamBYOBReader }
  | { byob: false; r: ReadableStreamDefaultReader<Uint8Array> };

/** A Blob/File read through a stream for sequential scans and through slices for small random reads. */
export class StreamBlobSource implements ByteSource {
  readonly name: string;
  readonly size: number;
  readonly lastModified?: number;
  private readonly blob: Blob;
  private readonly slicer: FileReaderSyncLike | null;
  private allowByob: boolean;
  private readonly stallMs: number;
  private reader: Reader | null = null;
  /** File offset of the next byte the stream gives (pending[0] when pending is not empty). */
  private streamAt = 0;
  private pending: Uint8Array = new Uint8Array(0);
  /** The BYOB staging buffer (each read transfers it and hands it back). */
  private stage: ArrayBuffer | null = null;
  /** Where the last read outside the stream ended, and the last large one (>= SCAN_READ); -1 before the first. */
  private lastEnd = -1;
  private lastLargeEnd = -1;
  /** Stream reads are stateful: concurrent callers take turns. */
  private turn: Promise<unknown> = Promise.resolve();
  constructor(blob: Blob, name: string, slicer: FileReaderSyncLike | null, opts: { byob?: boolean; stallMs?: number } = {}) {
    this.blob = blob;
    this.name = name;
    this.size = blob.size;
    this.slicer = slicer;
    this.allowByob = opts.byob !== false;
    this.stallMs = opts.stallMs ?? STALL_MS;
    const lm = (blob as { lastModified?: number }).lastModified;
    if (typeof lm === 'number') this.lastModified = lm;
  }
  readInto(offset: number, dst: Uint8Array): Promise<number> {
    if (offset >= this.size || offset < 0) return Promise.resolve(0);
    const end = Math.min(this.size, offset + dst.length);
    // A stream pays off for a run of reads: a large read starts one only where the previous read, or the previous
    // large read, ended (a scan's second read; a small read elsewhere, such as a header, does not break the run). A
    // lone large read at a new place (a block of a page cache, a run of scattered pages) is one slice: a stream would
    // read ahead what nobody asks for, then be cancelled.
    if (!(this.reader !== null && offset === this.streamAt)) {
      const sequential = offset === this.lastEnd || offset === this.lastLargeEnd;
      this.lastEnd = end;
      if (end - offset < SCAN_READ) return this.sliceInto(offset, end, dst);
      this.lastLargeEnd = end;
      if (!sequential) return this.sliceInto(offset, end, dst);
    }
    const run = this.turn.then(() => this.streamInto(offset, end, dst));
    this.turn = run.catch(() => undefined);
    return run;
  }
  private async streamInto(offset: number, end: number, dst: Uint8Array): Promise<number> {
    if (!this.reader || offset !== this.streamAt) await this.startStream(offset);
    const n = end - offset;
    let got = 0;
    while (got < n) {
      if (this.pending.length === 0 && !(await this.refill())) break;
      const take = Math.min(this.pending.length, n - got);
      dst.set(take === this.pending.length ? this.pending : this.pending.subarray(0, take), got);
      this.pending = this.pending.subarray(take);
      this.streamAt += take;
      got += take;
    }
    return got;
  }
  private async startStream(offset: number): Promise<void> {
    await this.stopStream();
    const stream = this.blob.slice(offset).stream();
    let reader: Reader | null = null;
    if (this.allowByob) {
      try {
        reader = { byob: true, r: stream.getReader({ mode: 'byob' }) };
      } catch {
        // Not a byte stream in this browser: the default reader below.
      }
    }
    this.reader = reader ?? { byob: false, r: stream.getReader() };
    this.streamAt = offset;
  }
  /** Next piece of the stream into `pending`; false at its end. */
  private async refill(): Promise<boolean> {
    const rd = this.reader!;
    if (rd.byob) {
      const view = new Uint8Array(this.stage ?? new ArrayBuffer(STAGE));
      this.stage = null;
      const r = await this.guard(rd.r.read(view));
      if (r === STALLED) {
        // The stalled read keeps the staging buffer; its cancel may never settle either, so it is not awaited.
        rd.r.cancel().catch(() => undefined);
        this.reader = null;
        this.allowByob = false;
        await this.startStream(this.streamAt);
        return this.refill();
      }
      // The staging buffer was transferred to the stream and comes back as r.value's buffer.
      this.stage = r.value ? (r.value.buffer as ArrayBuffer) : null;
      if (r.done || !r.value || r.value.length === 0) return false;
      this.pending = r.value;
      return true;
    }
    const r = await rd.r.read();
    if (r.done) return false;
    this.pending = r.value;
    return true;
  }
  private async sliceInto(offset: number, end: number, dst: Uint8Array): Promise<number> {
    const part = this.blob.slice(offset, end);
    const ab = this.slicer ? this.slicer.readAsArrayBuffer(part) : await part.arrayBuffer();
    dst.set(new Uint8Array(ab));
    return ab.byteLength;
  }
  private async stopStream(): Promise<void> {
    const rd = this.reader;
    this.reader = null;
    this.pending = new Uint8Array(0);
    if (rd) await rd.r.cancel().catch(() => undefined);
  }
  async close(): Promise<void> {
    await this.turn;
    await this.stopStream();
    this.stage = null;
    if (this.watchdog !== null) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  // Stall detection without a timer per read (a scan makes ~1,000 reads per GB, and a setTimeout + clearTimeout pair
  // per read cost ~7% of a worker's time in Chromium): one watchdog timer, re-armed only while a read is pending,
  // settles the pending read as STALLED once it began stallMs ago or more. Reads of one source take turns, so at most
  // one is pending.
  /** performance.now() when the pending read began; 0 when none is pending. */
  private pendingSince = 0;
  private onStall: (() => void) | null = null;
  private watchdog: ReturnType<typeof setTimeout> | null = null;

  /** The read's value, or STALLED when it has not settled within stallMs. */
  private guard<T>(p: Promise<T>): Promise<T | typeof STALLED> {
    return new Promise<T | typeof STALLED>((resolve, reject) => {
      const onStall = () => resolve(STALLED);
      const settle = () => {
        // A read given up as stalled may still settle later: it must not clear a newer read's state.
        if (this.onStall !== onStall) return;
        this.pendingSince = 0;
        this.onStall = null;
      };
      this.pendingSince = performance.now() || 1;
      this.onStall = onStall;
      if (this.watchdog === null) this.watchdog = setTimeout(this.tick, this.stallMs);
      p.then(
        (v) => {
          settle();
          resolve(v);
        },
        (e) => {
          settle();
          reject(e);
        },
      );
    });
  }

  private readonly tick = (): void => {
    this.watchdog = null;
    if (!this.pendingSince) return;
    const waited = performance.now() - this.pendingSince;
    if (waited + 1 >= this.stallMs) {
      const stall = this.onStall;
      this.pendingSince = 0;
      this.onStall = null;
      stall?.();
      return;
    }
    this.watchdog = setTimeout(this.tick, this.stallMs - waited);
  };
}

const STALLED = Symbol('stalled');

const FRS = (globalThis as { FileReaderSync?: new () => FileReaderSyncLike }).FileReaderSync;

/**
 * How long a closed keyed source stays open for the next job of the same file. Restarting a Blob stream costs
 * several ms (the browser reopens the file and the pipe starts empty), ~6 ms a job in Chromium 156: the jobs of a
 * lane (inspect.ts runLanes) go on reading the stream their predecessor left.
 */
const PARK_MS = 2000;
/** The one parked source of this worker (a worker runs one job at a time). */
let parked: { key: string; src: StreamBlobSource; timer: ReturnType<typeof setTimeout> } | null = null;

function unpark(): StreamBlobSource | null {
  if (!parked) return null;
  clearTimeout(parked.timer);
  const src = parked.src;
  parked = null;
  return src;
}

/** A keyed source whose close parks it (closing the one parked before) instead of ending its stream. */
function leased(src: StreamBlobSource, key: string): ByteSource {
  let closed = false;
  return {
    name: src.name,
    size: src.size,
    lastModified: src.lastModified,
    readInto: (offset, dst) => (closed ? Promise.reject(new PalimpsestError('internal', `${src.name}: read after close`)) : src.readInto(offset, dst)),
    close: async () => {
      if (closed) return;
      closed = true;
      await unpark()?.close();
      const timer = setTimeout(() => {
        if (parked?.src === src) void unpark()?.close();
      }, PARK_MS);
      parked = { key, src, timer };
    },
  };
}

export const browserOpener: SourceOpener = async (ref: SourceRef) => {
  if (ref.type === 'blob') {
    if (!ref.key) return new StreamBlobSource(ref.blob, ref.name, FRS ? new FRS() : null);
    const reuse = parked?.key === ref.key ? unpark() : null;
    return leased(reuse ?? new StreamBlobSource(ref.blob, ref.name, FRS ? new FRS() : null), ref.key);
  }
  if (ref.type === 'bytes') return new MemorySource(ref.name, ref.bytes, ref.lastModified);
  throw new PalimpsestError('usage', `a browser cannot open file paths (${ref.path}); give it a File`);
};

/**
 * Streaming SHA-256 for evidence hashes. Measured in a Chromium worker on this project's 2-core bench machine:
 * WebCrypto digests ~0.7 GB/s but only whole buffers; hash-wasm streams at ~0.22 GB/s (an AssemblyScript
 * compression kernel measured the same, so there is no kernel of our own). So input is collected up to
 * `wholeLimit` bytes and digested whole by WebCrypto; past that it streams through hash-wasm (bounded memory).
 */
export async function browserSha256(opts: { wholeLimit?: number } = {}): Promise<Sha256> {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  const limit = subtle ? opts.wholeLimit ?? WHOLE_DIGEST_LIMIT : 0;
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let stream: Awaited<ReturnType<typeof createSHA256>> | null = null;
  const toStream = async () => {
    stream = await createSHA256();
    stream.init();
    for (const b of held) stream.update(b);
    held = [];
  };
  return {
    update: async (b) => {
      if (!stream && heldBytes + b.length <= limit) {
        // A copy: callers reuse their buffer.
        held.push(b.slice());
        heldBytes += b.length;
        return;
      }
      if (!stream) await toStream();
      stream!.update(b);
    },
    digestHex: async () => {
      if (stream) return stream.digest('hex');
      const whole = new Uint8Array(heldBytes);
      let at = 0;
      for (const b of held) {
        whole.set(b, at);
        at += b.length;
      }
      held = [];
      const d = new Uint8Array(await subtle!.digest('SHA-256', whole));
      return Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('');
    },
  };
}

export function browserKernels(): () => Promise<Kernels> {
  let k: Promise<Kernels> | null = null;
  return () => (k ??= Kernels.load({ scalar: scalarKernels, simd: simdKernels }));
}
