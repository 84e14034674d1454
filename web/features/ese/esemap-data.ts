// Page maps and hex units of ESE files, derived in the case worker from the CaseModel (pure; no DOM).
//
//   M1 database: one cell per physical page; cell k is page k - 1 (pages -1 and 0 are the header and its shadow, as
//      esefile numbers them). Status = esefile's verdict (ok, bad checksum, correctable, wrong page number,
//      uninitialized; header/trailer pages that verify are ok); type = what PGHDR.fFlags says (pages.ts
//      ESE_PAGE_KIND), unknown for a page whose checksum fails
//   M2 log: one cell per sector; cell k is sector k (sectors 0 .. csecHeader - 1 are the header). Status from the
//      segment scan (log.ts LOG_SECTOR): ok, correctable, empty (zero), stale, shadow, bad checksum, damaged (the
//      log is unusable from there), torn (soft recovery patches it), after the break, not scanned
//   M3 hex units: a database page by its page number (-1 .. last), a log sector by its number (0 .. last, the
//      header as sector 0 with LGFILEHDR fields), a checkpoint's copies 1 and 2, a flush map's header

import type { FileModel } from '../../../workers/engine/case/model';
import type { HexField, MapInfo, PageMapData } from '../../../workers/hosts/case-api';
import { CELL_STATUS, CELL_TYPE, cellCounts } from '../../../workers/hosts/case-api';
import { PalimpsestError } from '../../../workers/engine/errors';
import { esePageTableOf, eseLogSectorsOf } from '../../../workers/engine/formats/ese/plugin';
import { PAGE_STATUS } from '../../../workers/engine/formats/ese/checksum';
import { ESE_PAGE_KIND } from '../../../workers/engine/formats/ese/pages';
import { LOG_SECTOR } from '../../../workers/engine/formats/ese/log';
import { esePageFields, eseDbHeaderFields, eseLogHeaderFields, eseLogSegmentFields, eseLegacySectorFields, eseCheckpointFields, eseFlushMapHeaderFields } from './ese-fields';

export function eseMapInfo(f: FileModel): MapInfo | null {
  if (f.kind === 'ese-database') {
    const t = esePageTableOf(f);
    return t && t.count > 0 ? { unit: 'page', count: t.count } : null;
  }
  if (f.kind === 'ese-log') {
    const l = eseLogSectorsOf(f);
    return l && l.sectors.length > 0 ? { unit: 'segment', count: l.sectors.length } : null;
  }
  return null;
}

const STATUS_OF_PAGE: Record<number, number> = {
  [PAGE_STATUS.good]: CELL_STATUS.ok, [PAGE_STATUS.header]: CELL_STATUS.ok, [PAGE_STATUS.trailer]: CELL_STATUS.ok,
  [PAGE_STATUS.uninitialized]: CELL_STATUS.uninitialized, [PAGE_STATUS.bad]: CELL_STATUS.badChecksum,
  [PAGE_STATUS.correctable]: CELL_STATUS.correctable, [PAGE_STATUS.wrongPgno]: CELL_STATUS.wrongPgno,
};

const TYPE_OF_KIND: Record<number, number> = {
  [ESE_PAGE_KIND.unknown]: CELL_TYPE.unknown, [ESE_PAGE_KIND.header]: CELL_TYPE.eseHeader, [ESE_PAGE_KIND.trailer]: CELL_TYPE.eseTrailer,
  [ESE_PAGE_KIND.zero]: CELL_TYPE.zero, [ESE_PAGE_KIND.empty]: CELL_TYPE.eseEmpty, [ESE_PAGE_KIND.spaceTree]: CELL_TYPE.eseSpaceTree,
  [ESE_PAGE_KIND.lvLeaf]: CELL_TYPE.eseLvLeaf, [ESE_PAGE_KIND.lvBranch]: CELL_TYPE.eseLvBranch, [ESE_PAGE_KIND.indexLeaf]: CELL_TYPE.eseIndexLeaf,
  [ESE_PAGE_KIND.indexBranch]: CELL_TYPE.eseIndexBranch, [ESE_PAGE_KIND.dataLeaf]: CELL_TYPE.eseDataLeaf, [ESE_PAGE_KIND.dataBranch]: CELL_TYPE.eseDataBranch,
};

const STATUS_OF_SECTOR: Record<number, number> = {
  [LOG_SECTOR.header]: CELL_STATUS.ok, [LOG_SECTOR.good]: CELL_STATUS.ok, [LOG_SECTOR.correctable]: CELL_STATUS.correctable,
  [LOG_SECTOR.empty]: CELL_STATUS.empty, [LOG_SECTOR.stale]: CELL_STATUS.stale, [LOG_SECTOR.shadow]: CELL_STATUS.shadow,
  [LOG_SECTOR.bad]: CELL_STATUS.badChecksum, [LOG_SECTOR.damaged]: CELL_STATUS.logDamaged, [LOG_SECTOR.torn]: CELL_STATUS.torn,
  [LOG_SECTOR.afterStop]: CELL_STATUS.afterBreak, [LOG_SECTOR.unscanned]: CELL_STATUS.unscanned,
  [LOG_SECTOR.fill]: CELL_STATUS.fill,
};

