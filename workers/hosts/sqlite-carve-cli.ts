// `palimpsest deleted DB... [--json] [--csv DIR]`: rows SQLite deleted but has not yet overwritten, carved from
// database files (engine: workers/engine/formats/sqlite/carve.ts; rules K1..K8 in its FORMAT.md). Evidence is opened
// read-only; CSV files are new files.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { cliExtensions, type CliContext } from './cli-extensions';
import { FileSource, nodeOpener } from './node-io';
import { PalimpsestError } from '../engine/errors';
import { carveSource, type CarveReport, type CarvedRecord } from '../engine/formats/sqlite/carve';
import { hasSqliteMagic } from '../engine/formats/sqlite/header';
import { carveWal } from '../engine/case/carve-wal';
import { isPalimpsestError } from '../engine/errors';

/** A SQLite database, a WAL (magic 0x377f0682 or 0x377f0683), or neither. */
function sqliteKind(src: FileSource): 'db' | 'wal' | null {
  const head = new Uint8Array(16);
  if (src.readIntoSync(0, head) !== 16) return null;
  if (hasSqliteMagic(head)) return 'db';
  const m = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  return m === 0x377f0682 || m === 0x377f0683 ? 'wal' : null;
}
import { deletedText, deletedCsv, deletedJson, groupRecords } from '../engine/formats/sqlite/carve-report';

async function runDeleted(ctx: CliContext): Promise<number> {
  const files = ctx.inputs.filter((i) => i.ref.type === 'path');
  if (!files.length) throw new PalimpsestError('usage', 'deleted takes one or more SQLite database files (or folders holding them)');
  const reports: CarveReport[] = [];
  const skipped: string[] = [];
  const wals: string[] = [];
  for (const f of files) {
    const src = new FileSource((f.ref as { path: string }).path, f.path);
    try {
      // A WAL is searched frame by frame against its database's latest state (below); other files that are no SQLite
      // database (journals, anything else) are left out, and said so.
      const kind = sqliteKind(src);
      if (kind === 'wal') wals.push(f.path);
      else if (kind === 'db') reports.push(await carveSource(src));
      else skipped.push(f.path);
    } finally {
      src.close();
    }
  }
  if (wals.length) {
    // K9: the WAL's page images against the latest state of its database, as the case says it is.
    const model = await ctx.inspect(false);
    for (const p of wals) {
      const wal = model.files.find((x) => x.path === p);
      if (!wal) continue;
      try {
        reports.push(await carveWal(model, wal, nodeOpener));
      } catch (e) {
        if (!isPalimpsestError(e) || e.code !== 'usage') throw e;
        skipped.push(`${p} (${e.message})`);
      }
    }
  }
  if (!reports.length) throw new PalimpsestError('usage', `no SQLite database or WAL among the inputs (${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''})`);
  if (skipped.length && !ctx.json) process.stderr.write(`palimpsest: left out: ${skipped.join(', ')}\n`);
  // In WAL mode the cells recent transactions freed sit in the WAL's latest page images: the rebuilt database holds
  // them (its free space), as the WAL's frames hold the rows before (K9). Say so when a WAL lies next to a database.
  const withWal = reports.filter((r) => !r.frames && wals.includes(`${r.file}-wal`));
  if (withWal.length && !ctx.json) {
    process.stderr.write(withWal.map((r) => `palimpsest: ${r.file} has a WAL: rows its transactions deleted are in the rebuilt database (palimpsest rebuild ${r.file} ${r.file}-wal --out REBUILT.db, then palimpsest deleted REBUILT.db)\n`).join(''));
  }
  const csvDir = typeof ctx.values.csv === 'string' && ctx.values.csv ? path.resolve(ctx.values.csv) : null;
  if (csvDir) {
    mkdirSync(csvDir, { recursive: true });
    for (const r of reports) {
      const tables = groupRecords(r.records, (rec) => rec.table ?? `unknown-${rec.values.length}-columns`);
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
  usage: 'palimpsest deleted DB|WAL|FOLDER... [--json] [--csv DIR]',
  options: { csv: { type: 'string' } },
  usesWorkers: false,
  run: runDeleted,
});
