// The browser host's File reading and hashing (workers/hosts/browser-io.ts), run in Node on real Blobs: the stream
// source gives exactly the bytes a plain slice gives for sequential, random, mixed, concurrent and past-the-end
// reads, through the BYOB reader and through the default reader; the whole demo case inspects the same through it
// as through Node file sources; the hybrid SHA-256 (WebCrypto whole / hash-wasm streaming) equals node:crypto on
// both sides of its size limit.
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { StreamBlobSource, browserOpener, browserSha256, browserKernels } from '../../workers/hosts/browser-io';
import { nodeOpener, nodeSha256, nodeKernelLoader } from '../../workers/hosts/node-io';
import { inspectCase } from '../../workers/engine/case/inspect';
import { verifyReport } from '../../workers/engine/report/report';
import { LocalRunner } from '../../workers/engine/runner';
import { readFully } from '../../workers/engine/io';
import { rng, randomBytes } from '../helpers';
import { DEMO, pickedFrom, wireInputs } from './helpers';
import path from 'node:path';

const MiB = 1 << 20;

/**
 * Counts slices the source asks for (each read outside a stream is one; a stream start is one of the whole rest) and
 * streams it starts.
 */
function countingBlob(bytes: Uint8Array): { blob: Blob; slices: () => number; streams: () => number } {
  const blob = new Blob([bytes as BlobPart]);
  let n = 0;
  let streams = 0;
  const orig = blob.slice.bind(blob);
  blob.slice = (...a: Parameters<Blob['slice']>) => {
    n++;
    const part = orig(...a);
    const stream = part.stream.bind(part);
    part.stream = () => {
      streams++;
      return stream();
    };
    return part;
  };
  return { blob, slices: () => n, streams: () => streams };
}

describe.each([true, false])('StreamBlobSource (BYOB reader allowed: %s)', (byob) => {
  const r = rng(byob ? 11 : 12);
  const bytes = randomBytes(5 * MiB + 12345, r);
  const open = (b: Blob = new Blob([bytes as BlobPart])) => new StreamBlobSource(b, 'f', null, { byob });

  it('sequential reads of many sizes return the file exactly, from one stream', async () => {
    const { blob, slices } = countingBlob(bytes);
    const src = open(blob);
    const sizes = [256 << 10, 1, 700, 300 << 10, 2 * MiB + 3, 64 << 10, 4096];
    let off = 0;
    let k = 0;
    while (off < bytes.length) {
      const want = sizes[k++ % sizes.length];
      const dst = new Uint8Array(want);
      const got = await readFully(src, off, dst);
      expect(got).toBe(Math.min(want, bytes.length - off));
      expect(Buffer.from(dst.subarray(0, got)).equals(Buffer.from(bytes.subarray(off, off + got)))).toBe(true);
      off += got;
    }
    // The first reads (256 KiB, 1 byte, 700 bytes) are slices; the 300 KiB read after them starts the stream, and
    // every later read continues it: one stream for the rest of the file.
    expect(slices()).toBe(4);
    expect(await src.readInto(off, new Uint8Array(10))).toBe(0);
    await src.close();
  });

  it('random reads, small and large, jumping back and forth', async () => {
    const src = open();
    for (let i = 0; i < 60; i++) {
      const len = r() < 0.5 ? Math.floor(r() * 5000) + 1 : Math.floor(r() * 1.5 * MiB) + (256 << 10);
      const at = Math.floor(r() * (bytes.length + 1000));
      const dst = new Uint8Array(len);
      const got = await readFully(src, at, dst);
      const want = Math.max(0, Math.min(len, bytes.length - at));
      expect(got).toBe(want);
      expect(Buffer.from(dst.subarray(0, got)).equals(Buffer.from(bytes.subarray(at, at + got)))).toBe(true);
    }
    expect(await src.readInto(-1, new Uint8Array(4))).toBe(0);
    await src.close();
  });

  it('a small read between scan reads does not disturb the stream', async () => {
    const { blob, slices } = countingBlob(bytes);
    const src = open(blob);
    const a = new Uint8Array(MiB);
    await readFully(src, 0, a);
    const hdr = new Uint8Array(100);
    await readFully(src, 3 * MiB, hdr);
    const b = new Uint8Array(MiB);
    await readFully(src, MiB, b);
    expect(Buffer.from(hdr).equals(Buffer.from(bytes.subarray(3 * MiB, 3 * MiB + 100)))).toBe(true);
    expect(Buffer.from(b).equals(Buffer.from(bytes.subarray(MiB, 2 * MiB)))).toBe(true);
    // The first MiB and the header are slices; the second MiB starts the stream where the first ended.
    expect(slices()).toBe(3);
    const c = new Uint8Array(MiB);
    await readFully(src, 2 * MiB, c);
    expect(Buffer.from(c).equals(Buffer.from(bytes.subarray(2 * MiB, 3 * MiB)))).toBe(true);
    expect(slices()).toBe(3);
    await src.close();
  });

  it('large reads at scattered places are slices: no stream reads ahead for them', async () => {
    const { blob, slices, streams } = countingBlob(bytes);
    const src = open(blob);
    const at = [3 * MiB, 0, 2 * MiB + 5, 4 * MiB, MiB + 77];
    for (const a of at) {
      const dst = new Uint8Array(MiB);
      expect(await readFully(src, a, dst)).toBe(MiB);
      expect(Buffer.from(dst).equals(Buffer.from(bytes.subarray(a, a + MiB)))).toBe(true);
    }
    expect(slices()).toBe(at.length);
    expect(streams()).toBe(0);
    // Reading on from where the last one ended starts one.
    const more = new Uint8Array(512 << 10);
    expect(await readFully(src, 2 * MiB + 77, more)).toBe(512 << 10);
    expect(Buffer.from(more).equals(Buffer.from(bytes.subarray(2 * MiB + 77, 2 * MiB + 77 + (512 << 10))))).toBe(true);
    expect(streams()).toBe(1);
    await src.close();
  });

  it('concurrent scan reads take turns and each gets its own bytes', async () => {
    const src = open();
    const ranges = [0, 2 * MiB, MiB, 4 * MiB, 512 << 10];
    const outs = ranges.map(() => new Uint8Array(MiB));
    const got = await Promise.all(ranges.map((at, i) => readFully(src, at, outs[i])));
    ranges.forEach((at, i) => {
      expect(got[i]).toBe(Math.min(MiB, bytes.length - at));
      expect(Buffer.from(outs[i].subarray(0, got[i])).equals(Buffer.from(bytes.subarray(at, at + got[i])))).toBe(true);
    });
    await src.close();
  });

  it('reading again after close starts a new stream', async () => {
    const src = open();
    const a = new Uint8Array(MiB);
    await readFully(src, 100, a);
    await src.close();
    const b = new Uint8Array(MiB);
    expect(await readFully(src, 100, b)).toBe(MiB);
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    await src.close();
  });
});

