// The catalog: MSysObjects (FDP page 4, objid 2) and its copy MSysObjectsShadow (FDP page 24) (FORMAT.md §4;
// ese-formats.md §6.1, §8; MS-ESE cat.hxx; libesedb-doc "Catalog"). Its records use the ordinary record format with
// a schema fixed in the engine (the columns below), keyed (ObjidTable, Type, Id/Name).
//
// Catalog rules, numbered as FORMAT.md numbers them:
//   K1 Type 1 table (Id = objid, ColtypOrPgnoFDP = pgnoFDP, TemplateTable = template name), 2 column (Id = column id,
//      ColtypOrPgnoFDP = JET_coltyp, SpaceUsage = max size, Flags, PagesOrLocale = codepage, RecordOffset,
//      DefaultValue), 3 index (Id = objid, ColtypOrPgnoFDP = pgnoFDP, PagesOrLocale = LCID, KeyFldIDs), 4 long-value
//      tree (Id = objid, ColtypOrPgnoFDP = pgnoFDP), 5 callback; rows belong to the table whose ObjidTable they carry
//   K2 a column id is 1..127 (fixed), 128..255 (variable) or >= 256 (tagged); a fixed column's RecordOffset and size
//      lie inside a record; a coltyp outside 0..17 is exported as raw bytes
//   K3 a table derived from a template (TemplateTable set) has the template's columns first (tagged ones marked
//      derived, R5), then its own
//   K4 rows lost from MSysObjects (damaged pages, undecodable records) are taken from MSysObjectsShadow; a row present
//      in both is taken from MSysObjects

import { hex, u16le, u32le } from '../../../io';
import { walkLeaves, liveNodes, newTreeStats, type TreeRef, type TreeStats } from './btree';
import { isSmallPage, PAGE_FLAG } from './page';
import type { EdbPages, IssueSink } from './file';
import { decodeRecord, buildRecordSchema, type ColumnDef, COLTYP, isFixedId, isTaggedId, fixedSize } from './record';

export const CATALOG_FDP = 4;
export const CATALOG_OBJID = 2;
export const SHADOW_CATALOG_FDP = 24;

export const SYSOBJ = { table: 1, column: 2, index: 3, longValue: 4, callback: 5 } as const;

function cat(id: number, name: string, coltyp: number, recordOffset = 0): ColumnDef {
  return { id, name, coltyp, flags: 0, codepage: 1252, spaceUsage: 0, recordOffset, fromTemplate: false, defaultValue: null };
}

/** The MSysObjects schema (cat.hxx rgcdescMSO; fixed offsets follow from the sizes, starting after the header). */
export const CATALOG_COLUMNS: ColumnDef[] = (() => {
  const fixed: Array<[number, string, number]> = [
    [1, 'ObjidTable', COLTYP.long], [2, 'Type', COLTYP.short], [3, 'Id', COLTYP.long], [4, 'ColtypOrPgnoFDP', COLTYP.long],
    [5, 'SpaceUsage', COLTYP.long], [6, 'Flags', COLTYP.long], [7, 'PagesOrLocale', COLTYP.long], [8, 'RootFlag', COLTYP.bit],
    [9, 'RecordOffset', COLTYP.short], [10, 'LCMapFlags', COLTYP.long], [11, 'KeyMost', COLTYP.unsignedShort],
    [12, 'LVChunkMax', COLTYP.long],
  ];
  const out: ColumnDef[] = [];
  let off = 4;
  for (const [id, name, t] of fixed) {
    const c = cat(id, name, t, off);
    off += fixedSize(c);
    out.push(c);
  }
  const rest: Array<[number, string, number]> = [
    [128, 'Name', COLTYP.text], [129, 'Stats', COLTYP.binary], [130, 'TemplateTable', COLTYP.text], [131, 'DefaultValue', COLTYP.binary],
    [132, 'KeyFldIDs', COLTYP.binary], [133, 'VarSegMac', COLTYP.binary], [134, 'ConditionalColumns', COLTYP.binary],
    [135, 'TupleLimits', COLTYP.binary], [136, 'Version', COLTYP.binary], [137, 'SortID', COLTYP.binary],
    [256, 'CallbackData', COLTYP.longBinary], [257, 'CallbackDependencies', COLTYP.longBinary], [258, 'SeparateLV', COLTYP.longBinary],
    [259, 'SpaceHints', COLTYP.longBinary], [260, 'SpaceDeferredLVHints', COLTYP.longBinary], [261, 'LocaleName', COLTYP.longBinary],
  ];
  for (const [id, name, t] of rest) out.push(cat(id, name, t));
  return out;
})();

