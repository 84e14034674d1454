// The lanes path (the browser's: few long jobs per worker, stealing, a WAL job seeded by its lane's previous job)
// against the queue-all path (Node's), on the real SQLite and ESE fixtures and the demo case: the verify report is
// the same, field for field. The runner here takes tiny lane jobs (2 to 8 KiB; ESE jobs stay on whole 1 MiB pieces) so every file is cut into many
// jobs, lanes run out at different times and take work from each other.
import { describe, it, expect } from 'vitest';
import { readdirSync, statSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { inspectCase } from '../../workers/engine/case/inspect';
import { verifyReport } from '../../workers/engine/report/report';
import { LocalRunner, type JobRunner } from '../../workers/engine/runner';
import { nodeOpener, nodeSha256, nodeKernelLoader } from '../../workers/hosts/node-io';
import { FIXTURES } from '../helpers';
import '../../workers/engine/plugins';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  }).filter((p) => !/\.(md|txt|json|csv|py)$/i.test(p));
}

const local = new LocalRunner({ open: nodeOpener, kernels: nodeKernelLoader(), sha256: nodeSha256 });
/** Three "workers" over one in-process runner, asking for lanes of tiny jobs; jobs finish in a shuffled order. */
function laneRunner(): JobRunner & { jobs: number } {
  let n = 0;
  const r = {
    concurrency: 3,
    laneJobs: { maxBytes: 8 << 10, minBytes: 2 << 10 },
    jobs: 0,
    run: ((name, args, opts) =>
      local.run(name, args, opts).then(async (v) => {
        r.jobs++;
        await new Promise((ok) => setTimeout(ok, (n++ * 7) % 5));
        return v;
      })) as JobRunner['run'],
  };
  return r;
}

const cases = [
  ...['dc3-chinook', 'plaso', 'dc3-version-history', 'litestream/wal-writer-static', 'litestream/wal-writer-live'].map((d) => path.join(FIXTURES, 'sqlite', d)),
  path.join(FIXTURES, 'demo'),
  ...['windows-search', 'srum-rathbun', 'libesedb', 'dissect', 'ntds-temp', 'ese_parser'].map((d) => path.join(FIXTURES, 'ese', d)),
];

describe('lanes against queue-all on real files', () => {
  it.each(cases)('%s', async (dir) => {
    // Gzipped fixtures (the ESE samples) are given as bytes.
    const inputs = filesUnder(dir).map((p) =>
      p.endsWith('.gz')
        ? { ref: { type: 'bytes' as const, bytes: new Uint8Array(gunzipSync(readFileSync(p))), name: path.basename(p, '.gz') }, path: path.relative(dir, p).slice(0, -3) }
        : { ref: { type: 'path' as const, path: p }, path: path.relative(dir, p) },
    );
    const plain = verifyReport(await inspectCase(inputs, nodeOpener, local, { hash: false }));
    const lanes = laneRunner();
    const laned = verifyReport(await inspectCase(inputs, nodeOpener, lanes, { hash: false }));
    const strip = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'elapsedMs' ? undefined : v)));
    expect(strip(laned)).toEqual(strip(plain));
    // The larger cases are cut into many jobs (the small ones have a file or two of a few pages).
    if (/chinook|demo|windows-search|srum/.test(dir)) expect(lanes.jobs).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
