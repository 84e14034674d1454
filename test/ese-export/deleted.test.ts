// Deleted records (FORMAT.md T5, R1): leaf nodes ESE flagged deleted but has not yet cleaned off their page. By default
// they are counted (deleted_nodes), never exported; with `deleted` they are decoded into `<table>__deleted`, with their
// page and tag in `_palimpsest_deleted`, and the live tables stay exactly as without it.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadSqlJs, type SqlJs, type SqlJsDatabase } from './sqljs';
import { fixtureBytes } from './fixtures';
import { exportEseToSqlite, type ExportResult } from '../../workers/engine/formats/ese/edb/export';
import { PageNodes, NODE_FLAG } from '../../workers/engine/formats/ese/edb/page';
import { stampPage } from '../../workers/engine/formats/ese/checksum';
import { MemorySource } from '../../workers/engine/io';

let SQL: SqlJs;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

async function run(bytes: Uint8Array, deleted: boolean): Promise<{ r: ExportResult; db: SqlJsDatabase }> {
  const db = new SQL.Database();
  const r = await exportEseToSqlite(new MemorySource('db.edb', bytes), db, { deleted });
  return { r, db };
}
const all = (db: SqlJsDatabase, sql: string) => db.exec(sql)[0]?.values ?? [];
const liveTables = (db: SqlJsDatabase) =>
  all(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%\\_\\_deleted' ESCAPE '\\' AND name <> '_palimpsest_deleted' AND name <> '_palimpsest_tables' AND name <> '_palimpsest_export' ORDER BY name").map((v) => String(v[0]));

describe('deleted records of a real SRUM database', () => {
  // srum-rathbun/SRUDB.dat holds 41 leaf nodes flagged deleted: catalog rows of a SRUM table that was dropped and made
  // again (20 in MSysObjects, 20 in MSysObjectsShadow, 1 in MSysObjids).
  it('are counted by default and recovered, all decodable, with --deleted; the live tables do not change', async () => {
    const b = fixtureBytes('srum-rathbun/SRUDB.dat');
    const plain = await run(b, false);
    const withDeleted = await run(b, true);
    const counts = (r: ExportResult) => Object.fromEntries(r.tables.filter((t) => t.tree.deletedNodes).map((t) => [t.name, [t.tree.deletedNodes, t.deletedRows ?? null, t.deletedTable ?? null]]));
    expect(counts(plain.r)).toEqual({ MSysObjects: [20, null, null], MSysObjectsShadow: [20, null, null], MSysObjids: [1, null, null] });
    expect(counts(withDeleted.r)).toEqual({
      MSysObjects: [20, 20, 'MSysObjects__deleted'], MSysObjectsShadow: [20, 20, 'MSysObjectsShadow__deleted'], MSysObjids: [1, 1, 'MSysObjids__deleted'],
    });
    expect(withDeleted.r.tables.every((t) => !t.deletedFailed)).toBe(true);
    expect(withDeleted.r.issueCounts).toEqual(plain.r.issueCounts);
    // Every live table and the provenance: the same rows either way.
    expect(liveTables(withDeleted.db)).toEqual(liveTables(plain.db));
    for (const t of liveTables(plain.db)) expect(all(withDeleted.db, `SELECT * FROM "${t}" ORDER BY rowid`), t).toEqual(all(plain.db, `SELECT * FROM "${t}" ORDER BY rowid`));
    // The recovered catalog rows are catalog rows: a table, its columns and indexes, with names and types.
    const del = all(withDeleted.db, 'SELECT ObjidTable, Type, Id, Name FROM MSysObjects__deleted ORDER BY rowid');
    expect(del.length).toBe(20);
    expect(del.filter((r) => r[1] === 1).length).toBe(1);
    expect(del.every((r) => [1, 2, 3, 4].includes(Number(r[1])) && typeof r[3] === 'string' && (r[3] as string).length > 0)).toBe(true);
    // The shadow catalog lost the same rows.
    expect(all(withDeleted.db, 'SELECT ObjidTable, Type, Id, Name FROM MSysObjectsShadow__deleted ORDER BY ObjidTable, Type, Id')).toEqual(
      all(withDeleted.db, 'SELECT ObjidTable, Type, Id, Name FROM MSysObjects__deleted ORDER BY ObjidTable, Type, Id'),
    );
    // Provenance: page and tag of each, each a node with the deleted flag.
    const prov = all(withDeleted.db, "SELECT sqlite_table, row_id, page, tag, node_flags FROM _palimpsest_deleted WHERE source_table = 'MSysObjects' ORDER BY row_id");
    expect(prov.map((r) => r[1])).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(prov.every((r) => r[0] === 'MSysObjects__deleted' && (Number(r[4]) & NODE_FLAG.deleted) !== 0)).toBe(true);
    const pages = new Map<number, PageNodes>();
    for (const [, , pg, tag] of prov as number[][]) {
      if (!pages.has(pg)) pages.set(pg, new PageNodes(b.subarray((pg + 1) * 4096, (pg + 2) * 4096)));
      expect(pages.get(pg)!.nodes.find((n) => n.tag === tag)!.flags & NODE_FLAG.deleted).toBe(NODE_FLAG.deleted);
    }
    plain.db.close();
    withDeleted.db.close();
  });
});

describe('a live record flagged deleted', () => {
  // plaso/Catalog1.edb, table "namespace" (1373 rows); page 118 is one of its leaves. Set the deleted flag of one
  // node there (4 KiB pages keep node flags in the tag's top bits) and re-stamp the page checksum, as ESE itself
  // would leave a deleted record before cleanup.
  it('leaves the table and comes back, value for value, in namespace__deleted', async () => {
    const b = fixtureBytes('plaso/Catalog1.edb').slice();
    const before = await run(b, false);
    const off = 119 * 4096;
    const page = new PageNodes(b.subarray(off, off + 4096));
    const n = page.nodes[5];
    expect(n.flags & NODE_FLAG.deleted).toBe(0);
    const rowOf = (db: SqlJsDatabase) => all(db, `SELECT t.* FROM namespace t JOIN _palimpsest_provenance p ON p.source_table = 'namespace' AND p.row_id = t.rowid WHERE p.page = 118 AND p.tag = ${n.tag}`);
    const original = rowOf(before.db);
    expect(original.length).toBe(1);
    const tagAt = off + 4096 - 4 * (n.tag + 1);
    const dv = new DataView(b.buffer, b.byteOffset);
    dv.setUint16(tagAt + 2, dv.getUint16(tagAt + 2, true) | (NODE_FLAG.deleted << 13), true);
    stampPage(b.subarray(off, off + 4096), 118);

    const plain = await run(b, false);
    expect(plain.r.tables.find((t) => t.name === 'namespace')!.rows).toBe(1372);
    expect(plain.r.tables.find((t) => t.name === 'namespace')!.tree.deletedNodes).toBe(1);
    expect(plain.r.issueCounts.error + plain.r.issueCounts.warning).toBe(0);
    expect(all(plain.db, "SELECT count(*) FROM sqlite_master WHERE name = 'namespace__deleted'")[0][0]).toBe(0);

    const rec = await run(b, true);
    const t = rec.r.tables.find((x) => x.name === 'namespace')!;
    expect([t.rows, t.deletedRows, t.deletedTable]).toEqual([1372, 1, 'namespace__deleted']);
    expect(all(rec.db, 'SELECT * FROM namespace__deleted')).toEqual(original);
    expect(all(rec.db, "SELECT page, tag FROM _palimpsest_deleted WHERE source_table = 'namespace'")).toEqual([[118, n.tag]]);
    for (const x of [before, plain, rec]) x.db.close();
  });
});
