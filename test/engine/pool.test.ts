// The worker pool with real worker_threads running the built worker (dist/node/node-worker.mjs): jobs run in
// parallel, a cancelled job stops its worker and fails alone, a worker that dies fails only its own job, and the
// pool keeps serving afterwards. Results come back whole (typed arrays transferred, not re-wrapped views).
import { describe, it, expect, afterEach } from 'vitest';
import { Worker } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { WorkerPool } from '../../workers/pool/pool';
import { createNodePool, nodeWorkerScript } from '../../workers/hosts/node-pool';
import { FIXTURES, tempDir, rng, randomBytes } from '../helpers';

const WAL = path.join(FIXTURES, 'sqlite/plaso/wal_database.db-wal');
let pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.map((p) => p.close()));
  pools = [];
});

/** A pool whose workers can be killed from the outside, like an out-of-memory crash would. */
function killablePool(size: number) {
  const workers: Worker[] = [];
  const pool = new WorkerPool({
    size,
    spawn: () => {
      const w = new Worker(nodeWorkerScript());
      workers.push(w);
      const deaths: Array<(r: string) => void> = [];
      w.on('exit', (c) => deaths.forEach((d) => d(`exit ${c}`)));
      w.on('error', (e) => deaths.forEach((d) => d(String(e))));
      return { endpoint: nodeEndpoint(w), terminate: () => void w.terminate(), onDeath: (cb) => deaths.push(cb) };
    },
  });
  pools.push(pool);
  return { pool, workers };
}

describe('worker pool (worker_threads)', () => {
  it('runs jobs in parallel workers and returns whole typed arrays', async () => {
    const pool = createNodePool(2);
    pools.push(pool);
    const results = await Promise.all([1, 2, 3, 4].map(() => pool.run('walFrames', { ref: { type: 'path', path: WAL }, pageSize: 1024, bigEndian: false, first: 2, count: 8, seed: null })));
    for (const r of results) {
      expect(r.hdr).toBeInstanceOf(Uint32Array);
      expect(r.hdr.byteLength).toBe(r.hdr.buffer.byteLength);
      expect([...r.ok]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    }
    expect(pool.size).toBe(2);
  });

  it('typed errors survive the boundary with their code', async () => {
    const pool = createNodePool(1);
    pools.push(pool);
    await expect(pool.run('walFrames', { ref: { type: 'path', path: '/nonexistent/file' }, pageSize: 1024, bigEndian: false, first: 1, count: 1, seed: [0, 0] }))
      .rejects.toMatchObject({ name: 'PalimpsestError', code: 'io' });
    // The worker is still usable.
    const r = await pool.run('sha256', { ref: { type: 'path', path: WAL } });
    expect(r.sha256).toBe('1d886ad3f5993bc307872349d80f626059e8bbc954d14382768444775992b1f9');
  });

  it('cancelling a job terminates its worker, fails only that job, and the pool goes on', async () => {
    const t = tempDir();
    try {
      const big = path.join(t.dir, 'big.bin');
      writeFileSync(big, randomBytes(64 << 20, rng(9)));
      const pool = createNodePool(1);
      pools.push(pool);
      const ac = new AbortController();
      const slow = pool.run('sha256', { ref: { type: 'path', path: big }, chunkBytes: 64 << 10 }, { signal: ac.signal });
      setTimeout(() => ac.abort(), 20);
      await expect(slow).rejects.toMatchObject({ code: 'cancelled' });
      const r = await pool.run('sha256', { ref: { type: 'path', path: WAL } });
      expect(r.bytes).toBe(9464);
    } finally {
      t.cleanup();
    }
  });

  it('a worker that dies fails only its own job; queued jobs run on a replacement', async () => {
    const t = tempDir();
    try {
      const big = path.join(t.dir, 'big.bin');
      const bytes = randomBytes(48 << 20, rng(10));
      writeFileSync(big, bytes);
      const { pool, workers } = killablePool(1);
      const doomed = pool.run('sha256', { ref: { type: 'path', path: big }, chunkBytes: 64 << 10 });
      const queued = pool.run('sha256', { ref: { type: 'path', path: big } });
      await new Promise((r) => setTimeout(r, 30));
      await workers[0].terminate();
      await expect(doomed).rejects.toMatchObject({ code: 'worker-crashed' });
      const r = await queued;
      expect(r.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(workers.length).toBe(2);
    } finally {
      t.cleanup();
    }
  });

  it('a closed pool refuses new work', async () => {
    const pool = createNodePool(1);
    await pool.close();
    await expect(pool.run('sha256', { ref: { type: 'path', path: WAL } })).rejects.toMatchObject({ code: 'usage' });
  });
});
