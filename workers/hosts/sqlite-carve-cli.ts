// `palimpsest deleted DB... [--json] [--csv DIR]`: rows SQLite deleted but has not yet overwritten, carved from
// database files (engine: workers/engine/formats/sqlite/carve.ts; rules K1..K8 in its FORMAT.md). Evidence is opened
// read-only; CSV files are new files.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { cliExtensions, type CliContext } from './cli-extensions';
import { FileSource } from './node-io';
import { PalimpsestError } from '../engine/errors';
import { carveSource, type CarveReport, type CarvedRecord } from '../engine/formats/sqlite/carve';
import { hasSqliteMagic } from '../engine/formats/sqlite/header';

function isSqliteDatabase(src: FileSource): boolean {
  const head = new Uint8Array(16);
  return src.readIntoSync(0, head) === 16 && hasSqliteMagic(head);
}
import { deletedText, deletedCsv, deletedJson } from '../engine/formats/sqlite/carve-report';

async function runDeleted(ctx: CliContext): Promise<number> {
  const files = ctx.inputs.filter((i) => i.ref.type === 'path');
  if (!files.length) throw new PalimpsestError('usage', 'deleted takes one or more SQLite database files (or folders holding them)');
  const reports: CarveReport[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    const src = new FileSource((f.ref as { path: string }).path, f.path);
    try {
      // Files of a folder that are no SQLite database (WALs, journals, anything else) are left out, and said so.
      if (!isSqliteDatabase(src)) {
        skipped.push(f.path);
        continue;
      }
      reports.push(await carveSource(src));
    } finally {
      src.close();
    }
  }
  if (!reports.length) throw new PalimpsestError('usage', `no SQLite database among the inputs (${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''})`);
  if (skipped.length && !ctx.json) process.stderr.write(`palimpsest: not SQLite databases, left out: ${skipped.join(', ')}\n`);
  // In WAL mode the rows recent transactions deleted sit in the WAL's pages: say so when a WAL lies next to a database.
  const wals = new Set(files.map((f) => f.path).filter((p) => p.endsWith('-wal')));
  const withWal = reports.filter((r) => wals.has(`${r.file}-wal`));
  if (withWal.length && !ctx.json) {
    process.stderr.write(withWal.map((r) => `palimpsest: ${r.file} has a WAL: rows its transactions deleted are in the rebuilt database (palimpsest rebuild ${r.file} ${r.file}-wal --out REBUILT.db, then palimpsest deleted REBUILT.db)\n`).join(''));
  }
  const csvDir = typeof ctx.values.csv === 'string' && ctx.values.csv ? path.resolve(ctx.values.csv) : null;
  if (csvDir) {
    mkdirSync(csvDir, { recursive: true });
    for (const r of reports) {
      const tables = new Map<string, CarvedRecord[]>();
      for (const rec of r.records) {
        const k = rec.table ?? `unknown-${rec.values.length}-columns`;
        tables.set(k, [...(tables.get(k) ?? []), rec]);
      }
      for (const [name, recs] of tables) {
        const file = path.join(csvDir, `${path.basename(r.file)}.${name.replace(/[^\w.-]+/g, '_')}.deleted.csv`);
        if (existsSync(file)) throw new PalimpsestError('usage', `${file} exists; choose an empty --csv folder`);
        writeFileSync(file, deletedCsv(r, recs), { flag: 'wx' });
      }
    }
  }
  ctx.out(ctx.json ? JSON.stringify(deletedJson(reports), null, 2) + '\n' : deletedText(reports));
  return 0;
}

cliExtensions.push({
  command: 'deleted',
  usage: 'palimpsest deleted DB... [--json] [--csv DIR]',
  options: { csv: { type: 'string' } },
  usesWorkers: false,
  run: runDeleted,
});
