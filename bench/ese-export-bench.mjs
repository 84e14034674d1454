// ESE export throughput: `palimpsest export` (the built CLI) against Debian's `esedbexport` on the largest ESE sample
// (Windows.edb, 16 MiB, 32 KiB pages), in the same run, alternating, 5 runs each; the median wall time of each
// whole process (start-up included on both sides). Needs `npm run build` and libesedb-utils.
// Used by the lead's bench/bench.mjs (`run({ log })` → rows); `node bench/ese-export-bench.mjs` prints the rows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SAMPLE = path.join(root, 'test', 'fixtures', 'ese-export', 'windows-search', 'Windows.edb.gz');
const RUNS = 5;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, stderr: r.stderr };
}

export async function run({ log = () => {} } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'palimpsest-ese-bench-'));
  try {
    const input = path.join(dir, 'Windows.edb');
    writeFileSync(input, gunzipSync(readFileSync(SAMPLE)));
    const size = statSync(input).size;
    const cliPath = path.join(root, 'bin', 'palimpsest.mjs');
    const ours = [];
    const theirs = [];
    let rows = null;
    for (let i = 0; i < RUNS; i++) {
      const out = path.join(dir, `out-${i}.sqlite`);
      const a = timed(process.execPath, [cliPath, 'export', input, '--out', out, '--json']);
      if (a.status !== 0) throw new Error(`palimpsest export exited ${a.status}: ${a.stderr}`);
      ours.push(a.ms);
      if (rows === null) {
        const r = spawnSync(process.execPath, [cliPath, 'export', input, '--out', out, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
        rows = JSON.parse(r.stdout).tables.reduce((n, t) => n + t.rows, 0);
      }
      const b = timed('esedbexport', ['-t', path.join(dir, `lib-${i}`), input]);
      if (b.status !== 0) throw new Error(`esedbexport exited ${b.status}: ${b.stderr}`);
      theirs.push(b.ms);
      log(`ese-export run ${i + 1}/${RUNS}: palimpsest ${a.ms.toFixed(0)} ms, esedbexport ${b.ms.toFixed(0)} ms`);
    }
    const mo = median(ours);
    const mt = median(theirs);
    const mb = size / (1 << 20);
    const note = `Windows.edb ${mb.toFixed(0)} MiB, 32 KiB pages, ${rows} rows; median of ${RUNS} alternating runs, whole process`;
    return [
      { name: 'ese export: palimpsest export', value: +(mb / (mo / 1000)).toFixed(1), unit: 'MiB/s', note: `${mo.toFixed(0)} ms; ${note}` },
      { name: 'ese export: esedbexport 20181229', value: +(mb / (mt / 1000)).toFixed(1), unit: 'MiB/s', note: `${mt.toFixed(0)} ms; same input, same run` },
      { name: 'ese export: speed-up over esedbexport', value: +(mt / mo).toFixed(2), unit: '×', note: 'median esedbexport time / median palimpsest time' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await run({ log: (s) => process.stderr.write(s + '\n') });
  for (const r of rows) process.stdout.write(`${r.name}: ${r.value} ${r.unit} (${r.note})\n`);
}