const CATALOG_SCHEMA = buildRecordSchema(CATALOG_COLUMNS);

export interface CatalogRow {
  objidTable: number;
  type: number;
  id: number;
  coltypOrPgnoFDP: number;
  spaceUsage: number;
  flags: number;
  pagesOrLocale: number;
  recordOffset: number;
  lvChunkMax: number;
  name: string;
  templateTable: string | null;
  defaultValue: Uint8Array | null;
  keyFldIds: Uint8Array | null;
  /** Where the row was read: catalog tree, page and tag. */
  source: 'MSysObjects' | 'MSysObjectsShadow';
  page: number;
  tag: number;
}

export interface IndexDef {
  objid: number;
  name: string;
  pgnoFDP: number;
  flags: number;
  lcid: number;
  /** Key column ids with their direction ('+'/'-'), from KeyFldIDs. */
  keyColumns: string[];
}

export interface TableDef {
  objid: number;
  name: string;
  pgnoFDP: number;
  flags: number;
  templateName: string | null;
  columns: ColumnDef[];
  indexes: IndexDef[];
  lv: TreeRef | null;
  /** Catalog rows of this table: where its definition came from. */
  source: CatalogRow['source'];
}

export interface Catalog {
  tables: TableDef[];
  rows: CatalogRow[];
  stats: { main: TreeStats; shadow: TreeStats | null; rowsFromShadow: number; badRows: number };
}

const latin1 = new TextDecoder('windows-1252');

function int32(b: Uint8Array | undefined): number {
  if (!b || b.length < 4) return 0;
  return u32le(b, 0) | 0;
}

async function readCatalogTree(pages: EdbPages, t: TreeRef, source: CatalogRow['source'], issues: IssueSink, stats: TreeStats, signal?: AbortSignal): Promise<{ rows: CatalogRow[]; bad: number }> {
  const rows: CatalogRow[] = [];
  let bad = 0;
  const small = isSmallPage(pages.cbPage);
  for await (const leaf of walkLeaves(pages, t, issues, stats, signal)) {
    const newFormat = (leaf.nodes.header.flags & PAGE_FLAG.newRecordFormat) !== 0;
    for (const n of liveNodes(leaf, stats)) {
      const rec = leaf.nodes.data(n);
      const d = decodeRecord(rec, CATALOG_SCHEMA, small, newFormat);
      const v = (i: number) => d.values[i]?.pieces[0]?.bytes;
      const objidTable = int32(v(0));
      const typeB = v(1);
      const type = typeB && typeB.length >= 2 ? u16le(typeB, 0) : 0;
      const nameB = v(12);
      if (d.problems.length || !objidTable || !type || !nameB) {
        bad++;
        issues.push({
          code: 'ese.catalog.bad-row', severity: 'error', file: pages.src.name, offset: leaf.offset, page: leaf.pgno,
          message: `${source} page ${leaf.pgno} tag ${n.tag}: catalog row cannot be decoded${d.problems.length ? ': ' + d.problems.join('; ') : ' (no objid, type or name)'}`,
        });
        continue;
      }
      const recOffB = v(8);
      const tmpl = v(14);
      rows.push({
        objidTable, type,
        id: int32(v(2)),
        coltypOrPgnoFDP: int32(v(3)),
        spaceUsage: int32(v(4)),
        flags: int32(v(5)),
        pagesOrLocale: int32(v(6)),
        recordOffset: recOffB && recOffB.length >= 2 ? u16le(recOffB, 0) : 0,
        lvChunkMax: int32(v(11)),
        name: latin1.decode(nameB),
        templateTable: tmpl && tmpl.length ? latin1.decode(tmpl).replace(/\0+$/, '') : null,
        defaultValue: v(15) ? v(15)!.slice() : null,
        keyFldIds: v(16) ? v(16)!.slice() : null,
        source, page: leaf.pgno, tag: n.tag,
      });
    }
  }
  return { rows, bad };
}

const rowKey = (r: CatalogRow) => `${r.objidTable}/${r.type}/${r.type === SYSOBJ.index ? r.name : r.id}`;

