// The `palimpsest` command: a thin Node host around the engine. File I/O and the worker_threads pool live here;
// everything else is the same engine code the browser runs.

import { parseArgs } from 'node:util';
import { readdirSync, statSync, realpathSync, openSync, writeSync, closeSync, renameSync, unlinkSync, existsSync, readFileSync, fsyncSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { inspectCase } from '../engine/case/inspect';
import type { CaseInput, CaseModel, ProgressEvent } from '../engine/case/model';
import { verifyReport, timelineReport, exitCodeFor, planReport, allIssues, TOOL, type RebuildReport } from '../engine/report/report';
import { verifyText, timelineText, rebuildText, humanBytes } from '../engine/report/text';
import { pickFamily, planForTarget, writeImage } from '../engine/rebuild/rebuild';
import { parseCommitId } from '../engine/formats/sqlite/folder';
import { PalimpsestError, asPalimpsestError } from '../engine/errors';
import { nodeOpener, nodeSha256, nodeKernelLoader, threadedSha256 } from './node-io';
import { HybridRunner, LocalRunner } from '../engine/runner';
import { createNodePool } from './node-pool';
import type { WorkerPool } from '../pool/pool';
import { cliExtensions, verifyFormats, extensionOptions, type CliContext } from './cli-extensions';
import './cli-plugins';

const USAGE = `palimpsest ${TOOL.version} — verify, rebuild and inspect mail-store databases offline

Usage:
  palimpsest verify PATH... [--json] [--no-hash] [--format text|json|eseutil]
  palimpsest rebuild PATH... --out FILE [--until G:C] [--db NAME] [--json] [--no-check]
  palimpsest timeline PATH... [--json]
${cliExtensions.map((e) => `  ${e.usage}`).join('\n')}
PATH: files or folders (read recursively), any mix. Inputs are only read, never modified.
Options:
  --json          one JSON object on stdout (for scripts)
  --no-hash       skip the SHA-256 of each file (quick structural check)
  --until G:C     rebuild the state right after commit C of WAL generation G
  --db NAME       which database to rebuild when the inputs hold several
  --no-check      do not run PRAGMA integrity_check on the rebuilt file
  --workers N     worker threads besides the main thread (default: cores - 1, 1..4)
Exit status: 0 clean; 1 damage, gaps or loss found (output still says what was recovered); 2 usage error or nothing usable.`;

/** Expands folders recursively (sorted, deterministic), skipping symlinked directories' cycles. */
export function expandPaths(paths: string[]): CaseInput[] {
  const out: CaseInput[] = [];
  const seen = new Set<string>();
  const walk = (p: string, shown: string) => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new PalimpsestError('usage', `cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const real = realpathSync(p);
    if (seen.has(real)) return;
    seen.add(real);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(path.join(p, name), path.join(shown, name));
    } else if (st.isFile()) {
      out.push({ ref: { type: 'path', path: p, name: shown }, path: shown });
    }
  };
  for (const p of paths) walk(p, p);
  return out;
}

class FileSink {
  private fd: number;
  readonly tmp: string;
  constructor(readonly target: string) {
    this.tmp = `${target}.palimpsest-${process.pid}.tmp`;
    this.fd = openSync(this.tmp, 'w');
  }
  async write(b: Uint8Array): Promise<void> {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
  }
  /** Durable like SQLite's checkpoint: data reaches the disk before the file takes its final name. */
  commit(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.tmp, this.target);
  }
  abort(): void {
    try { closeSync(this.fd); } catch { /* closed */ }
    try { unlinkSync(this.tmp); } catch { /* gone */ }
  }
}

function progressPrinter(enabled: boolean) {
  if (!enabled) return undefined;
  let last = 0;
  return (e: ProgressEvent) => {
    const now = Date.now();
    if (now - last < 200 && e.done < e.total) return;
    last = now;
    const pct = e.total ? Math.floor((100 * e.done) / e.total) : 100;
    process.stderr.write(`\r${e.phase.padEnd(7)} ${String(pct).padStart(3)}%  ${humanBytes(e.done)} / ${humanBytes(e.total)}   `);
    if (e.done >= e.total && e.phase !== 'open') process.stderr.write('\r' + ' '.repeat(60) + '\r');
  };
}

/** Runs PRAGMA integrity_check on a rebuilt file with sql.js (the same SQLite the web app uses). */
async function integrityCheck(file: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const initSqlJs = require('sql.js') as (o: { locateFile: (f: string) => string }) => Promise<{ Database: new (b: Uint8Array) => { exec(s: string): Array<{ values: unknown[][] }>; close(): void } }>;
  const dist = path.dirname(require.resolve('sql.js/dist/sql-wasm.wasm'));
  const SQL = await initSqlJs({ locateFile: (f) => path.join(dist, f) });
  let db;
  try {
    db = new SQL.Database(new Uint8Array(readFileSync(file)));
    const r = db.exec('PRAGMA integrity_check');
    return r.length ? r[0].values.map((v) => String(v[0])).join('; ') : 'no result';
  } catch (e) {
    return `SQLite cannot open the result: ${(e as Error).message}`;
  } finally {
    db?.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const cmd = argv[0];
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  if (cmd === '--version') {
    process.stdout.write(`${TOOL.version}\n`);
    return 0;
  }
  let args;
  try {
    args = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        'no-hash': { type: 'boolean', default: false },
        out: { type: 'string' },
        until: { type: 'string' },
        db: { type: 'string' },
        format: { type: 'string' },
        'no-check': { type: 'boolean', default: false },
        workers: { type: 'string' },
        ...(extensionOptions() as Record<string, never>),
      },
    });
  } catch (e) {
    process.stderr.write(`palimpsest: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const o = args.values;
  const json = o.json || o.format === 'json';
  let pool: WorkerPool | null = null;
  try {
    const workers = o.workers ? Number(o.workers) : undefined;
    if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) throw new PalimpsestError('usage', '--workers must be 1..64');
    // Start the workers first: their start-up overlaps with reading the arguments and the file heads.
    const ext = cliExtensions.find((e) => e.command === cmd);
    pool = createNodePool(workers);
    if (ext?.usesWorkers !== false) void pool.warm();
    if (!['verify', 'rebuild', 'timeline'].includes(cmd) && !ext) throw new PalimpsestError('usage', `unknown command ${cmd}`);
    if (!args.positionals.length) throw new PalimpsestError('usage', `${cmd} needs at least one PATH`);
    const inputs = expandPaths(args.positionals);
    if (!inputs.length) throw new PalimpsestError('usage', 'no files found under the given paths');
    const onProgress = progressPrinter(process.stderr.isTTY === true && !json);
    // The main thread takes jobs too while it would otherwise wait (same job code as the workers).
    const runner = new HybridRunner(pool, new LocalRunner({ open: nodeOpener, kernels: nodeKernelLoader(), sha256: nodeSha256 }));
    const inspect = (hash: boolean): Promise<CaseModel> => inspectCase(inputs, nodeOpener, runner, { hash, onProgress });

    if (ext) {
      const ctx: CliContext = { inputs, values: o as Record<string, unknown>, json, pool, inspect, out: (s) => process.stdout.write(s) };
      return await ext.run(ctx);
    }

    if (cmd === 'verify') {
      const fmt = o.format ?? 'text';
      if (!['text', 'json'].includes(fmt) && !verifyFormats[fmt]) throw new PalimpsestError('usage', `unknown --format ${fmt}`);
      const tInspect = performance.now();
      const model = await inspect(!o['no-hash']);
      const tReport = performance.now();
      const rep = verifyReport(model);
      if (process.env.PALIMPSEST_TIMING) {
        process.stderr.write(`timing: process start→inspect ${tInspect.toFixed(0)} ms, inspect ${(tReport - tInspect).toFixed(0)} ms, report ${(performance.now() - tReport).toFixed(0)} ms\n`);
      }
      const text = json ? JSON.stringify(rep, null, 2) : verifyFormats[fmt] ? verifyFormats[fmt](rep) : verifyText(rep);
      process.stdout.write(text + '\n');
      return exitCodeFor(rep);
    }

    if (cmd === 'timeline') {
      const model = await inspect(false);
      const t = timelineReport(model);
      process.stdout.write((json ? JSON.stringify(t, null, 2) : timelineText(t)) + '\n');
      const rep = verifyReport(model);
      return exitCodeFor(rep);
    }

    // rebuild
    if (!o.out) throw new PalimpsestError('usage', 'rebuild needs --out FILE');
    const outPath = path.resolve(o.out);
    const inputReal = new Set(inputs.map((i) => realpathSync(i.ref.type === 'path' ? i.ref.path : '')));
    if (existsSync(outPath) && inputReal.has(realpathSync(outPath))) throw new PalimpsestError('usage', `--out ${o.out} is one of the inputs; evidence is never overwritten`);
    const target = o.until ? parseCommitId(o.until) : null;
    if (o.until && !target) throw new PalimpsestError('usage', `--until takes G:C (generation:commit), got ${o.until}`);
    const tStart = performance.now();
    const model = await inspect(false);
    const tInspected = performance.now();
    const fam = pickFamily(model, o.db);
    const plan = planForTarget(fam, target);
    const sink = new FileSink(outPath);
    let result;
    try {
      result = await writeImage(model, fam, plan, nodeOpener, sink, { sha256: threadedSha256() }); // hashing overlaps writing
      sink.commit();
    } catch (e) {
      sink.abort();
      throw e;
    }
    const tWritten = performance.now();
    let integrity: string | undefined;
    if (!o['no-check']) {
      integrity = result.bytes <= 1 << 30 ? await integrityCheck(outPath) : 'skipped (result larger than 1 GiB; use --no-check or sqlite3)';
    }
    if (process.env.PALIMPSEST_TIMING) {
      process.stderr.write(`timing: start ${tStart.toFixed(0)} ms, inspect ${(tInspected - tStart).toFixed(0)} ms, write+hash+sync ${(tWritten - tInspected).toFixed(0)} ms, check ${(performance.now() - tWritten).toFixed(0)} ms\n`);
    }
    const issues = [...fam.issues, ...model.files.filter((f) => f.family === fam.name).flatMap((f) => f.issues)];
    const lost = target ? [] : fam.lost;
    const integrityBad = integrity !== undefined && integrity !== 'ok' && !integrity.startsWith('skipped');
    const verdict = integrityBad && fam.verdict === 'restorable' ? 'restorable-with-loss' : target ? (integrityBad ? 'restorable-with-loss' : 'restorable') : fam.verdict;
    const rep: RebuildReport = {
      tool: TOOL, ok: verdict === 'restorable' && (integrity === undefined || integrity === 'ok' || integrity.startsWith('skipped')),
      verdict, output: { path: o.out, bytes: result.bytes, pages: result.pages, sha256: result.sha256 },
      family: fam.name, target: o.until ?? null, plan: planReport(plan), sources: result.sources, lost, issues, integrity,
    };
    process.stdout.write((json ? JSON.stringify(rep, null, 2) : rebuildText(rep)) + '\n');
    const errors = issues.filter((i) => i.severity === 'error').length;
    void allIssues;
    return rep.ok && errors === 0 ? 0 : 1;
  } catch (e) {
    const err = asPalimpsestError(e);
    const code = err.code === 'usage' ? 2 : err.code === 'cancelled' ? 130 : 2;
    if (json) process.stdout.write(JSON.stringify({ tool: TOOL, ok: false, error: { code: err.code, message: err.message } }, null, 2) + '\n');
    process.stderr.write(`palimpsest: ${err.message}\n`);
    if (err.code === 'internal' && process.env.PALIMPSEST_DEBUG) process.stderr.write(String((e as Error).stack) + '\n');
    return code;
  } finally {
    await pool?.close();
  }
}
