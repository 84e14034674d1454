// Seeded mutation tests for the ESE side: truncated, zeroed, bit-flipped, overwritten, spliced and random copies of
// real ESE databases, logs, checkpoints and flush maps, plus "hostile headers" (fields overwritten and the header
// checksum recomputed, so the parsers trust them and go deeper). Each case runs the whole inspection (detect →
// header → page checksums → log segments → log sets → restore plan → report → eseutil text) in-process, alone or with
// intact companions of its folder. Each must end in issues or a typed error: no crash, no hang, no unbounded
// allocation.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { FIXTURES, rng, randomBytes } from '../helpers';
import '../../workers/engine/plugins';
import { LocalRunner } from '../../workers/engine/runner';
import { inspectCase } from '../../workers/engine/case/inspect';
import { verifyReport } from '../../workers/engine/report/report';
import { eseutilText } from '../../workers/engine/formats/ese/eseutil';
import { LOG_FILL } from '../../workers/engine/formats/ese/log-legacy';
import { shortChecksum } from '../../workers/engine/formats/ese/checksum';
import { isPalimpsestError } from '../../workers/engine/errors';
import type { Kernels } from '../../workers/engine/kernels/kernels';
import { fuzzEngine, type FuzzEngine } from './harness';
import type { CaseInput } from '../../workers/engine/case/model';

const E = path.join(FIXTURES, 'ese');
const load = (p: string) => {
  const b = readFileSync(path.join(E, p));
  return new Uint8Array(p.endsWith('.gz') ? gunzipSync(b) : b);
};
/** name (as the engine sees it), bytes, and where its header copies are (for hostile-header mutations). */
const seeds: Array<{ name: string; bytes: Uint8Array; headers: number[]; headerSize?: number }> = [
  { name: 'SRUDB.dat', bytes: load('srum-rathbun/SRUDB.dat'), headers: [0, 4096] },
  { name: 'SRU.log', bytes: load('srum-rathbun/SRU.log'), headers: [0] },
  { name: 'SRU00005.log', bytes: load('srum-rathbun/SRU00005.log'), headers: [0] },
  { name: 'SRU.chk', bytes: load('srum-rathbun/SRU.chk'), headers: [0, 4096] },
  { name: 'SRUDB.jfm', bytes: load('srum-rathbun/SRUDB.jfm'), headers: [] },
  { name: 'dissect.dat', bytes: load('dissect/SRUDB.dat'), headers: [0, 4096] },
  { name: 'decompress_test.edb', bytes: load('ese_parser/decompress_test.edb.gz'), headers: [0, 4096] },
  { name: 'temp.edb', bytes: load('ntds-temp/temp-head.edb.gz'), headers: [0, 4096] },
  // 16 KiB pages: the header copies are whole 16 KiB pages, checksummed over 16384 bytes.
  { name: 'qmgr.db', bytes: load('go-ese/qmgr.db.gz'), headers: [0, 16384], headerSize: 16384 },
  // Legacy (7.3704) logs: 512-byte sectors and a chain of LRCHECKSUM records.
  { name: 'edb.log', bytes: load('legacy-windows-mail/edb.log.gz'), headers: [0] },
  { name: 'edb00001.log', bytes: load('legacy-windows-mail/edb00001.log.gz'), headers: [0] },
];
const companions = seeds.filter((s) => ['SRUDB.dat', 'SRU.log', 'SRU00005.log', 'SRU.chk'].includes(s.name));

