// ESE page-checksum throughput through the CLI (`palimpsest verify --workers 2`), on a database of at least 1 GiB
// assembled honestly in a temp folder: the real header pages of the Windows Search database fixture (32 KiB pages),
// then its real initialised pages repeated, each re-stamped with its new page number (PGHDR2.pgno @64) and with
// checksums recomputed by the engine's own ECC kernel (blocks 1-3 first, then block 0, as SetPageChecksum does).
//
// Exports run({ log }) → rows { name, value, unit, note }; `node bench/ese-bench.mjs` prints them. Needs `npm run build`.
import { readFileSync, openSync, writeSync, closeSync, fsyncSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir, availableParallelism } from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PAGE = 32768;
const TARGET_BYTES = 1 << 30;

async function loadKernel() {
  const bytes = readFileSync(path.join(ROOT, 'build', 'kernels.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  return instance.exports;
}

/**
 * The real initialised 32 KiB pages of the Windows Search fixture, and a stamper that writes one of them as page
 * `pgno` (PGHDR2.pgno @64, checksums recomputed by the engine's own ECC kernel: blocks 1-3 first, then block 0, as
 * SetPageChecksum does). Returns { header (the fixture's two header pages), real, stamp }.
 */
export async function realPageStamper() {
  const src = gunzipSync(readFileSync(path.join(ROOT, 'test', 'fixtures', 'ese', 'windows-search', 'Windows.edb.gz')));
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if ((dv.getUint32(236, true) || 4096) !== PAGE) throw new Error('fixture is not a 32 KiB-page database');
  const real = [];
  for (let k = 2; k < src.length / PAGE; k++) {
    const pg = src.subarray(k * PAGE, (k + 1) * PAGE);
    if (pg.some((x) => x !== 0) && (dv.getUint32(k * PAGE + 36, true) & 0x2000)) real.push(pg);
  }
  const k = await loadKernel();
  const base = (k.scratchBase() + 15) & ~15;
  const need = base + PAGE + 64;
  if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
  const mem = () => new Uint8Array(k.memory.buffer);
  const out = base + PAGE;
  const u32 = (o) => new DataView(k.memory.buffer).getUint32(o, true);
  const stamp = (page, pgno) => {
    mem().set(page, base);
    const v = new DataView(k.memory.buffer);
    v.setUint32(base + 64, pgno, true);
    for (let b = 1; b < 4; b++) {
      k.eseEccChecksum(base + b * 8192, 8192, pgno, 0, out);
      v.setUint32(base + 32 + 8 * b, u32(out), true);
      v.setUint32(base + 32 + 8 * b + 4, u32(out + 4), true);
    }
    k.eseEccChecksum(base, 8192, pgno, 1, out);
    v.setUint32(base, u32(out), true);
    v.setUint32(base + 4, u32(out + 4), true);
    return mem().subarray(base, base + PAGE);
  };
  return { header: src.subarray(0, 2 * PAGE), real, stamp };
}

/** Assembles the database; returns its path, size and page count. */
export async function assemble(dir, log) {
  const { header, real, stamp } = await realPageStamper();
  const pages = Math.ceil(TARGET_BYTES / PAGE);
  const file = path.join(dir, 'assembled.edb');
  const fd = openSync(file, 'w');
  const chunk = new Uint8Array(PAGE * 2048);
  let fill = 0;
  chunk.set(header);
  fill = 2 * PAGE;
  for (let pgno = 1; pgno <= pages; pgno++) {
    chunk.set(stamp(real[(pgno - 1) % real.length], pgno), fill);
    fill += PAGE;
    if (fill === chunk.length) { writeSync(fd, chunk, 0, fill); fill = 0; }
  }
  if (fill) writeSync(fd, chunk, 0, fill);
  // Wait for write-back, so that it does not compete with the timed runs.
  fsyncSync(fd);
  closeSync(fd);
  const size = statSync(file).size;
  log?.(`ese-bench: assembled ${file}: ${pages + 2} pages of ${PAGE} bytes (${(size / 2 ** 30).toFixed(2)} GiB) from ${real.length} real pages`);
  return { file, size, pages: pages + 2 };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run({ log, rounds = 5 } = {}) {
  const RUNS = Math.max(1, rounds);
  const dir = mkdtempSync(path.join(tmpdir(), 'palimpsest-ese-bench-'));
  try {
    const db = await assemble(dir, log);
    const walls = [];
    const engines = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'palimpsest.mjs'), 'verify', db.file, '--json', '--no-hash', '--workers', '2'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r.status !== 0) throw new Error(`verify exited ${r.status}: ${r.stderr.slice(0, 500)}`);
      const j = JSON.parse(r.stdout);
      const p = j.files[0].ese.pages;
      if (p.seen !== db.pages || p.bad !== 0 || p.uninitialized !== 0) throw new Error(`unexpected page counts ${JSON.stringify({ seen: p.seen, bad: p.bad, uninit: p.uninitialized })}`);
      // The first run only warms the page cache.
      if (i > 0) { walls.push(wall); engines.push(j.elapsedMs / 1000); }
      log?.(`ese-bench: run ${i}: ${wall.toFixed(3)} s wall, ${(j.elapsedMs / 1000).toFixed(3)} s in the engine${i === 0 ? ' (warm-up)' : ''}`);
    }
    const gb = db.size / 1e9;
    const wall = median(walls);
    const engine = median(engines);
    const note = `${(db.size / 2 ** 30).toFixed(2)} GiB assembled from real 32 KiB pages, warm page cache, median of ${RUNS}; the CLI main thread takes jobs too; ${availableParallelism()} CPU(s); target ≥ 2 GB/s`;
    return [
      { name: 'ESE page checksums, CLI verify --workers 2 (wall clock incl. start-up)', value: +(gb / wall).toFixed(2), unit: 'GB/s', note },
      { name: 'ESE page checksums, CLI verify --workers 2 (engine time)', value: +(gb / engine).toFixed(2), unit: 'GB/s', note },
      { name: 'ESE page checksums: Microsoft eseutil /k (Dell BP1013)', value: 0.225, unit: 'GB/s', note: 'published figure, for comparison' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await run({ log: (s) => console.error(s) });
  for (const r of rows) console.log(`${r.name}: ${r.value} ${r.unit} (${r.note})`);
}
