// npm run bench — Palimpsest against the native tools, measured in the same run, alternating, on generated data.
//
//   node bench/bench.mjs [--size-mb 1100] [--rounds 5] [--quick] [--only sqlite|dbpages|ese|ese-export|kernel|web|web-ese|web-pagemap]
//
// SQLite (issue 2): a WAL of at least 1 GB written by real SQLite (test/generators/make_big_wal.py), then
//   native verify  = sqlite3 -readonly on db + wal with no -shm, `pragma schema_version` (reads and checks every frame)
//   ours verify    = palimpsest verify --no-hash (structural check), and with hashing (the default) separately
//   native rebuild = `pragma wal_checkpoint(TRUNCATE)` on a fresh copy
//   ours rebuild   = palimpsest rebuild --no-check (writing the image; the integrity check is extra work sqlite3 skips)
//   peak memory of verify on a 1 GB and a 2 GB WAL (flat in file size)
// Other families add rows through bench/*-bench.mjs modules exporting run({ log }) → rows.
// Prints a markdown table (also written to bench/RESULTS.md). Not a test: numbers depend on the machine.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, copyFileSync, linkSync, readFileSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const flag = (name) => args.includes(`--${name}`);
const SIZE_MB = Number(opt('size-mb', 1100));
const ROUNDS = Number(opt('rounds', 5));
const ONLY = opt('only', null);
const QUICK = flag('quick');
const cache = path.join(root, '.cache', 'bench');
const log = (...a) => console.error('[bench]', ...a);
mkdirSync(cache, { recursive: true });