type Mutation = (b: Uint8Array, r: () => number, headers: number[], headerSize: number) => Uint8Array;
const pick = (r: () => number, n: number) => Math.floor(r() * n);
const mutations: Record<string, Mutation> = {
  truncate: (b, r) => b.slice(0, pick(r, b.length)),
  truncateHead: (b, r) => b.slice(0, pick(r, Math.min(b.length, 12288))),
  zeroRange: (b, r) => {
    const c = b.slice();
    const at = pick(r, c.length);
    c.fill(0, at, Math.min(c.length, at + 1 + pick(r, 40000)));
    return c;
  },
  bitFlips: (b, r) => {
    const c = b.slice();
    for (let i = 0, n = 1 + pick(r, 8); i < n && c.length; i++) c[pick(r, c.length)] ^= 1 << pick(r, 8);
    return c;
  },
  headerFlips: (b, r) => {
    // Inside the first 8 KiB: the header and its shadow, where a parser trusts the file most.
    const c = b.slice();
    for (let i = 0; i < 4 && c.length; i++) c[pick(r, Math.min(8192, c.length))] ^= 1 << pick(r, 8);
    return c;
  },
  hugeFields: (b, r) => {
    const c = b.slice();
    const dv = new DataView(c.buffer);
    for (let i = 0; i < 6 && c.length >= 8; i++) {
      const at = 4 * pick(r, Math.min(c.length, r() < 0.5 ? 4096 : c.length) / 4 - 1);
      dv.setUint32(at, [0xffffffff, 0x80000000, 0x7fffffff, 0][pick(r, 4)], true);
    }
    return c;
  },
  hostileHeader: (b, r, headers, size) => {
    // Random fields of the header overwritten (counts, sizes, generations, attachment lists), checksum made valid.
    const c = b.slice();
    const dv = new DataView(c.buffer);
    for (const h of headers) {
      if (h + size > c.length) continue;
      for (let i = 0, n = 1 + pick(r, 6); i < n; i++) {
        const at = h + 4 + 4 * pick(r, 1022);
        dv.setUint32(at, r() < 0.5 ? [0xffffffff, 0x80000000, 0xffff, 65536, 1 << 20][pick(r, 5)] : (r() * 2 ** 32) >>> 0, true);
      }
      dv.setUint32(h, shortChecksum(c, h, size), true);
    }
    return c;
  },
  overwritePage: (b, r) => {
    const c = b.slice();
    const page = 4096 * pick(r, Math.max(1, c.length / 4096));
    c.set(randomBytes(Math.min(4096, Math.max(0, c.length - page)), r), page);
    return c;
  },
  splice: (b, r) => {
    const other = seeds[pick(r, seeds.length)].bytes;
    const at = pick(r, b.length);
    const c = new Uint8Array(at + Math.max(0, other.length - at));
    c.set(b.subarray(0, at));
    c.set(other.subarray(Math.min(at, other.length)), at);
    return c;
  },
  random: (b, r) => randomBytes(pick(r, Math.max(64, Math.min(b.length, 65536))), r),
  fillTail: (b, r) => {
    // A torn write as a log shows it: from some sector on, ESE's fill pattern where data was (or was to be).
    const c = b.slice();
    for (let i = 512 * pick(r, Math.max(1, c.length / 512)); i < c.length; i++) c[i] = LOG_FILL[i & 511];
    return c;
  },
  fillRange: (b, r) => {
    const c = b.slice();
    const at = pick(r, c.length);
    for (let i = at; i < Math.min(c.length, at + 1 + pick(r, 8192)); i++) c[i] = LOG_FILL[i & 511];
    return c;
  },
};

describe('mutated ESE inputs never crash, hang or blow memory', () => {
  let kernels: Kernels;
  let runner: LocalRunner;
  let open: FuzzEngine['open'];
  beforeAll(async () => {
    ({ kernels, runner, open } = await fuzzEngine());
  });

  const names = Object.keys(mutations);
  const ROUNDS = Number(process.env.FUZZ_ROUNDS_ESE ?? 3000);
  it(`${ROUNDS} seeded mutation cases (all mutation kinds × all seed files, alone and with their folder's companions)`, async () => {
    const r = rng(Number(process.env.FUZZ_SEED ?? 20261122));
    let typedErrors = 0;
    let issuesSeen = 0;
    let eseFacts = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const seed = seeds[i % seeds.length];
      const mname = names[Math.floor(i / seeds.length) % names.length];
      const bytes = mutations[mname](seed.bytes, r, seed.headers, seed.headerSize ?? 4096);
      const inputs: CaseInput[] = [{ path: `case/${seed.name}`, ref: { type: 'bytes', name: seed.name, bytes } }];
      // Half the cases keep intact companions, so log sets, checkpoints and restore plans meet the damaged file.
      if (i % 2 === 0) {
        for (const c of companions) {
          if (c.name !== seed.name) inputs.push({ path: `case/${c.name}`, ref: { type: 'bytes', name: c.name, bytes: c.bytes } });
        }
      }
      const t0 = performance.now();
      try {
        const model = await inspectCase(inputs, open, runner, { hash: false });
        const rep = verifyReport(model);
        const text = eseutilText(rep);
        expect(typeof text).toBe('string');
        JSON.stringify(rep);
        issuesSeen += rep.counts.errors + rep.counts.warnings + rep.counts.infos;
        for (const f of rep.files as Array<{ kind: string; ese?: unknown; issues: Array<{ code: string; severity: string; offset: number | null }> }>) {
          if (f.ese) eseFacts++;
          for (const is of f.issues) {
            expect(typeof is.code).toBe('string');
            expect(['error', 'warning', 'info']).toContain(is.severity);
            expect(is.offset === null || Number.isSafeInteger(is.offset)).toBe(true);
          }
        }
      } catch (e) {
        if (!isPalimpsestError(e)) throw new Error(`case ${i} (${mname} of ${seed.name}) threw an untyped error: ${(e as Error).stack}`);
        typedErrors++;
      }
      const dt = performance.now() - t0;
      expect(dt, `case ${i} (${mname} of ${seed.name}) took ${dt.toFixed(0)} ms`).toBeLessThan(5000);
      expect(kernels.memoryBytes).toBeLessThan(64 << 20);
    }
    expect(issuesSeen).toBeGreaterThan(ROUNDS);
    expect(eseFacts).toBeGreaterThan(ROUNDS / 2);
    expect(typedErrors).toBeLessThan(ROUNDS / 10);
  }, 600_000);
});