export function eseMapData(index: number, f: FileModel): PageMapData | null {
  if (f.kind === 'ese-database') {
    const t = esePageTableOf(f);
    if (!t) return null;
    // M1
    const n = t.count;
    const type = new Uint8Array(n);
    const status = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      status[i] = STATUS_OF_PAGE[t.status[i]] ?? CELL_STATUS.badChecksum;
      type[i] = TYPE_OF_KIND[t.kind[i]] ?? CELL_TYPE.unknown;
    }
    return { file: index, path: f.path, unit: 'page', count: n, type, status, pgno: new Uint32Array(0), owner: null, owners: [], firstIndex: -1, ...cellCounts(type, status) };
  }
  if (f.kind === 'ese-log') {
    const l = eseLogSectorsOf(f);
    if (!l) return null;
    // M2
    const n = l.sectors.length;
    const type = new Uint8Array(n);
    const status = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const k = l.sectors[i];
      type[i] = k === LOG_SECTOR.header ? CELL_TYPE.logHeader : CELL_TYPE.logSegment;
      status[i] = STATUS_OF_SECTOR[k] ?? CELL_STATUS.unscanned;
    }
    return { file: index, path: f.path, unit: 'segment', count: n, type, status, pgno: new Uint32Array(0), owner: null, owners: [], firstIndex: 0, ...cellCounts(type, status) };
  }
  return null;
}

export interface EseUnitPlan {
  offset: number;
  length: number;
  /** Lowest and highest index. */
  first: number;
  count: number;
  fields: (b: Uint8Array) => HexField[];
}

/** M3: where a hex unit of an ESE file lies, or null when the file has no such unit. */
export function eseUnit(f: FileModel, unit: string, index: number): EseUnitPlan | null {
  const ese = (f.ext as { ese?: Record<string, unknown> } | null)?.ese;
  if (f.kind === 'ese-database' && unit === 'page') {
    const ps = (ese?.pageSize as number | null | undefined) ?? null;
    if (!ps) return null;
    const last = Math.floor(f.size / ps) - 2;
    if (last < -1) return null;
    checkRange(f, 'page', index, -1, last);
    const phys = index + 1;
    return {
      offset: phys * ps, length: ps, first: -1, count: last,
      fields: (b) => (phys <= 1 ? eseDbHeaderFields(b, phys === 1) : esePageFields(b)),
    };
  }
  if (f.kind === 'ese-log' && (unit === 'segment' || unit === 'header')) {
    const h = ese?.header as { cbSec: number; csecHeader: number } | null | undefined;
    const cbSec = h && [512, 1024, 2048, 4096].includes(h.cbSec) ? h.cbSec : 4096;
    const last = Math.floor(f.size / cbSec) - 1;
    if (last < 0) return null;
    const i = unit === 'header' ? 0 : index;
    checkRange(f, 'segment', i, 0, last);
    const csecHeader = h ? Math.max(1, h.csecHeader) : 1;
    // The header spans csecHeader sectors; its fields sit in the first 4096 bytes.
    const lrck = (ese as { lrck?: { offsets: number[]; shadowOffset: number | null } | null } | undefined)?.lrck;
    return {
      offset: i * cbSec, length: cbSec, first: 0, count: last,
      fields: (b) => (i === 0 ? eseLogHeaderFields(b) : i < csecHeader ? []
        : lrck ? eseLegacySectorFields(b, i * cbSec, lrck.offsets, lrck.shadowOffset) : cbSec !== 4096 ? [] : eseLogSegmentFields(b)),
    };
  }
  if (f.kind === 'ese-checkpoint' && unit === 'header') {
    const copies = f.size >= 8192 ? 2 : f.size >= 4096 ? 1 : 0;
    if (!copies) return null;
    checkRange(f, 'copy', index, 1, copies);
    return { offset: (index - 1) * 4096, length: 4096, first: 1, count: copies, fields: eseCheckpointFields };
  }
  if (f.kind === 'ese-flush-map' && unit === 'header') {
    if (f.size < 1) return null;
    return { offset: 0, length: Math.min(8192, f.size), first: 1, count: 1, fields: eseFlushMapHeaderFields };
  }
  return null;
}

function checkRange(f: FileModel, what: string, i: number, lo: number, hi: number): void {
  if (!Number.isInteger(i) || i < lo || i > hi) throw new PalimpsestError('usage', `${what} ${i} is outside ${f.path} (${lo}..${hi})`);
}