function time(cmd, argv, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { s, r };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const gbps = (bytes, s) => bytes / s / 1e9;
const cli = path.join(root, 'bin', 'palimpsest.mjs');
// NODE_EXTRA_CA_CERTS makes every Node process parse that certificate bundle before running any code (about 60 ms
// on the bench machine, whose sandbox sets it); the CLI never opens a TLS connection. Palimpsest is timed without
// it; when it is set, verify is also timed with it, in the same rounds, and reported on its own row.
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
const nodeEnv = { ...process.env };
delete nodeEnv.NODE_EXTRA_CA_CERTS;
const hasGnuTime = existsSync('/usr/bin/time');

/** Peak RSS (KiB) of a command, from GNU time. */
function peakRss(cmd, argv) {
  if (!hasGnuTime) return null;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const m = /(\d+)\s*$/.exec(r.stderr.trim());
  return m ? Number(m[1]) : null;
}

function ensureWal(sizeMb) {
  const dir = path.join(cache, `wal-${sizeMb}mb`);
  const wal = path.join(dir, 'mailbox.db-wal');
  if (existsSync(wal) && statSync(wal).size >= sizeMb * 1024 * 1024) return dir;
  rmSync(dir, { recursive: true, force: true });
  log(`generating a ${sizeMb} MB WAL with real SQLite (once; cached in ${path.relative(root, dir)})`);
  const r = spawnSync('python3', [path.join(root, 'test', 'generators', 'make_big_wal.py'), '--out', dir, '--size-mb', String(sizeMb)], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('make_big_wal.py failed');
  return dir;
}

function machine() {
  const c = cpus();
  const sq = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' }).stdout.split(' ')[0];
  return `${c[0]?.model ?? 'cpu'} × ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, sqlite3 ${sq}, ${process.platform}/${process.arch}`;
}

const rows = [];
const row = (name, value, unit, note = '') => {
  rows.push({ name, value, unit, note });
  log(`${name}: ${typeof value === 'number' ? value.toFixed(3) : value} ${unit} ${note}`);
};

async function sqliteBench() {
  const dir = ensureWal(SIZE_MB);
  const walBytes = statSync(path.join(dir, 'mailbox.db-wal')).size;
  const dbBytes = statSync(path.join(dir, 'mailbox.db')).size;
  const scratch = path.join(cache, 'scratch');
  const linkDir = path.join(cache, 'verify-copy');
  rmSync(linkDir, { recursive: true, force: true });
  mkdirSync(linkDir, { recursive: true });
  // Read-only runs use hard links (no copy; nothing writes them). The -shm SQLite creates is removed before each run.
  for (const f of ['mailbox.db', 'mailbox.db-wal']) linkSync(path.join(dir, f), path.join(linkDir, f));
  const nv = [], ov = [], ovCa = [], oh = [], nr = [], or = [];
  // Warm the page cache once so every contender reads from memory.
  time('cat', [path.join(dir, 'mailbox.db-wal')], { stdio: ['ignore', 'ignore', 'ignore'] });
  for (let i = 0; i < ROUNDS; i++) {
    rmSync(path.join(linkDir, 'mailbox.db-shm'), { force: true });
    nv.push(time('sqlite3', ['-readonly', path.join(linkDir, 'mailbox.db'), 'pragma schema_version']).s);
    rmSync(path.join(linkDir, 'mailbox.db-shm'), { force: true });
    const o = time(process.execPath, [cli, 'verify', dir, '--no-hash', '--json'], { allowFail: true, env: nodeEnv });
    if (o.r.status === 2) throw new Error(`verify failed: ${o.r.stderr}`);
    ov.push(o.s);
    if (extraCa) ovCa.push(time(process.execPath, [cli, 'verify', dir, '--no-hash', '--json'], { allowFail: true }).s);
    if (!QUICK || i === 0) oh.push(time(process.execPath, [cli, 'verify', dir, '--json'], { allowFail: true, env: nodeEnv }).s);
    // Rebuild: native checkpoint on a fresh copy vs ours writing a new file.
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    copyFileSync(path.join(dir, 'mailbox.db'), path.join(scratch, 'mailbox.db'));
    copyFileSync(path.join(dir, 'mailbox.db-wal'), path.join(scratch, 'mailbox.db-wal'));
    nr.push(time('sqlite3', [path.join(scratch, 'mailbox.db'), 'pragma wal_checkpoint(TRUNCATE)']).s);
    const out = path.join(cache, 'rebuilt.db');
    rmSync(out, { force: true });
    or.push(time(process.execPath, [cli, 'rebuild', dir, '--out', out, '--no-check'], { env: nodeEnv }).s);
    log(`round ${i + 1}/${ROUNDS}: native verify ${nv.at(-1).toFixed(3)} s, ours ${ov.at(-1).toFixed(3)} s${extraCa ? ` (${ovCa.at(-1).toFixed(3)} s with NODE_EXTRA_CA_CERTS)` : ''}; native checkpoint ${nr.at(-1).toFixed(3)} s, ours rebuild ${or.at(-1).toFixed(3)} s`);
  }
  const bytes = walBytes + dbBytes;
  row('SQLite verify, native (sqlite3 -readonly, pragma schema_version)', median(nv), 's', `${gbps(bytes, median(nv)).toFixed(2)} GB/s over ${(walBytes / 1e9).toFixed(2)} GB WAL`);
  row('SQLite verify, palimpsest --no-hash', median(ov), 's', `${gbps(bytes, median(ov)).toFixed(2)} GB/s; ${(median(nv) / median(ov)).toFixed(2)}× native (target ≥ 1.5×)`);
  if (extraCa) row('SQLite verify, palimpsest --no-hash, NODE_EXTRA_CA_CERTS set', median(ovCa), 's', `${(median(nv) / median(ovCa)).toFixed(2)}× native; Node parses the certificate bundle before any code runs (rows above and below run without it)`);
  row('SQLite verify, palimpsest with SHA-256 (default)', median(oh), 's', `${gbps(bytes, median(oh)).toFixed(2)} GB/s`);
  row('SQLite rebuild, native (wal_checkpoint(TRUNCATE))', median(nr), 's', '');
  row('SQLite rebuild, palimpsest rebuild', median(or), 's', `${(median(nr) / median(or)).toFixed(2)}× native (target ≥ 1×)`);
  // The rebuilt file equals SQLite's own checkpoint (bytes 18/19 aside).
  const a = readFileSync(path.join(cache, 'rebuilt.db'));
  const b = readFileSync(path.join(scratch, 'mailbox.db'));
  a[18] = b[18];
  a[19] = b[19];
  row('SQLite rebuild equals native checkpoint byte for byte', a.equals(b) ? 'yes' : 'NO', '', `${a.length} bytes`);
  const m1 = peakRss(process.execPath, [cli, 'verify', dir, '--no-hash', '--json']);
  if (m1) row('SQLite verify peak memory, 1 GB WAL', m1 / 1024, 'MiB', '');
  if (!QUICK) {
    const dir2 = ensureWal(2 * SIZE_MB);
    const m2 = peakRss(process.execPath, [cli, 'verify', dir2, '--no-hash', '--json']);
    if (m2) row('SQLite verify peak memory, 2 GB WAL', m2 / 1024, 'MiB', 'target ≤ 256 MiB');
  }
}

async function modules(filter) {
  const dir = path.join(root, 'bench');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('-bench.mjs')).sort()) {
    if (filter && !f.startsWith(filter)) continue;
    log(`running ${f}`);
    const m = await import(pathToFileURL(path.join(dir, f)).href);
    for (const r of await m.run({ log, quick: QUICK, rounds: ROUNDS })) row(r.name, r.value, r.unit, r.note ?? '');
  }
}

const started = new Date();
if (!ONLY || ONLY === 'sqlite') await sqliteBench();
if (!ONLY || ONLY !== 'sqlite') await modules(ONLY && ONLY !== 'sqlite' ? ONLY : null);
const fmt = (v) => (typeof v === 'number' ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(3)) : v);
const table = [
  `Machine: ${machine()}; ${started.toISOString().slice(0, 10)}; median of ${ROUNDS} alternating rounds.`,
  '',
  '| Measurement | Value | Unit | Note |',
  '|---|---:|---|---|',
  ...rows.map((r) => `| ${r.name} | ${fmt(r.value)} | ${r.unit} | ${r.note} |`),
].join('\n');
console.log(table);
writeFileSync(path.join(root, 'bench', 'RESULTS.md'), table + '\n');
