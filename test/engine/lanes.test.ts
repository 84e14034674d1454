// Lanes of jobs (inspect.ts runLanes) and the pool's affinity: every item is checked exactly once whatever the
// timing; a lane's jobs are contiguous and each gets its predecessor's result; job sizes shrink from `chunk` to
// `minChunk` and starts stay aligned; a lane that runs out takes work from a slow one so both end together; a failing
// job stops the other lanes from starting new ones; and the pool sends a lane's jobs to the worker that ran its last.
import { describe, it, expect } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { runLanes, laneChunks } from '../../workers/engine/case/inspect';
import { WorkerPool } from '../../workers/pool/pool';
import { rng } from '../helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Call { first: number; count: number; affinity: string | undefined; prev: { first: number; count: number } | null }

async function lanesOf(total: number, opts: { lanes: number; chunk: number; minChunk: number; align?: number }, delay: (c: Call) => number) {
  const calls: Call[] = [];
  const out = await runLanes<{ first: number; count: number }>(total, { ...opts, key: 'f' }, async (first, count, affinity, prev) => {
    const c: Call = { first, count, affinity, prev };
    calls.push(c);
    await sleep(delay(c));
    return { first, count };
  });
  return { calls, out };
}

describe('runLanes', () => {
  it('covers every item exactly once, in contiguous lanes, for many sizes and timings', async () => {
    const r = rng(7);
    for (let t = 0; t < 60; t++) {
      const total = 1 + Math.floor(r() * 5000);
      const align = [1, 1, 4, 32][t % 4];
      const minChunk = 1 + Math.floor(r() * 40);
      const opts = { lanes: 1 + Math.floor(r() * 4), chunk: minChunk + Math.floor(r() * 400), minChunk, align };
      const { calls, out } = await lanesOf(total, opts, () => Math.floor(r() * 3));
      const seen = new Uint8Array(total + 1);
      for (const o of out) for (let i = o.first; i < o.first + o.count; i++) seen[i]++;
      expect(seen.subarray(1).every((x) => x === 1), JSON.stringify({ total, opts })).toBe(true);
      expect(out.map((o) => o.first)).toEqual([...out.map((o) => o.first)].sort((a, b) => a - b));
      for (const c of calls) {
        expect((c.first - 1) % align).toBe(0);
        if (c.prev) expect(c.prev.first + c.prev.count).toBe(c.first);
        // At most `chunk`, or a lane's last job with a remainder under minChunk folded in (both rounded to align).
        expect(c.count).toBeLessThan(Math.max(opts.chunk, align) + Math.max(minChunk, align) + align);
      }
      // A lane's jobs follow one another: a job lacks its predecessor's result only as the lane's first job or the
      // first after taking work elsewhere.
      const lanes = new Set(calls.map((c) => c.affinity));
      expect(lanes.size).toBeLessThanOrEqual(opts.lanes);
      for (const lane of lanes) {
        const mine = calls.filter((c) => c.affinity === lane);
        for (let i = 1; i < mine.length; i++) {
          const contiguous = mine[i - 1].first + mine[i - 1].count === mine[i].first;
          expect(mine[i].prev !== null).toBe(contiguous);
        }
      }
    }
  });

  it('jobs shrink towards the end of a lane, and few of them', async () => {
    const { calls } = await lanesOf(100_000, { lanes: 2, chunk: 20_000, minChunk: 500 }, () => 0);
    const lane0 = calls.filter((c) => c.affinity === 'f#0').map((c) => c.count);
    expect(lane0[0]).toBe(20_000);
    for (let i = 1; i < lane0.length - 1; i++) expect(lane0[i]).toBeLessThanOrEqual(lane0[i - 1]);
    expect(Math.min(...lane0.slice(0, -1))).toBeGreaterThanOrEqual(500);
    expect(calls.length).toBeLessThan(30);
  });

  it('a lane that runs out takes half of a slow lane\'s unstarted work, and both end together', async () => {
    const t0 = Date.now();
    const ends: Record<string, number> = {};
    const { calls } = await lanesOf(4000, { lanes: 2, chunk: 400, minChunk: 50 }, (c) => {
      // Lane 1 is four times slower per item.
      const ms = Math.ceil((c.count / 50) * (c.affinity === 'f#1' ? 8 : 2));
      const lane = c.affinity ?? '';
      ends[lane] = Math.max(ends[lane] ?? 0, Date.now() - t0 + ms);
      return ms;
    });
    // Lane 0 went on past its own half.
    expect(calls.some((c) => c.affinity === 'f#0' && c.first > 2000)).toBe(true);
    expect(calls.filter((c) => c.affinity === 'f#0' && !c.prev).length).toBeGreaterThan(1);
    // Both finish within about one small job of each other.
    expect(Math.abs(ends['f#0'] - ends['f#1'])).toBeLessThan(120);
  });

  it('a failing job stops the other lanes from starting new jobs', async () => {
    let started = 0;
    const run = runLanes(10_000, { lanes: 2, chunk: 100, minChunk: 100, key: 'f' }, async (first) => {
      started++;
      await sleep(2);
      if (first === 1) throw new Error('boom');
      return first;
    });
    await expect(run).rejects.toThrow('boom');
    await sleep(20);
    const after = started;
    await sleep(20);
    expect(started).toBe(after);
    expect(started).toBeLessThan(10);
  });

  it('queueAll: every job at once, about 4 per lane, no affinity and no prev', async () => {
    let running = 0;
    let most = 0;
    const calls: Call[] = [];
    const out = await runLanes<number>(10_000, { lanes: 3, chunk: 5000, minChunk: 10, key: 'f', queueAll: true }, async (first, count, affinity, prev) => {
      calls.push({ first, count, affinity, prev: prev as never });
      running++;
      most = Math.max(most, running);
      await sleep(2);
      running--;
      return first;
    });
    expect(calls.length).toBe(12);
    expect(most).toBe(12);
    expect(calls.every((c) => c.affinity === undefined && c.prev === null)).toBe(true);
    expect(out.reduce((a, o) => a + o.count, 0)).toBe(10_000);
    expect(out.map((o) => o.first)).toEqual(calls.map((c) => c.first).sort((a, b) => a - b));
  });

  it('laneChunks: the host\'s sizes, at least 1 MiB, smallest at most 1/64 of the input', () => {
    const browser = { maxBytes: 256 << 20, minBytes: 4 << 20 };
    expect(laneChunks(282_342, 4120, browser)).toEqual({ chunk: Math.floor((256 << 20) / 4120), minChunk: Math.ceil((4 << 20) / 4120), queueAll: false });
    expect(laneChunks(10, 4096, browser).minChunk).toBe(256);
    expect(laneChunks(32_768, 32_768, browser).minChunk * 32_768).toBe(4 << 20);
    expect(laneChunks(282_342, 4120, browser).queueAll).toBe(false);
    // No sizes from the host: all jobs queued at once, 1 to 64 MiB.
    expect(laneChunks(282_342, 4120)).toEqual({ chunk: Math.floor((64 << 20) / 4120), minChunk: Math.ceil((1 << 20) / 4120), queueAll: true });
  });
});

