// ESE database → SQLite database (FORMAT.md §8). The engine writes through an injected SqlDb (the subset of the
// sql.js Database API it uses), so it stays host-agnostic: the CLI and the web worker each initialise sql.js (the
// host knows where the wasm lives), create a Database, pass it here and call export() on it afterwards.
//
// Export rules, numbered as FORMAT.md numbers them:
//   E1 one SQLite table per catalog table, same name, one column per catalog column with the same name (V3 adds
//      `name__raw`); names are quoted; a name that collides (SQLite names are case-insensitive, `_palimpsest_` is
//      reserved) gets `__<id>` (columns) or `__<objid>` (tables) and an info issue
//   E2 rows are inserted in B-tree (primary key) order, streamed leaf page by leaf page; each row has a
//      _palimpsest_provenance row: ESE table, SQLite rowid, page, tag, page file offset, page checksum status, how
//      the leaf was reached ('tree', 'leaf-chain' (T4) or 'page-scan' (T6)), the node flags (0x1 = a version-store
//      entry: in a dirty database possibly uncommitted), and how many issues the record has
//   E3 a record that decodes in part is exported with what decoded, and every problem is an issue with its page and
//      tag; a record that does not decode at all (R1) is not a row: it is an issue carrying the record bytes
//   E4 a long value or compressed value that cannot be read exports NULL for that column, with an issue
//   E5 the catalog, the export facts and every issue are tables too: _palimpsest_tables, _palimpsest_columns,
//      _palimpsest_indexes, _palimpsest_export, _palimpsest_issues
//   E6 exit status: 2 when nothing identifies the file as an ESE database or no catalog row can be read; 1 when any
//      error or warning issue was raised (bad pages, dirty shutdown, lost rows); 0 otherwise
//   E8 on request, leaf nodes flagged deleted are decoded into <table>__deleted, with _palimpsest_deleted provenance

import type { ByteSource } from '../../../io';
import { hex } from '../../../io';
import type { Issue, Severity } from '../../../types';
import { PalimpsestError, throwIfAborted } from '../../../errors';
import { readDbHeaderFacts, EdbPages, noPageCheck, edbPageCheck, DB_STATE_NAMES, TEMP_DATABASE_FILETYPE, type PageCheck, type PageStats } from './file';
import { walkLeaves, liveNodes, newTreeStats, type TreeStats, type LeafPage } from './btree';
import { readCatalog, type TableDef, type Catalog } from './catalog';
import { decodeRecord, buildRecordSchema, COLTYP, COLTYP_NAMES, FIELD_FLAG, type ColumnDef, type ColumnValue } from './record';
import { isSmallPage, PAGE_FLAG, NODE_FLAG, type PageNode } from './page';
import { LongValues } from './lv';
import { decompress } from './compress';
import { convertValue, jsonArray, sqlKindOf, type Converted, type SqlValue } from './values';
import { knownFiletimeColumn, type FiletimeOrder } from './dates';

export type { SqlValue } from './values';

/** The part of a sql.js Statement the export uses. */
export interface SqlStatement {
  run(params?: SqlValue[]): unknown;
  free(): unknown;
}

/** The part of a sql.js Database the export uses. */
export interface SqlDb {
  run(sql: string, params?: SqlValue[]): unknown;
  prepare(sql: string): SqlStatement;
}

export interface ExportProgress {
  phase: 'catalog' | 'tables';
  table?: string;
  /** Pages read so far and the file's page count. */
  done: number;
  total: number;
}

export interface ExportOptions {
  /** Page checksum verifier (P2). Default: the ESE page checksum (F4); tests pass stand-ins. */
  pageCheck?: PageCheck;
  /** Name of the verifier, recorded in _palimpsest_export. */
  pageCheckName?: string;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  /** Export only these ESE tables (exact names). */
  tables?: string[];
  /** Largest long value assembled (L5); default 256 MiB. */
  maxValueBytes?: number;
  /** Issues kept in the result (all of them are written to _palimpsest_issues); default 2000. */
  maxIssuesKept?: number;
  /**
   * Also decode leaf nodes flagged deleted (T5, E8): records ESE has deleted but not yet cleaned off their page. They go
   * to `<table>__deleted` (same columns), with their page and tag in `_palimpsest_deleted`; never into the table itself.
   */
  deleted?: boolean;
}

