// Kernel throughput on one core, in memory (a bench/*-bench.mjs module; `npm run bench -- --only kernel`, or
// `node bench/kernel-bench.mjs`): the WAL frame check (4 KiB pages, pseudo-random frames) and the ESE page check (real
// 32 KiB pages re-stamped so that all verify), SIMD and scalar builds, on 32 MiB already in WebAssembly memory — no
// I/O, no copies. This is the ceiling the verify paths
// are measured against: when the kernel runs near memory speed, the rest of a verify's time is moving bytes.
// Exports run({ log }) → rows { name, value, unit, note }. Needs `npm run build` (build/kernels*.wasm).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { realPageStamper } from './ese-bench.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BYTES = 32 << 20;
const REPS = 15;

function instantiate(file) {
  const mod = new WebAssembly.Module(readFileSync(path.join(ROOT, 'build', file)));
  return new WebAssembly.Instance(mod, {}).exports;
}

/** Best of REPS runs of fn over `bytes` bytes, in GB/s. */
function best(bytes, fn) {
  let min = Infinity;
  for (let r = 0; r < REPS; r++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return bytes / (min / 1000) / 1e9;
}

/** Room for `bytes` of input plus `extra` at the kernel's scratch base; pseudo-random input. Returns the base. */
function prepare(e, bytes, extra) {
  const base = e.scratchBase();
  const need = base + bytes + extra + 64;
  const have = e.memory.buffer.byteLength;
  if (need > have) e.memory.grow(Math.ceil((need - have) / 65536));
  const u32 = new Uint32Array(e.memory.buffer, base, bytes >>> 2);
  let x = 0x9e3779b9;
  for (let i = 0; i < u32.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    u32[i] = x >>> 0;
  }
  return base;
}

export async function run({ log = () => {} } = {}) {
  const rows = [];
  const stamper = await realPageStamper();
  for (const [file, label] of [['kernels-simd.wasm', 'SIMD'], ['kernels.wasm', 'scalar']]) {
    const e = instantiate(file);
    const ps = 4096, fs = ps + 24, n = Math.floor(BYTES / fs);
    let base = prepare(e, n * fs, n * 25 + 8);
    const out = base + n * fs, hdr = (out + n + 3) & ~3;
    const wal = best(n * fs, () => e.walFrameCheck(base, n, ps, 0, 1, 2, out, hdr));
    rows.push({ name: `Kernel: WAL frame check, ${label}, one core`, value: wal, unit: 'GB/s', note: `${n} frames of 4 KiB pages in WebAssembly memory, best of ${REPS}` });
    log(`kernel-bench: ${label} WAL ${wal.toFixed(2)} GB/s`);
    // ESE: real pages of the Windows Search fixture, re-stamped as pages 1..n, so every page verifies (the common
    // case; a failing page also runs the single-bit correction search).
    const eps = 32768, np = Math.floor(BYTES / eps);
    base = prepare(e, np * eps, np * 8 + 8);
    const mem = new Uint8Array(e.memory.buffer);
    for (let i = 0; i < np; i++) mem.set(stamper.stamp(stamper.real[i % stamper.real.length], i + 1), base + i * eps);
    const good = e.esePageCheck(base, np, eps, 1, base + np * eps);
    if (good !== np) throw new Error(`kernel-bench: ${np - good} of ${np} stamped ESE pages fail`);
    const ese = best(np * eps, () => e.esePageCheck(base, np, eps, 1, base + np * eps));
    rows.push({ name: `Kernel: ESE page check, ${label}, one core`, value: ese, unit: 'GB/s', note: `${np} real 32 KiB pages (all verify) in WebAssembly memory, best of ${REPS}` });
    log(`kernel-bench: ${label} ESE ${ese.toFixed(2)} GB/s`);
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run({ log: console.error })) console.log(`| ${r.name} | ${r.value.toFixed(2)} ${r.unit} | ${r.note} |`);
}