/** A Blob whose first stream is a byte stream that stops answering BYOB reads after `stallAfter` bytes. */
function stallingBlob(bytes: Uint8Array, stallAfter: number): { blob: Blob; streams: () => number } {
  const real = new Blob([bytes as BlobPart]);
  let streams = 0;
  const wrap = (part: Blob): Blob => {
    const b = Object.create(part) as Blob;
    b.slice = (...a: Parameters<Blob['slice']>) => wrap(part.slice(...a));
    b.stream = (() => {
      if (streams++ > 0) return part.stream();
      let given = 0;
      return new ReadableStream({
        type: 'bytes',
        async pull(c) {
          const req = c.byobRequest!;
          if (given >= stallAfter) return new Promise<void>(() => undefined);
          const v = req.view!;
          const n = Math.min(v.byteLength, 4096, part.size - given);
          new Uint8Array(v.buffer, v.byteOffset, n).set(new Uint8Array(await part.slice(given, given + n).arrayBuffer()));
          given += n;
          req.respond(n);
        },
      }) as ReadableStream<Uint8Array>;
    }) as Blob['stream'];
    Object.defineProperty(b, 'size', { value: part.size });
    return b;
  };
  return { blob: wrap(real), streams: () => streams };
}

describe('StreamBlobSource when a BYOB read stalls', () => {
  it('abandons the stalled stream and goes on from the same offset with the default reader', async () => {
    const bytes = randomBytes(3 * MiB, rng(31));
    const { blob, streams } = stallingBlob(bytes, 300_000);
    const src = new StreamBlobSource(blob, 'f', null, { stallMs: 50 });
    // A scan's first read is a slice; the next one starts the stream that stalls.
    const first = new Uint8Array(256 << 10);
    expect(await readFully(src, 1000, first)).toBe(first.length);
    const dst = new Uint8Array(2 * MiB - first.length);
    expect(await readFully(src, 1000 + first.length, dst)).toBe(dst.length);
    expect(Buffer.from(first).equals(Buffer.from(bytes.subarray(1000, 1000 + first.length)))).toBe(true);
    expect(Buffer.from(dst).equals(Buffer.from(bytes.subarray(1000 + first.length, 1000 + 2 * MiB)))).toBe(true);
    expect(streams()).toBe(2);
    // Later reads keep to the default reader (no second stall wait).
    const more = new Uint8Array(MiB - 1000);
    const t0 = Date.now();
    expect(await readFully(src, 1000 + 2 * MiB, more)).toBe(MiB - 1000);
    expect(Date.now() - t0).toBeLessThan(50);
    expect(Buffer.from(more).equals(Buffer.from(bytes.subarray(1000 + 2 * MiB)))).toBe(true);
    await src.close();
  });
});

