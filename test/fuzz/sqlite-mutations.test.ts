// Seeded mutation tests: truncated, zeroed, bit-flipped, spliced and random copies of real SQLite files go through
// the whole engine (detect → parse → verify → plan → rebuild). Each must end in issues or a typed error: no crash,
// no hang, no unbounded allocation. Jobs run in-process (LocalRunner) so thousands of cases fit in seconds; the
// job code is the same the workers run.
import { createHash } from 'node:crypto';
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, rng, randomBytes } from '../helpers';
import { LocalRunner } from '../../workers/engine/runner';
import { inspectCase } from '../../workers/engine/case/inspect';
import { verifyReport, timelineReport } from '../../workers/engine/report/report';
import { writeImage } from '../../workers/engine/rebuild/rebuild';
import { isPalimpsestError } from '../../workers/engine/errors';
import type { Kernels } from '../../workers/engine/kernels/kernels';
import { fuzzEngine, type FuzzEngine } from './harness';
import type { CaseInput } from '../../workers/engine/case/model';

const S = path.join(FIXTURES, 'sqlite');
const seeds: Array<{ name: string; bytes: Uint8Array }> = [
  ['mailbox.db', 'plaso/wal_database.db'],
  ['mailbox.db-wal', 'plaso/wal_database.db-wal'],
  ['chinook.sqlite-journal', 'dc3-chinook/chinook.sqlite-journal'],
  ['mailbox.db_0000000000000002.wal', 'litestream/wal-reader/frame-salts/wal'],
  ['mailbox.db_01-03_13-00-29_0000000000000001.snapshot', 'litestream/wal-writer-live/db'],
  ['version.sqlite', 'dc3-version-history/version_history_test.sqlite'],
  ['version.sqlite-wal', 'dc3-version-history/version_history_test.sqlite-wal'],
].map(([name, p]) => ({ name, bytes: new Uint8Array(readFileSync(path.join(S, p))) }));

type Mutation = (b: Uint8Array, r: () => number) => Uint8Array;
const mutations: Record<string, Mutation> = {
  truncate: (b, r) => b.slice(0, Math.floor(r() * b.length)),
  zeroRange: (b, r) => {
    const c = b.slice();
    const at = Math.floor(r() * c.length);
    c.fill(0, at, Math.min(c.length, at + 1 + Math.floor(r() * 4096)));
    return c;
  },
  bitFlips: (b, r) => {
    const c = b.slice();
    const n = 1 + Math.floor(r() * 8);
    for (let i = 0; i < n && c.length; i++) c[Math.floor(r() * c.length)] ^= 1 << Math.floor(r() * 8);
    return c;
  },
  headerFlips: (b, r) => {
    // Flips inside the first 128 bytes: headers, counts, sizes — where a parser trusts the file most.
    const c = b.slice();
    for (let i = 0; i < 3 && c.length; i++) c[Math.floor(r() * Math.min(128, c.length))] ^= 1 << Math.floor(r() * 8);
    return c;
  },
  hugeFields: (b, r) => {
    // Writes 0xFFFFFFFF / 0x80000000 over random aligned words (lengths, counts, page numbers).
    const c = b.slice();
    const dv = new DataView(c.buffer);
    for (let i = 0; i < 4 && c.length >= 4; i++) dv.setUint32(4 * Math.floor(r() * (c.length / 4 - 1)), r() < 0.5 ? 0xffffffff : 0x80000000);
    return c;
  },
  splice: (b, r) => {
    const other = seeds[Math.floor(r() * seeds.length)].bytes;
    const at = Math.floor(r() * b.length);
    const c = new Uint8Array(at + (other.length - Math.min(at, other.length)));
    c.set(b.subarray(0, at));
    c.set(other.subarray(Math.min(at, other.length)), at);
    return c;
  },
  random: (b, r) => randomBytes(Math.floor(r() * Math.max(64, b.length)), r),
};

describe('mutated SQLite inputs never crash, hang or blow memory', () => {
  let kernels: Kernels;
  let runner: LocalRunner;
  let open: FuzzEngine['open'];
  beforeAll(async () => {
    ({ kernels, runner, open } = await fuzzEngine());
  });

  const names = Object.keys(mutations);
  // FUZZ_ROUNDS / FUZZ_SEED widen or vary a run by hand; the suite uses the fixed values.
  const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 12000);
  it(`${ROUNDS} seeded mutation cases (all mutation kinds × all seed files, alone and with their companions)`, async () => {
    const r = rng(Number(process.env.FUZZ_SEED ?? 20261121));
    let typedErrors = 0;
    let issuesSeen = 0;
    let slowest = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const seed = seeds[i % seeds.length];
      const mname = names[Math.floor(i / seeds.length) % names.length];
      const bytes = mutations[mname](seed.bytes, r);
      const inputs: CaseInput[] = [{ path: seed.name, ref: { type: 'bytes', name: seed.name, bytes } }];
      // Half the cases keep an intact companion file so cross-file logic (families, plans, journals) runs too.
      if (i % 2 === 0) {
        const comp = seeds[(i + 1) % seeds.length];
        inputs.push({ path: comp.name, ref: { type: 'bytes', name: comp.name, bytes: comp.bytes } });
      }
      const t0 = performance.now();
      // FUZZ_DUMP=i writes case i's mutated bytes to /tmp for a failure found by hand (never set in the suite).
      if (process.env.FUZZ_DUMP && Number(process.env.FUZZ_DUMP) === i) {
        (await import('node:fs')).writeFileSync(`/tmp/fuzz-${i}-${seed.name}`, bytes);
        return;
      }
      try {
        const model = await inspectCase(inputs, open, runner, { hash: i % 7 === 0 });
        const rep = verifyReport(model);
        timelineReport(model);
        JSON.stringify(rep);
        issuesSeen += rep.counts.errors + rep.counts.warnings + rep.counts.infos;
        for (const fam of model.families) {
          if (!fam.plan || fam.plan.dbSize <= 0 || fam.plan.dbSize * fam.plan.pageSize > 64 << 20) continue;
          let total = 0;
          const a = createHash('sha256');
          await writeImage(model, fam, fam.plan, open, { write: async (b) => void ((total += b.length), a.update(b)) });
          expect(total).toBe(fam.plan.dbSize * fam.plan.pageSize);
          // Read in file order a window at a time (the web app's way): the same bytes as page by page.
          const w = createHash('sha256');
          await writeImage(model, fam, fam.plan, open, { write: async (b) => void w.update(b) }, { windowBytes: 64 << 20 });
          expect(w.digest('hex'), `case ${i}: windowed rebuild`).toBe(a.digest('hex'));
        }
      } catch (e) {
        if (!isPalimpsestError(e)) throw new Error(`case ${i} (${mname} of ${seed.name}) threw an untyped error: ${(e as Error).stack}`);
        typedErrors++;
      }
      const dt = performance.now() - t0;
      slowest = Math.max(slowest, dt);
      expect(dt, `case ${i} (${mname} of ${seed.name}) took ${dt.toFixed(0)} ms`).toBeLessThan(5000);
      // Kernel memory stays bounded (inputs here are < 1 MiB; scratch never needs more than a few chunks).
      expect(kernels.memoryBytes).toBeLessThan(64 << 20);
    }
    expect(issuesSeen).toBeGreaterThan(ROUNDS);
    expect(typedErrors).toBeLessThan(ROUNDS / 10);
  }, 600_000);
});