describe('pool affinity', () => {
  it('sends the jobs of one affinity to the worker that ran the last one', async () => {
    let ids = 0;
    const pool = new WorkerPool({
      size: 2,
      spawn: () => {
        const id = ++ids;
        const { port1, port2 } = new MessageChannel();
        Comlink.expose({ run: async (_n: string, a: { ms: number }) => (await sleep(a.ms), { ok: true, value: id }), ping: async () => 'pong' }, nodeEndpoint(port1));
        return { endpoint: nodeEndpoint(port2), terminate: () => { port1.close(); port2.close(); }, onDeath: () => undefined };
      },
    });
    try {
      const lane = async (affinity: string, ms: number) => {
        const seen: unknown[] = [];
        for (let i = 0; i < 8; i++) seen.push(await pool.run('sha256', { ms } as never, { affinity }));
        return seen;
      };
      const [a, b] = await Promise.all([lane('a', 3), lane('b', 5)]);
      expect(new Set(a).size).toBe(1);
      expect(new Set(b).size).toBe(1);
      expect(a[0]).not.toBe(b[0]);
    } finally {
      await pool.close();
    }
  });
});

describe('check progress', () => {
  it('a big file reports its checked bytes as its jobs finish, rising to the total', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { inspectCase } = await import('../../workers/engine/case/inspect');
    const { LocalRunner } = await import('../../workers/engine/runner');
    const { nodeOpener, nodeSha256, nodeKernelLoader } = await import('../../workers/hosts/node-io');
    const { FIXTURES } = await import('../helpers');
    await import('../../workers/engine/plugins');
    const wal = new Uint8Array(readFileSync(path.join(FIXTURES, 'sqlite/plaso/wal_database.db-wal')));
    const fs = 1024 + 24;
    const frames = new Uint8Array(wal.subarray(32, 32 + Math.floor((wal.length - 32) / fs) * fs));
    // ~8 MiB: the header, then the frames again and again (later copies are stale frames: fine for this).
    const copies = Math.ceil((8 << 20) / frames.length);
    const big = new Uint8Array(32 + frames.length * copies);
    big.set(wal.subarray(0, 32));
    for (let i = 0; i < copies; i++) big.set(frames, 32 + i * frames.length);
    const runner = new LocalRunner({ open: nodeOpener, kernels: nodeKernelLoader(), sha256: nodeSha256 });
    const seen: number[] = [];
    await inspectCase([{ ref: { type: 'bytes', bytes: big, name: 'big.db-wal' }, path: 'big.db-wal' }], nodeOpener, runner, {
      hash: false,
      onProgress: (e) => {
        if (e.phase === 'check') seen.push(e.done);
      },
    });
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    expect(seen.at(-1)).toBe(big.length);
    expect(seen[0]).toBeLessThan(big.length / 2);
  });
});