export interface TableExport {
  name: string;
  sqlName: string;
  objid: number;
  pgnoFDP: number;
  columns: number;
  rows: number;
  /** Records reported and not exported (E3). */
  failedRecords: number;
  /** Records exported with at least one issue. */
  partialRecords: number;
  tree: TreeStats;
  /** With `deleted`: the SQLite table of the recovered deleted records (null when there were none), and its counts. */
  deletedTable?: string | null;
  deletedRows?: number;
  deletedFailed?: number;
}

export interface ExportResult {
  /** False when the file is not usable at all (E6 exit 2); nothing meaningful was written. */
  usable: boolean;
  file: { name: string; size: number; pageSize: number | null; pageCount: number; dbState: string | null; headerFrom: string | null };
  tables: TableExport[];
  pages: PageStats;
  /** Issues kept (the first maxIssuesKept); every issue is in _palimpsest_issues. */
  issues: Issue[];
  issueCounts: { error: number; warning: number; info: number; omitted: number };
  exitCode: 0 | 1 | 2;
}

export const RESERVED_PREFIX = '_palimpsest_';

export const quoteIdent = (s: string) => '"' + s.replace(/"/g, '""') + '"';

interface IssueExtra {
  table?: string;
  tag?: number;
  raw?: Uint8Array;
}

/** Collects issues: counts all, keeps the first `max`, writes every one to _palimpsest_issues once it exists. */
class IssueLog {
  readonly kept: Issue[] = [];
  readonly counts = { error: 0, warning: 0, info: 0, omitted: 0 };
  private stmt: SqlStatement | null = null;
  private pending: Array<[Issue, IssueExtra]> = [];
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  attach(db: SqlDb): void {
    db.run(`CREATE TABLE ${quoteIdent(RESERVED_PREFIX + 'issues')} (code TEXT, severity TEXT, table_name TEXT, page INTEGER, tag INTEGER, file_offset INTEGER, expected TEXT, actual TEXT, message TEXT, raw BLOB)`);
    this.stmt = db.prepare(`INSERT INTO ${quoteIdent(RESERVED_PREFIX + 'issues')} VALUES (?,?,?,?,?,?,?,?,?,?)`);
    for (const [i, x] of this.pending) this.write(i, x);
    this.pending = [];
  }

  push = (issue: Issue, extra: IssueExtra = {}): void => {
    // The same page problem is met again on every lookup through it; report it once.
    const k = `${issue.code}|${issue.page ?? ''}|${extra.tag ?? ''}|${issue.message}`;
    if (this.seen.has(k)) return;
    if (this.seen.size < 1 << 20) this.seen.add(k);
    this.counts[issue.severity]++;
    if (this.kept.length < this.max) this.kept.push(issue);
    else this.counts.omitted++;
    if (this.stmt) this.write(issue, extra);
    else this.pending.push([issue, extra]);
  };

  private write(i: Issue, x: IssueExtra): void {
    this.stmt!.run([
      i.code, i.severity, x.table ?? null, i.page ?? null, x.tag ?? null, i.offset,
      i.expected === undefined ? null : String(i.expected), i.actual === undefined ? null : String(i.actual), i.message, x.raw ?? null,
    ]);
  }

  finish(): void {
    this.stmt?.free();
    this.stmt = null;
  }
}

/** Output column plan for one ESE column (E1, V3). */
interface ColumnPlan {
  col: ColumnDef;
  sqlName: string;
  rawName: string | null;
  kind: ReturnType<typeof sqlKindOf>;
  multi: boolean;
  /** Rule D2: a column known to hold FILETIMEs, and their byte order. */
  filetime: FiletimeOrder | null;
  keptRaw: number;
}

function uniqueName(want: string, used: Set<string>, suffix: string): string {
  let name = want;
  let n = 1;
  while (used.has(name.toLowerCase())) name = `${want}__${suffix}${n++ > 1 ? `_${n - 1}` : ''}`;
  used.add(name.toLowerCase());
  return name;
}

function planColumns(t: TableDef, log: IssueLog, file: string): ColumnPlan[] {
  const used = new Set<string>();
  const plans: ColumnPlan[] = [];
  for (const c of t.columns) {
    const multi = (c.flags & FIELD_FLAG.multiValued) !== 0;
    const sqlName = uniqueName(c.name, used, String(c.id));
    if (sqlName !== c.name) {
      log.push({ code: 'ese.export.renamed-column', severity: 'info', file, offset: null, message: `table "${t.name}": column "${c.name}" (id ${c.id}) is exported as "${sqlName}" (rule E1)` }, { table: t.name });
    }
    const filetime = knownFiletimeColumn(t.name, c.name, c.coltyp);
    const rawName = (c.coltyp === COLTYP.dateTime || filetime) && !multi ? uniqueName(`${c.name}__raw`, used, String(c.id)) : null;
    plans.push({ col: c, sqlName, rawName, kind: multi || filetime ? 'TEXT' : sqlKindOf(c.coltyp), multi, filetime, keptRaw: 0 });
  }
  return plans;
}

/** Runs the export. Throws only PalimpsestError (cancel, I/O); data problems are issues. */
export async function exportEseToSqlite(src: ByteSource, db: SqlDb, opts: ExportOptions = {}): Promise<ExportResult> {
  const file = src.name;
  const log = new IssueLog(opts.maxIssuesKept ?? 2000);
  const sink = { push: (i: Issue) => log.push(i) };
  const signal = opts.signal;
  const empty: PageStats = { read: 0, ok: 0, corrected: 0, bad: 0, uninitialized: 0, unchecked: 0, missing: 0 };
  const result = (usable: boolean, extra: Partial<ExportResult>): ExportResult => {
    log.finish();
    const c = log.counts;
    const exitCode: 0 | 1 | 2 = !usable ? 2 : c.error + c.warning > 0 ? 1 : 0;
    return {
      usable, file: { name: file, size: src.size, pageSize: null, pageCount: 0, dbState: null, headerFrom: null },
      tables: [], pages: empty, ...extra, issues: log.kept, issueCounts: { ...c }, exitCode,
    };
  };

  const facts = await readDbHeaderFacts(src, sink);
  if (!facts) {
    log.push({ code: 'ese.export.not-ese', severity: 'error', file, offset: 4, expected: hex(0x89abcdef), message: 'no ESE database header (magic 0x89ABCDEF at offset 4) and no catalog root page at any page size (rules F1, F2)' });
    return result(false, {});
  }
  // F4: the real page checksum unless the caller supplies a check; temporary databases (file type 5, or dbid 0:
  // ../FORMAT.md D8) are not checked — ESE never reads one back, and the ones seen store checksum 0.
  const temp = facts.filetype === TEMP_DATABASE_FILETYPE || facts.temporary === true;
  const pageCount = Math.max(0, Math.floor(src.size / facts.cbPage) - 2);
  const check = opts.pageCheck ?? (temp ? noPageCheck : edbPageCheck(pageCount));
  const checkName = opts.pageCheck ? (opts.pageCheckName ?? 'supplied') : temp ? 'none (temporary database)' : 'ECC/XOR page checksum (formats/ese/checksum.ts)';
  const pages = new EdbPages(src, facts.cbPage, check, sink);
  const stateName = facts.dbState === null ? null : (DB_STATE_NAMES[facts.dbState] ?? `state ${facts.dbState}`);
  const fileFacts = { name: file, size: src.size, pageSize: facts.cbPage, pageCount: pages.pageCount, dbState: stateName, headerFrom: facts.from };
  if (facts.dbState === 2 || facts.dbState === 7) {
    log.push({ code: 'ese.export.dirty-shutdown', severity: 'warning', file, offset: 52, actual: stateName ?? undefined, message: `the database state is "${stateName}": changes still in its transaction logs are not in this export (the logs are not replayed)` });
  }
  if (temp && !opts.pageCheck) {
    log.push({
      code: 'ese.export.checksums-unchecked', severity: 'info', file, offset: facts.filetype === TEMP_DATABASE_FILETYPE ? 667 : 104,
      message: facts.filetype === TEMP_DATABASE_FILETYPE
        ? 'a temporary database (filetype 5) keeps no page checksums; pages were not checked'
        : 'a temporary database (dbid 0, FORMAT.md D8): ESE never reads its pages back and they need not carry checksums; pages were not checked',
    });
  }
  const progress = (phase: ExportProgress['phase'], table?: string) => opts.onProgress?.({ phase, table, done: pages.stats.read, total: pages.pageCount });

  progress('catalog');
  let catalog: Catalog;
  try {
    catalog = await readCatalog(pages, sink, signal);
  } catch (e) {
    if (signal?.aborted) throw new PalimpsestError('cancelled', 'The operation was cancelled');
    throw e;
  }
  if (catalog.rows.length === 0) {
    log.push({ code: 'ese.export.no-catalog', severity: 'error', file, offset: pages.offsetOf(4), page: 4, message: 'no catalog row could be read from MSysObjects or MSysObjectsShadow; no table can be exported' });
    return result(false, { file: fileFacts, pages: pages.stats });
  }

  db.run('BEGIN');
  log.attach(db);
  const P = (s: string) => quoteIdent(RESERVED_PREFIX + s);
  db.run(`CREATE TABLE ${P('provenance')} (source_table TEXT, row_id INTEGER, page INTEGER, tag INTEGER, page_offset INTEGER, page_checksum TEXT, via TEXT, node_flags INTEGER, issues INTEGER)`);
  db.run(`CREATE TABLE ${P('tables')} (name TEXT, sqlite_name TEXT, objid INTEGER, pgno_fdp INTEGER, template_table TEXT, lv_objid INTEGER, lv_pgno_fdp INTEGER, columns INTEGER, rows INTEGER, failed_records INTEGER, partial_records INTEGER, pages INTEGER, leaf_pages INTEGER, lost_subtrees INTEGER, recovered_leaves INTEGER, deleted_nodes INTEGER, catalog_source TEXT, deleted_table TEXT, deleted_rows INTEGER)`);
  if (opts.deleted) {
    db.run(`CREATE TABLE ${P('deleted')} (source_table TEXT, sqlite_table TEXT, row_id INTEGER, page INTEGER, tag INTEGER, page_offset INTEGER, page_checksum TEXT, via TEXT, node_flags INTEGER, issues INTEGER)`);
  }
  db.run(`CREATE TABLE ${P('columns')} (table_name TEXT, column_name TEXT, column_id INTEGER, coltyp INTEGER, coltyp_name TEXT, flags INTEGER, multi_valued INTEGER, codepage INTEGER, space_usage INTEGER, record_offset INTEGER, from_template INTEGER, default_value BLOB, filetime_hint TEXT, sqlite_table TEXT, sqlite_column TEXT, sqlite_raw_column TEXT, sqlite_type TEXT, values_kept_raw INTEGER)`);
  db.run(`CREATE TABLE ${P('indexes')} (table_name TEXT, index_name TEXT, objid INTEGER, pgno_fdp INTEGER, flags INTEGER, lcid INTEGER, key_columns TEXT)`);
  db.run(`CREATE TABLE ${P('export')} (key TEXT PRIMARY KEY, value)`);
  db.run('COMMIT');

  const usedTables = new Set<string>();
  for (const n of opts.tables ?? []) {
    if (!catalog.tables.some((t) => t.name === n)) log.push({ code: 'ese.export.no-such-table', severity: 'error', file, offset: null, message: `table "${n}" is not in the catalog` });
  }

  const tableResults: TableExport[] = [];
  const provStmt = db.prepare(`INSERT INTO ${P('provenance')} VALUES (?,?,?,?,?,?,?,?,?)`);
  const delProvStmt = opts.deleted ? db.prepare(`INSERT INTO ${P('deleted')} VALUES (?,?,?,?,?,?,?,?,?,?)`) : null;
  const colStmt = db.prepare(`INSERT INTO ${P('columns')} VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const small = isSmallPage(facts.cbPage);
  const maxValueBytes = opts.maxValueBytes ?? 256 << 20;
  try {
    for (const t of catalog.tables) {
      if (opts.tables && !opts.tables.includes(t.name)) continue;
      throwIfAborted(signal);
      progress('tables', t.name);
      let sqlName = t.name;
      if (sqlName.toLowerCase().startsWith(RESERVED_PREFIX) || usedTables.has(sqlName.toLowerCase())) {
        sqlName = uniqueName(`${t.name}__${t.objid}`, usedTables, String(t.objid));
        log.push({ code: 'ese.export.renamed-table', severity: 'info', file, offset: null, message: `table "${t.name}" is exported as "${sqlName}" (rule E1)` }, { table: t.name });
      } else usedTables.add(sqlName.toLowerCase());
      const plans = planColumns(t, log, file);
      const defs: string[] = [];
      for (const p of plans) {
        defs.push(`${quoteIdent(p.sqlName)} ${p.kind}`);
        if (p.rawName) defs.push(`${quoteIdent(p.rawName)} INTEGER`);
      }
      db.run('BEGIN');
      db.run(`CREATE TABLE ${quoteIdent(sqlName)} (${defs.join(', ') || '"_no_columns" BLOB'})`);
      const nOut = defs.length || 1;
      const ins = db.prepare(`INSERT INTO ${quoteIdent(sqlName)} VALUES (${new Array(nOut).fill('?').join(',')})`);
      const te: TableExport = { name: t.name, sqlName, objid: t.objid, pgnoFDP: t.pgnoFDP, columns: plans.length, rows: 0, failedRecords: 0, partialRecords: 0, tree: newTreeStats() };
      // E8: deleted records go to their own table, made when the first one decodes.
      let delIns: SqlStatement | null = null;
      const deletedSink = delProvStmt
        ? {
            insert: (row: SqlValue[]) => {
              if (!delIns) {
                te.deletedTable = uniqueName(`${sqlName}__deleted`, usedTables, 'deleted');
                db.run(`CREATE TABLE ${quoteIdent(te.deletedTable)} (${defs.join(', ') || '"_no_columns" BLOB'})`);
                delIns = db.prepare(`INSERT INTO ${quoteIdent(te.deletedTable)} VALUES (${new Array(nOut).fill('?').join(',')})`);
              }
              delIns.run(row);
            },
            prov: delProvStmt,
          }
        : null;
      if (deletedSink) {
        te.deletedTable = null;
        te.deletedRows = 0;
        te.deletedFailed = 0;
      }
      try {
        await exportTable(t, plans, pages, ins, provStmt, log, te, small, maxValueBytes, signal, () => progress('tables', t.name), deletedSink);
      } finally {
        ins.free();
        (delIns as SqlStatement | null)?.free();
      }
      for (const p of plans) {
        const c = p.col;
        colStmt.run([t.name, c.name, c.id, c.coltyp, COLTYP_NAMES[c.coltyp] ?? `coltyp ${c.coltyp}`, c.flags, p.multi ? 1 : 0, c.codepage, c.spaceUsage, c.recordOffset, c.fromTemplate ? 1 : 0, c.defaultValue, p.filetime, sqlName, p.sqlName, p.rawName, p.kind, p.keptRaw]);
      }
      db.run('COMMIT');
      tableResults.push(te);
    }
    db.run('BEGIN');
    const tabStmt = db.prepare(`INSERT INTO ${P('tables')} VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    const idxStmt = db.prepare(`INSERT INTO ${P('indexes')} VALUES (?,?,?,?,?,?,?)`);
    for (const t of catalog.tables) {
      const r = tableResults.find((x) => x.objid === t.objid);
      tabStmt.run([t.name, r?.sqlName ?? null, t.objid, t.pgnoFDP, t.templateName, t.lv?.objid ?? null, t.lv?.pgnoFDP ?? null, t.columns.length, r?.rows ?? null, r?.failedRecords ?? null, r?.partialRecords ?? null, r?.tree.pages ?? null, r?.tree.leaves ?? null, r?.tree.lostSubtrees ?? null, r?.tree.recoveredLeaves ?? null, r?.tree.deletedNodes ?? null, t.source, r?.deletedTable ?? null, r?.deletedRows ?? null]);
      for (const ix of t.indexes) idxStmt.run([t.name, ix.name, ix.objid, ix.pgnoFDP, ix.flags, ix.lcid, ix.keyColumns.join(',')]);
    }
    tabStmt.free();
    idxStmt.free();
    const facts2: Array<[string, SqlValue]> = [
      ['source_name', file], ['source_size', src.size], ['page_size', facts.cbPage], ['page_count', pages.pageCount],
      ['header_from', facts.from], ['db_state', stateName], ['format_version', facts.formatVersion === null ? null : hex(facts.formatVersion)],
      ['format_revision', facts.formatRevision === null ? null : hex(facts.formatRevision)],
      ['page_checksum_verifier', checkName],
      ['pages_read', pages.stats.read], ['pages_ok', pages.stats.ok], ['pages_corrected', pages.stats.corrected], ['pages_bad_checksum', pages.stats.bad],
      ['pages_uninitialized', pages.stats.uninitialized], ['pages_unchecked', pages.stats.unchecked], ['pages_missing', pages.stats.missing],
      ['catalog_rows', catalog.rows.length], ['catalog_rows_from_shadow', catalog.stats.rowsFromShadow],
      ['deleted_records', opts.deleted ? 'decoded into <table>__deleted, pages and tags in _palimpsest_deleted (FORMAT.md rule E8)' : 'counted, not exported (FORMAT.md rule T5)'],
      ['multi_values', 'JSON array text (FORMAT.md rule V8)'], ['dates', 'ISO-8601 text + <name>__raw INTEGER (FORMAT.md rules V3, D1)'],
    ];
    const fStmt = db.prepare(`INSERT INTO ${P('export')} VALUES (?,?)`);
    for (const f of facts2) fStmt.run(f);
    fStmt.free();
    db.run('COMMIT');
  } catch (e) {
    try { db.run('ROLLBACK'); } catch { /* no transaction open */ }
    throw e;
  } finally {
    provStmt.free();
    delProvStmt?.free();
    colStmt.free();
  }
  // The counts of this run's issues include the ones written above; finish also closes the issue statement.
  return result(true, { file: fileFacts, tables: tableResults, pages: pages.stats });
}

/** Where a table's deleted records go (E8): an insert into `<table>__deleted` (made on first use) and provenance. */
interface DeletedSink {
  insert(row: SqlValue[]): void;
  prov: SqlStatement;
}

async function exportTable(
  t: TableDef, plans: ColumnPlan[], pages: EdbPages, ins: SqlStatement, prov: SqlStatement, log: IssueLog,
  te: TableExport, small: boolean, maxValueBytes: number, signal: AbortSignal | undefined, tick: () => void,
  deleted: DeletedSink | null = null,
): Promise<void> {
  const file = pages.src.name;
  const schema = buildRecordSchema(t.columns);
  const tableIssues = { push: (i: Issue) => log.push(i, { table: t.name }) };
  const lv = t.lv ? new LongValues(pages, t.lv, tableIssues, { maxBytes: maxValueBytes }) : null;
  const nOut = plans.reduce((n, p) => n + (p.rawName ? 2 : 1), 0) || 1;
  const row: SqlValue[] = new Array(nOut).fill(null);
  let leaves = 0;
  const tree = { what: `table "${t.name}"`, pgnoFDP: t.pgnoFDP, objid: t.objid };
  if (t.pgnoFDP < 1) return;

  /**
   * Decodes one record into `row`. Returns the count of issues (warnings and errors), or null when nothing decoded (E3,
   * reported with the bytes). A deleted record's problems are notes: ESE no longer vouches for its bytes.
   */
  const decodeInto = async (leaf: LeafPage, n: PageNode, newFormat: boolean, isDeleted: boolean): Promise<number | null> => {
    const rec = leaf.nodes.data(n);
    const d = decodeRecord(rec, schema, small, newFormat);
    const at = { page: leaf.pgno, offset: leaf.offset };
    const what = isDeleted ? `deleted record, tag ${n.tag}` : `tag ${n.tag}`;
    const issue = (code: string, severity: Severity, message: string, raw?: Uint8Array) =>
      log.push({ code, severity: isDeleted ? 'info' : severity, file, offset: at.offset, page: at.page, message: `table "${t.name}" page ${at.page} ${what}: ${message}` }, { table: t.name, tag: n.tag, raw });
    if (d.problems.length && d.values.every((v) => v === null)) {
      issue(isDeleted ? 'ese.record.deleted-undecodable' : 'ese.record.undecodable', 'error', d.problems.join('; '), rec.slice());
      return null;
    }
    let nIssues = 0;
    const report: Report = (col, code, sev, msg) => {
      issue(code, sev, `column "${col}": ${msg}`);
      if (sev !== 'info') nIssues++;
    };
    for (const pr of d.problems) {
      issue('ese.record.bad', 'error', pr);
      nIssues++;
    }
    let k = 0;
    for (let i = 0; i < plans.length; i++) {
      const p = plans[i];
      const v = d.values[i];
      if (!v) {
        row[k++] = null;
        if (p.rawName) row[k++] = null;
        continue;
      }
      // Only separated long values need other pages (and an await); everything else converts synchronously.
      const fetched = hasSeparated(v) ? await fetchLongValues(p, v, lv, report) : null;
      const conv = finishValue(p, v, fetched, report);
      row[k++] = conv.value;
      if (p.rawName) row[k++] = conv.raw ?? null;
    }
    return nIssues;
  };

  for await (const leaf of walkLeaves(pages, tree, tableIssues, te.tree, signal)) {
    if ((++leaves & 63) === 0) {
      throwIfAborted(signal);
      tick();
    }
    const newFormat = (leaf.nodes.header.flags & PAGE_FLAG.newRecordFormat) !== 0;
    for (const n of liveNodes(leaf, te.tree)) {
      const nIssues = await decodeInto(leaf, n, newFormat, false);
      if (nIssues === null) {
        te.failedRecords++;
        continue;
      }
      ins.run(row);
      te.rows++;
      if (nIssues) te.partialRecords++;
      prov.run([t.name, te.rows, leaf.pgno, n.tag, leaf.offset, leaf.status, leaf.via, n.flags, nIssues]);
    }
    if (!deleted) continue;
    for (const n of leaf.nodes.nodes) {
      if (!(n.flags & NODE_FLAG.deleted)) continue;
      const nIssues = await decodeInto(leaf, n, newFormat, true);
      if (nIssues === null) {
        te.deletedFailed = (te.deletedFailed ?? 0) + 1;
        continue;
      }
      deleted.insert(row);
      te.deletedRows = (te.deletedRows ?? 0) + 1;
      deleted.prov.run([t.name, te.deletedTable ?? null, te.deletedRows, leaf.pgno, n.tag, leaf.offset, leaf.status, leaf.via, n.flags, nIssues]);
    }
  }
}

type Report = (column: string, code: string, severity: Severity, message: string) => void;

function hasSeparated(v: ColumnValue): boolean {
  for (let i = 0; i < v.pieces.length; i++) if (v.pieces[i].separated) return true;
  return false;
}

/** E4: the bytes of each separated piece from the LV tree (null where it cannot be read); other pieces as stored. */
async function fetchLongValues(p: ColumnPlan, v: ColumnValue, lv: LongValues | null, report: Report): Promise<(Uint8Array | null)[]> {
  const out: (Uint8Array | null)[] = [];
  for (const pc of v.pieces) {
    if (!pc.separated) {
      out.push(pc.bytes);
    } else if (!lv) {
      report(p.col.name, 'ese.lv.no-tree', 'error', 'the value is a separated long value but the table has no long-value tree in the catalog; exported as NULL');
      out.push(null);
    } else {
      const r = await lv.read(pc.bytes);
      if (r.ok) out.push(r.bytes);
      else {
        report(p.col.name, r.code, 'error', `${r.message}; exported as NULL`);
        out.push(null);
      }
    }
  }
  return out;
}

/** Decompresses and converts one column value (V1..V8, E4); `fetched` holds the long values read for it. */
function finishValue(p: ColumnPlan, v: ColumnValue, fetched: (Uint8Array | null)[] | null, report: Report): Converted {
  const c = p.col;
  if (v.encrypted) {
    report(c.name, 'ese.value.encrypted', 'error', 'the value is encrypted (TAGFLD_HEADER 0x40); not supported, exported as NULL');
    return { value: null };
  }
  const items: Converted[] = [];
  for (let i = 0; i < v.pieces.length; i++) {
    const pc = v.pieces[i];
    let bytes: Uint8Array | null = fetched ? fetched[i] : pc.bytes;
    if (!pc.separated && pc.compressed) {
      const r = decompress(pc.bytes);
      if (r.ok) bytes = r.bytes;
      else {
        report(c.name, r.reason === 'unsupported' ? 'ese.value.compression-unsupported' : r.reason === 'scrubbed' ? 'ese.value.scrubbed' : 'ese.value.bad-compression', 'error', `${r.message}; exported as NULL`);
        bytes = null;
      }
    }
    if (bytes === null) {
      items.push({ value: null });
      continue;
    }
    const conv = convertValue(c.coltyp, c.codepage, bytes, p.filetime);
    if (conv.kept) {
      p.keptRaw++;
      if (conv.kept === 'size-mismatch') report(c.name, 'ese.value.size-mismatch', 'warning', `${bytes.length}-byte value does not fit coltyp ${COLTYP_NAMES[c.coltyp]}; kept as a BLOB (rule V7)`);
      else if (p.keptRaw === 1) report(c.name, 'ese.value.text-kept-raw', 'info', `text that is not valid in codepage ${c.codepage} is kept as a BLOB of its bytes (rule V5); counted in _palimpsest_columns.values_kept_raw`);
    }
    items.push(conv);
  }
  if (p.multi || v.multi) {
    if (!p.multi && v.multi) report(c.name, 'ese.value.unexpected-multi', 'info', `${items.length} values stored in a column not flagged multi-valued; exported as a JSON array (rule V8)`);
    return { value: jsonArray(items), raw: null };
  }
  return items[0] ?? { value: null };
}
