// Byte sources. The engine never touches fs, Blob or fetch: a host hands it ByteSources (Node: file descriptors;
// browser: File/Blob; tests and the demo case: in-memory bytes). Evidence is read-only: there is no write method.

import { throwIfAborted } from './errors';

export interface ByteSource {
  /** Path or file name as the user gave it; used in reports. */
  readonly name: string;
  readonly size: number;
  /** Modification time in ms since the epoch, when the host knows it. */
  readonly lastModified?: number;
  /**
   * Reads up to dst.length bytes starting at `offset` into dst and returns the count read. The count is short
   * only at end of file. Must not retain dst.
   */
  readInto(offset: number, dst: Uint8Array): Promise<number>;
  close?(): Promise<void> | void;
}

/** Where a file comes from, in a form that can cross a worker boundary. */
export type SourceRef =
  | { type: 'path'; path: string; name?: string }
  /**
   * key: names this file for one inspection (unique per file and run), so a worker may keep the file's stream open
   * between jobs and reuse it when the next job comes with the same key.
   */
  | { type: 'blob'; blob: Blob; name: string; key?: string }
  | { type: 'bytes'; bytes: Uint8Array; name: string; lastModified?: number };

export type SourceOpener = (ref: SourceRef) => Promise<ByteSource>;

/** Reads `length` bytes at `offset`, clipped to the file size. Never reads past EOF; returns what exists. */
export async function readAt(src: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  if (offset < 0 || length < 0 || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length)) {
    return new Uint8Array(0);
  }
  const n = Math.max(0, Math.min(length, src.size - offset));
  const buf = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await src.readInto(offset + got, buf.subarray(got));
    if (r <= 0) break;
    got += r;
  }
  return got === n ? buf : buf.subarray(0, got);
}

/**
 * Reads pieces of `length` bytes at places in several files in the order they sit in their files, in runs: a run goes
 * on across gaps of up to `gap` bytes, up to `span` bytes in all (one read where a host pays per read: a browser
 * slices a Blob for each). `visit(i, bytes)` gets piece i of `at`; its bytes are short only where its file ended.
 * Runs are visited in file order, the pieces of a run in offset order.
 */
export async function readRuns(
  sources: ByteSource[], at: ReadonlyArray<{ file: number; offset: number }>, length: number,
  opts: { gap: number; span: number; signal?: AbortSignal },
  visit: (i: number, bytes: Uint8Array) => void | Promise<void>,
): Promise<void> {
  const idx = at.map((_, i) => i).sort((a, b) => at[a].file - at[b].file || at[a].offset - at[b].offset);
  for (let j = 0; j < idx.length; ) {
    throwIfAborted(opts.signal);
    const { file, offset: start } = at[idx[j]];
    let end = start + length;
    let e = j + 1;
    while (e < idx.length && at[idx[e]].file === file && at[idx[e]].offset - end <= opts.gap && at[idx[e]].offset + length - start <= opts.span) {
      end = Math.max(end, at[idx[e]].offset + length);
      e++;
    }
    const run = await readAt(sources[file], start, end - start);
    for (let q = j; q < e; q++) {
      const o = Math.min(at[idx[q]].offset - start, run.length);
      await visit(idx[q], run.subarray(o, Math.min(o + length, run.length)));
    }
    j = e;
  }
}

/** Fills dst completely from offset (short only at EOF); returns bytes read. */
export async function readFully(src: ByteSource, offset: number, dst: Uint8Array): Promise<number> {
  let got = 0;
  while (got < dst.length) {
    const r = await src.readInto(offset + got, dst.subarray(got));
    if (r <= 0) break;
    got += r;
  }
  return got;
}

export class MemorySource implements ByteSource {
  readonly name: string;
  readonly size: number;
  readonly lastModified?: number;
  private readonly bytes: Uint8Array;
  constructor(name: string, bytes: Uint8Array, lastModified?: number) {
    this.name = name;
    this.bytes = bytes;
    this.size = bytes.length;
    this.lastModified = lastModified;
  }
  async readInto(offset: number, dst: Uint8Array): Promise<number> {
    if (offset >= this.size || offset < 0) return 0;
    const n = Math.min(dst.length, this.size - offset);
    dst.set(this.bytes.subarray(offset, offset + n));
    return n;
  }
}

/** A browser Blob/File as a ByteSource (works in window and worker scopes; no DOM needed). */
export class BlobSource implements ByteSource {
  readonly name: string;
  readonly size: number;
  readonly lastModified?: number;
  private readonly blob: Blob;
  constructor(blob: Blob, name: string) {
    this.blob = blob;
    this.name = name;
    this.size = blob.size;
    const lm = (blob as { lastModified?: number }).lastModified;
    if (typeof lm === 'number') this.lastModified = lm;
  }
  async readInto(offset: number, dst: Uint8Array): Promise<number> {
    if (offset >= this.size || offset < 0) return 0;
    const end = Math.min(this.size, offset + dst.length);
    const ab = await this.blob.slice(offset, end).arrayBuffer();
    dst.set(new Uint8Array(ab));
    return ab.byteLength;
  }
}

export const u32be = (b: Uint8Array, o: number): number =>
  ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
export const u16be = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
export const u32le = (b: Uint8Array, o: number): number =>
  (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
export const u16le = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
export const hex = (n: number, width = 0): string => '0x' + n.toString(16).padStart(width, '0');