describe('browserOpener', () => {
  it('inspects the demo case exactly as Node file sources do (same report, same hashes)', async () => {
    const picked = pickedFrom(DEMO);
    const blobs = wireInputs(picked);
    const paths = picked.map((p) => ({ ref: { type: 'path' as const, path: path.join(DEMO, p.path) }, path: p.path }));
    const inBrowser = await inspectCase(blobs, browserOpener, new LocalRunner({ open: browserOpener, kernels: browserKernels(), sha256: browserSha256 }), { hash: true });
    const inNode = await inspectCase(paths, nodeOpener, new LocalRunner({ open: nodeOpener, kernels: nodeKernelLoader(), sha256: nodeSha256 }), { hash: true });
    const strip = (m: typeof inNode) => ({ ...verifyReport(m), elapsedMs: 0 });
    expect(inBrowser.files.map((f) => f.sha256)).toEqual(inNode.files.map((f) => f.sha256));
    expect(inBrowser.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256 ?? ''))).toBe(true);
    expect(JSON.stringify(strip(inBrowser))).toBe(JSON.stringify(strip(inNode)));
  });

  it('a keyed source closed by one job is reopened by the next with the same key and reads on from its stream', async () => {
    const bytes = randomBytes(10 * MiB, rng(31));
    const { blob, streams } = countingBlob(bytes);
    const ref = { type: 'blob' as const, blob, name: 'f', key: 'run1/0' };
    const same = (b: Uint8Array, at: number) => Buffer.from(b).equals(Buffer.from(bytes.subarray(at, at + b.length)));
    const buf = new Uint8Array(MiB);
    /** A job: two MiB read in turn from `at` (the first a slice, the second from a stream). */
    const job = async (src: Awaited<ReturnType<typeof browserOpener>>, at: number) => {
      for (const o of [at, at + MiB]) {
        expect(await readFully(src, o, buf)).toBe(MiB);
        expect(same(buf, o)).toBe(true);
      }
    };
    const a = await browserOpener(ref);
    await job(a, 0);
    expect(streams()).toBe(1);
    await a.close?.();
    await expect(a.readInto(2 * MiB, buf)).rejects.toThrow(/after close/);
    const b = await browserOpener(ref);
    expect(await readFully(b, 2 * MiB, buf)).toBe(MiB);
    expect(same(buf, 2 * MiB)).toBe(true);
    expect(streams()).toBe(1); // one stream for both jobs
    await b.close?.();
    // Another file's source takes the parking place: the first one's stream ends, and a new one starts.
    const other = await browserOpener({ type: 'blob', blob: new Blob([bytes as BlobPart]), name: 'g', key: 'run1/1' });
    await other.close?.();
    const c = await browserOpener(ref);
    await job(c, 3 * MiB);
    expect(streams()).toBe(2);
    await c.close?.();
    // A parked source ends its stream after a while.
    await new Promise((r) => setTimeout(r, 2200));
    const d = await browserOpener(ref);
    await job(d, 5 * MiB);
    expect(streams()).toBe(3);
    await d.close?.();
    // Without a key every open is its own source.
    const e = await browserOpener({ type: 'blob', blob, name: 'f' });
    await job(e, 7 * MiB);
    expect(streams()).toBe(4);
    await e.close?.();
  });

  it('gives in-memory bytes as they are and refuses paths', async () => {
    const src = await browserOpener({ type: 'bytes', name: 'x', bytes: new Uint8Array([1, 2, 3]) });
    const d = new Uint8Array(3);
    expect(await src.readInto(0, d)).toBe(3);
    expect([...d]).toEqual([1, 2, 3]);
    await expect(browserOpener({ type: 'path', path: '/etc/hosts' })).rejects.toThrow(/cannot open file paths/);
  });
});

describe('browserSha256', () => {
  const r = rng(21);
  const node = (parts: Uint8Array[]) => {
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    return h.digest('hex');
  };
  it.each([
    ['empty input', [0]],
    ['whole (under the limit)', [1, 63, 64, 65, 1000]],
    ['streaming (crosses the limit mid-way)', [40_000, 1, 70_000, 30_000]],
    ['streaming from the first update', [200_000, 5]],
  ])('%s equals node:crypto', async (_, sizes) => {
    const parts = sizes.map((n) => randomBytes(n, r));
    const h = await browserSha256({ wholeLimit: 100_000 });
    const buf = new Uint8Array(200_000);
    for (const p of parts) {
      // The caller reuses its buffer between updates (as sha256Job does): the hasher must have copied.
      buf.set(p);
      await h.update(buf.subarray(0, p.length));
      buf.fill(0xee);
    }
    expect(await h.digestHex()).toBe(node(parts));
  });

  it('NIST FIPS 180-4 example: SHA-256("abc")', async () => {
    for (const wholeLimit of [0, 1 << 20]) {
      const h = await browserSha256({ wholeLimit });
      await h.update(new TextEncoder().encode('abc'));
      expect(await h.digestHex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    }
  });
});
