// The per-page checks of a SQLite database through the CLI (a bench/*-bench.mjs module; `npm run bench -- --only
// dbpages`): `palimpsest verify --no-hash` on a database of over a million 512-byte pages (written by sqlite3; shared
// with web-pagemap-bench.mjs) against sqlite3's own `pragma quick_check` on the same file, alternating, warm cache.
// Both read every page; quick_check walks every b-tree, Palimpsest types every page and checks rules B1–B7 on each.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDb } from './web-pagemap-bench.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'bin', 'palimpsest.mjs');

function time(cmd, args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, env });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status === null || r.status === 2) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { s, out: r.stdout };
}

export async function run({ log = console.error, rounds = 5 } = {}) {
  const db = ensureDb(log);
  const pages = statSync(db).size / 512;
  // As in bench.mjs: Node is timed without the sandbox's NODE_EXTRA_CA_CERTS (a TLS setting the CLI never uses).
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  spawnSync('cat', [db], { stdio: ['ignore', 'ignore', 'ignore'] });
  const ours = [];
  const native = [];
  for (let i = 0; i < rounds; i++) {
    const n = time('sqlite3', ['-readonly', db, 'pragma quick_check']);
    if (n.out.trim() !== 'ok') throw new Error(`quick_check: ${n.out}`);
    native.push(n.s);
    ours.push(time(process.execPath, [cli, 'verify', db, '--no-hash', '--json'], env).s);
    log(`dbpages-bench: round ${i + 1}: sqlite3 quick_check ${native.at(-1).toFixed(3)} s, palimpsest verify --no-hash ${ours.at(-1).toFixed(3)} s`);
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const note = `${pages.toLocaleString('en-US')} pages of 512 bytes written by sqlite3; median of ${rounds} alternating rounds`;
  return [
    { name: 'SQLite database of a million pages: sqlite3 -readonly, pragma quick_check', value: med(native), unit: 's', note },
    { name: 'SQLite database of a million pages: palimpsest verify --no-hash (page types, rules B1–B7 on every page)', value: med(ours), unit: 's', note: `${(med(native) / med(ours)).toFixed(2)}× quick_check's speed; ${note}` },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(`| ${r.name} | ${r.value.toFixed(3)} ${r.unit} | ${r.note} |`);
}