/** Reads the catalog (K1..K4). */
export async function readCatalog(pages: EdbPages, issues: IssueSink, signal?: AbortSignal): Promise<Catalog> {
  const file = pages.src.name;
  const mainStats = newTreeStats();
  const main = await readCatalogTree(pages, { what: 'MSysObjects', pgnoFDP: CATALOG_FDP, objid: CATALOG_OBJID }, 'MSysObjects', issues, mainStats, signal);
  let rows = main.rows;
  let shadowStats: TreeStats | null = null;
  let fromShadow = 0;
  // K4: consult the shadow when the main catalog lost anything.
  if (mainStats.lostSubtrees || mainStats.badNodes || main.bad || rows.length === 0) {
    const shadowRow = rows.find((r) => r.type === SYSOBJ.table && r.name === 'MSysObjectsShadow');
    let shadowRef: TreeRef | null = shadowRow ? { what: 'MSysObjectsShadow', pgnoFDP: shadowRow.coltypOrPgnoFDP, objid: shadowRow.id } : null;
    if (!shadowRef) {
      const r = await pages.page(SHADOW_CATALOG_FDP);
      if (r.bytes && u32le(r.bytes, 36) & PAGE_FLAG.root) shadowRef = { what: 'MSysObjectsShadow', pgnoFDP: SHADOW_CATALOG_FDP, objid: u32le(r.bytes, 24) };
    }
    if (shadowRef) {
      shadowStats = newTreeStats();
      const sh = await readCatalogTree(pages, shadowRef, 'MSysObjectsShadow', issues, shadowStats, signal);
      const have = new Set(rows.map(rowKey));
      const merged = rows.slice();
      for (const r of sh.rows) {
        if (have.has(rowKey(r))) continue;
        have.add(rowKey(r));
        merged.push(r);
        fromShadow++;
      }
      rows = merged;
      if (fromShadow) {
        issues.push({
          code: 'ese.catalog.from-shadow', severity: 'warning', file, offset: pages.offsetOf(shadowRef.pgnoFDP), page: shadowRef.pgnoFDP,
          message: `${fromShadow} catalog rows lost from MSysObjects were taken from MSysObjectsShadow`,
        });
      }
    } else {
      issues.push({
        code: 'ese.catalog.no-shadow', severity: 'warning', file, offset: null,
        message: 'MSysObjects is damaged and MSysObjectsShadow cannot be found; tables defined in the lost part are not exported',
      });
    }
  }
  return { tables: buildTables(rows, issues, file, pages.cbPage), rows, stats: { main: mainStats, shadow: shadowStats, rowsFromShadow: fromShadow, badRows: main.bad } };
}

function keyColumns(b: Uint8Array | null): string[] {
  if (!b) return [];
  const out: string[] = [];
  // LE_IDXSEG (daedef.hxx): u8 flags (0x40 descending, 0x80 template column), u8 reserved, u16 fid;
  // IDXSEG_OLD: a signed 16-bit fid, negative = descending.
  if (b.length % 4 === 0) {
    for (let i = 0; i + 4 <= b.length; i += 4) out.push(`${b[i] & 0x40 ? '-' : '+'}${u16le(b, i + 2)}`);
  } else {
    for (let i = 0; i + 2 <= b.length; i += 2) {
      const f = (u16le(b, i) << 16) >> 16;
      out.push(`${f < 0 ? '-' : '+'}${Math.abs(f)}`);
    }
  }
  return out;
}

/**
 * K2: the catalog's own column rows carry RecordOffset 4 for every fixed column (MSysObjects is defined in code,
 * cat.hxx), so its layout comes from CATALOG_COLUMNS; any other table whose fixed columns overlap gets offsets laid
 * out in column-id order, with an issue.
 */
function fixOffsets(t: TableDef, issues: IssueSink, file: string): void {
  const fixed = t.columns.filter((c) => isFixedId(c.id));
  if (t.objid === CATALOG_OBJID || t.name === 'MSysObjects' || t.name === 'MSysObjectsShadow') {
    for (const c of fixed) {
      const def = CATALOG_COLUMNS.find((d) => d.id === c.id);
      if (def) c.recordOffset = def.recordOffset;
    }
    return;
  }
  let overlap = false;
  const sorted = fixed.slice().sort((a, b) => a.recordOffset - b.recordOffset);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].recordOffset < sorted[i - 1].recordOffset + fixedSize(sorted[i - 1])) overlap = true;
  }
  if (!overlap) return;
  let off = 4;
  for (const c of fixed) {
    c.recordOffset = off;
    off += fixedSize(c);
  }
  issues.push({ code: 'ese.catalog.overlapping-columns', severity: 'warning', file, offset: null, message: `table "${t.name}": fixed columns overlap by their RecordOffset; laid out in column-id order instead (rule K2)` });
}

