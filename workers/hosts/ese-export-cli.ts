// `palimpsest export FILE --out OUT.sqlite [--csv DIR] [--table NAME]... [--json]`: an ESE database as a SQLite
// database (and CSV per table). The Node host only does I/O: it loads sql.js (it knows where the wasm is), opens the
// evidence read-only, runs the engine's export into a sql.js Database and writes the bytes.
import { createRequire } from 'node:module';
import { closeSync, existsSync, mkdirSync, openSync, realpathSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { cliExtensions, type CliContext } from './cli-extensions';
import { FileSource, nodeSha256 } from './node-io';
import { PalimpsestError } from '../engine/errors';
import { TOOL } from '../engine/report/report';
import type { SqlStatement, SqlValue, ExportProgress } from '../engine/formats/ese/edb/export';
import type { SqlQueryStatement } from '../engine/formats/ese/edb/csv';
import type { ExportReport } from '../engine/formats/ese/edb/report';

/** The sql.js Database API the export (SqlDb) and the CSV writer (SqlQueryDb) use. */
interface SqlJsDatabase {
  run(sql: string, params?: SqlValue[]): unknown;
  prepare(sql: string): SqlStatement & SqlQueryStatement;
  exec(sql: string): Array<{ values: unknown[][] }>;
  export(): Uint8Array;
  close(): void;
}

async function loadSqlJs(): Promise<{ Database: new () => SqlJsDatabase }> {
  const require = createRequire(import.meta.url);
  const initSqlJs = require('sql.js') as (o: { locateFile: (f: string) => string }) => Promise<{ Database: new () => SqlJsDatabase }>;
  const dist = path.dirname(require.resolve('sql.js/dist/sql-wasm.wasm'));
  return initSqlJs({ locateFile: (f) => path.join(dist, f) });
}

/** Writes through a temporary file renamed into place, so a failed run leaves no partial output. */
function writeAtomically(target: string, chunks: Iterable<Uint8Array | string>): number {
  const tmp = `${target}.palimpsest-${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  try {
    for (const c of chunks) {
      const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
      let off = 0;
      while (off < b.length) off += writeSync(fd, b, off, b.length - off);
      bytes += b.length;
    }
    closeSync(fd);
    renameSync(tmp, target);
    return bytes;
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    try { unlinkSync(tmp); } catch { /* gone */ }
    throw new PalimpsestError('io', `cannot write ${target}: ${(e as Error).message}`);
  }
}

function progress(enabled: boolean) {
  if (!enabled) return undefined;
  let last = 0;
  return (p: ExportProgress) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    const pct = p.total ? Math.min(100, Math.floor((100 * p.done) / p.total)) : 0;
    process.stderr.write(`\rexport  ${String(pct).padStart(3)}%  ${(p.table ?? p.phase).slice(0, 40).padEnd(40)}`);
  };
}

async function runExport(ctx: CliContext): Promise<number> {
  const v = ctx.values;
  const files = ctx.inputs.filter((i) => i.ref.type === 'path');
  if (files.length !== 1) throw new PalimpsestError('usage', `export takes one ESE database file, got ${files.length} files`);
  const input = files[0];
  const inputPath = (input.ref as { path: string }).path;
  if (typeof v.out !== 'string' || !v.out) throw new PalimpsestError('usage', 'export needs --out FILE');
  const outPath = path.resolve(v.out);
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : p);
  if (real(outPath) === realpathSync(inputPath)) throw new PalimpsestError('usage', `--out ${v.out} is the input; evidence is never overwritten`);
  const csvDir = typeof v.csv === 'string' && v.csv ? path.resolve(v.csv) : null;
  const tables = Array.isArray(v.table) ? (v.table as string[]) : undefined;

  // The export engine loads only for this command (verify and rebuild start faster without it).
  const [{ exportEseToSqlite }, { tableCsv, csvFileName }, { exportReport, exportText }] = await Promise.all([
    import('../engine/formats/ese/edb/export'),
    import('../engine/formats/ese/edb/csv'),
    import('../engine/formats/ese/edb/report'),
  ]);
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  const src = new FileSource(inputPath, input.path);
  let report: ExportReport;
  try {
    const onProgress = progress(process.stderr.isTTY === true && !ctx.json);
    const r = await exportEseToSqlite(src, db, { tables, onProgress, deleted: v.deleted === true });
    if (onProgress) process.stderr.write('\r' + ' '.repeat(60) + '\r');
    let output: ExportReport['output'] = null;
    let csv: ExportReport['csv'] = null;
    if (r.usable) {
      const check = db.exec('PRAGMA integrity_check');
      const integrity = check.length ? check[0].values.map((x) => String(x[0])).join('; ') : 'no result';
      const bytes = db.export();
      const h = nodeSha256();
      h.update(bytes);
      writeAtomically(outPath, [bytes]);
      output = { path: v.out, bytes: bytes.length, sha256: await h.digestHex(), integrity };
      if (csvDir) {
        mkdirSync(csvDir, { recursive: true });
        const used = new Set<string>();
        const names = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")[0]?.values.map((x) => String(x[0])) ?? [];
        const written: Array<{ table: string; file: string; bytes: number }> = [];
        for (const name of names) {
          const file = csvFileName(name, used);
          const n = writeAtomically(path.join(csvDir, file), tableCsv(db, name));
          written.push({ table: name, file, bytes: n });
        }
        csv = { dir: typeof v.csv === 'string' ? v.csv : csvDir, files: written };
      }
    }
    report = exportReport(TOOL, r, output, csv);
  } finally {
    src.close();
    db.close();
  }
  ctx.out((ctx.json ? JSON.stringify(report, null, 2) : exportText(report)) + '\n');
  if (report.output && report.output.integrity !== 'ok' && report.exitCode === 0) return 1;
  return report.exitCode;
}

cliExtensions.push({
  command: 'export',
  usage: 'palimpsest export FILE --out OUT.sqlite [--csv DIR] [--table NAME]... [--deleted] [--json]',
  options: { csv: { type: 'string' }, table: { type: 'string', multiple: true }, deleted: { type: 'boolean' } },
  usesWorkers: false,
  run: runExport,
});