function buildTables(rows: CatalogRow[], issues: IssueSink, file: string, cbPage: number): TableDef[] {
  const byObjid = new Map<number, TableDef>();
  const order: TableDef[] = [];
  for (const r of rows) {
    if (r.type !== SYSOBJ.table) continue;
    if (byObjid.has(r.objidTable)) continue;
    const t: TableDef = {
      objid: r.objidTable, name: r.name, pgnoFDP: r.coltypOrPgnoFDP, flags: r.flags, templateName: r.templateTable,
      columns: [], indexes: [], lv: null, source: r.source,
    };
    byObjid.set(r.objidTable, t);
    order.push(t);
  }
  const maxRecord = cbPage;
  for (const r of rows) {
    const t = byObjid.get(r.objidTable);
    if (!t) {
      if (r.type !== SYSOBJ.table) {
        issues.push({
          code: 'ese.catalog.orphan-row', severity: 'warning', file, offset: null, page: r.page,
          message: `catalog row "${r.name}" (type ${r.type}) at page ${r.page} tag ${r.tag} belongs to objid ${r.objidTable}, which has no table row`,
        });
      }
      continue;
    }
    if (r.type === SYSOBJ.column) {
      // K2
      const c: ColumnDef = {
        id: r.id, name: r.name, coltyp: r.coltypOrPgnoFDP, flags: r.flags, codepage: r.pagesOrLocale,
        spaceUsage: r.spaceUsage, recordOffset: r.recordOffset, fromTemplate: false, defaultValue: r.defaultValue,
      };
      if (r.id < 1 || r.id > 0xffff) {
        issues.push({ code: 'ese.catalog.bad-column', severity: 'error', file, offset: null, page: r.page, message: `table "${t.name}": column "${r.name}" has id ${r.id}, outside 1..65535; skipped` });
        continue;
      }
      if (isFixedId(c.id) && (c.recordOffset < 4 || c.recordOffset + fixedSize(c) > maxRecord)) {
        issues.push({ code: 'ese.catalog.bad-column', severity: 'error', file, offset: null, page: r.page, message: `table "${t.name}": fixed column "${r.name}" has RecordOffset ${c.recordOffset} (size ${fixedSize(c)}), outside a record; skipped` });
        continue;
      }
      t.columns.push(c);
    } else if (r.type === SYSOBJ.index) {
      t.indexes.push({ objid: r.id, name: r.name, pgnoFDP: r.coltypOrPgnoFDP, flags: r.flags, lcid: r.pagesOrLocale, keyColumns: keyColumns(r.keyFldIds) });
    } else if (r.type === SYSOBJ.longValue) {
      if (!t.lv) t.lv = { what: `long values of "${t.name}"`, pgnoFDP: r.coltypOrPgnoFDP, objid: r.id };
    }
  }
  for (const t of order) {
    t.columns.sort((a, b) => a.id - b.id);
    fixOffsets(t, issues, file);
  }
  // K3
  const byName = new Map(order.map((t) => [t.name, t]));
  for (const t of order) {
    if (!t.templateName) continue;
    const tpl = byName.get(t.templateName);
    if (!tpl || tpl === t) {
      issues.push({ code: 'ese.catalog.missing-template', severity: 'error', file, offset: null, message: `table "${t.name}" is derived from template "${t.templateName}", which is not in the catalog; only its own columns are exported` });
      continue;
    }
    const inherited = tpl.columns.map((c) => ({ ...c, fromTemplate: isTaggedId(c.id) }));
    t.columns = [...inherited, ...t.columns];
  }
  for (const t of order) {
    if (t.pgnoFDP < 1) {
      issues.push({ code: 'ese.catalog.bad-table', severity: 'error', file, offset: null, message: `table "${t.name}" has pgnoFDP ${t.pgnoFDP} (${hex(t.pgnoFDP)}); it cannot be read` });
    }
  }
  return order;
}
