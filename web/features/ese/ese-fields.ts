// Field maps for the hex view of ESE files: the database header (DBFILEHDR), a database page (PGHDR/PGHDR2, the
// external header, nodes and the tag array), a log header (LGFILEHDR) and a log segment (LGSEGHDR), a checkpoint
// copy (CHECKPOINT) and a flush map header. Layouts and names from MS-ESE (daedef.hxx DBFILEHDR, cpage.hxx PGHDR,
// log.hxx LGFILEHDR / CHECKPOINT_FIXED, _logstream.hxx LGSEGHDR, flushmap.hxx) as FORMAT.md §S..§F and
// edb/FORMAT.md §2 describe them. Pure functions over bytes; they run in the case worker.
//
// Rules (the SQLite maps' rules, fields.ts):
//   H1 every field lies inside the bytes given; lengths read from the bytes are clipped to them
//   H2 `key` names the field for the message tables (terms.ts, f.ese.*); `value` is language-neutral
//   H3 deeper fields sit inside shallower ones; the list is sorted by start, then depth
//   X1 a page's nodes are located with the export's own page reader (edb/page.ts PageNodes, rules P5..P7): a tag
//      that fails them is shown as a tag, without a node

import type { HexField } from '../../../workers/hosts/case-api';
import {
  u8at, u16at, u32at, i32at, u64at, readLgpos, readLogTime, readSignature, readCString, readAttachList, formatLgpos,
  formatLogTime, formatSignature,
} from '../../../workers/engine/formats/ese/structs';
import { stateWord } from '../../../workers/engine/formats/ese/header';
import { readLrck, isFillSector, LRCK_SIZE, LRTYP_CHECKSUM, LRCK_SHORT_ON, LRCK_SHORT_OFF } from '../../../workers/engine/formats/ese/log-legacy';
import { PageNodes, isSmallPage, PGHDR_SIZE, PGHDR2_SIZE, PAGE_FLAG, NODE_FLAG } from '../../../workers/engine/formats/ese/edb/page';

const hx = (n: number, w = 8) => '0x' + (n >>> 0).toString(16).padStart(w, '0');
const hx64 = (b: Uint8Array, o: number) => '0x' + u32at(b, o + 4).toString(16).padStart(8, '0') + u32at(b, o).toString(16).padStart(8, '0');
const lgpos = (b: Uint8Array, o: number) => formatLgpos(readLgpos(b, o));
const logtime = (b: Uint8Array, o: number) => formatLogTime(readLogTime(b, o));
const sig = (b: Uint8Array, o: number) => formatSignature(readSignature(b, o));
const num = (b: Uint8Array, o: number) => String(u32at(b, o));
const int = (b: Uint8Array, o: number) => String(i32at(b, o));

class Fields {
  readonly out: HexField[] = [];
  constructor(private readonly len: number) {}
  add(start: number, size: number, key: string, value: string, depth = 0, n?: number): void {
    // H1
    const s = Math.max(0, start);
    const e = Math.min(this.len, start + size);
    if (e <= s) return;
    const f: HexField = { start: s, end: e, key, value, depth };
    if (n !== undefined) f.n = n;
    this.out.push(f);
  }
  /** H3 */
  sorted(): HexField[] {
    return this.out.sort((a, b) => a.start - b.start || a.depth - b.depth || b.end - a.end);
  }
}

type Row = [number, number, string, (b: Uint8Array, o: number) => string];

const FILETYPES: Record<number, string> = { 0: 'unknown (0)', 1: 'database', 2: 'streaming file', 3: 'log', 4: 'checkpoint', 5: 'temporary database', 7: 'flush map' };
const filetype = (b: Uint8Array, o: number) => FILETYPES[u32at(b, o)] ?? String(u32at(b, o));

/** DBFILEHDR (daedef.hxx; FORMAT.md §D). The fields eseutil /mh prints, at their offsets. */
const DB_HEADER: Row[] = [
  [0, 4, 'f.ese.checksum', (b, o) => hx(u32at(b, o))],
  [4, 4, 'f.ese.magic', (b, o) => hx(u32at(b, o))],
  [8, 4, 'f.ese.formatVersion', (b, o) => hx(u32at(b, o), 0)],
  [12, 4, 'f.ese.attrib', int],
  [16, 8, 'f.ese.dbtime', (b, o) => u64at(b, o)],
  [24, 28, 'f.ese.signDb', sig],
  [52, 4, 'f.ese.dbstate', (b, o) => `${u32at(b, o)} (${stateWord(u32at(b, o))})`],
  [56, 8, 'f.ese.lgposConsistent', lgpos],
  [64, 8, 'f.ese.logtimeConsistent', logtime],
  [72, 8, 'f.ese.logtimeAttach', logtime],
  [80, 8, 'f.ese.lgposAttach', lgpos],
  [88, 8, 'f.ese.logtimeDetach', logtime],
  [96, 8, 'f.ese.lgposDetach', lgpos],
  [104, 4, 'f.ese.dbid', num],
  [108, 28, 'f.ese.signLog', sig],
  [136, 24, 'f.ese.bkinfoFullPrev', (b, o) => lgpos(b, o)],
  [160, 24, 'f.ese.bkinfoIncPrev', (b, o) => lgpos(b, o)],
  [184, 24, 'f.ese.bkinfoFullCur', (b, o) => lgpos(b, o)],
  [208, 4, 'f.ese.dbFlags', (b, o) => `${hx(u32at(b, o))}${u32at(b, o) & 1 ? ' (shadowing off)' : ''}`],
  [212, 4, 'f.ese.objidLast', num],
  [216, 16, 'f.ese.osVersion', (b, o) => `${u32at(b, o)}.${u32at(b, o + 4)}.${u32at(b, o + 8)} SP ${u32at(b, o + 12)}`],
  [232, 4, 'f.ese.updateMajor', num],
  [236, 4, 'f.ese.cbPage', num],
  [240, 4, 'f.ese.repairCount', num],
  [244, 8, 'f.ese.logtimeRepair', logtime],
  [280, 8, 'f.ese.dbtimeLastScrub', (b, o) => u64at(b, o)],
  [288, 8, 'f.ese.logtimeScrub', logtime],
  [296, 4, 'f.ese.genMinRequired', int],
  [300, 4, 'f.ese.genMaxRequired', int],
  [340, 4, 'f.ese.createVersion', (b, o) => hx(u32at(b, o), 0)],
  [344, 4, 'f.ese.createUpdate', num],
  [348, 8, 'f.ese.logtimeGenMaxCreate', logtime],
  [416, 4, 'f.ese.genMaxCommitted', int],
  [540, 4, 'f.ese.extendCount', num],
  [584, 28, 'f.ese.signDbHdrFlush', sig],
  [612, 28, 'f.ese.signFlushMapHdrFlush', sig],
  [640, 4, 'f.ese.genMinConsistent', int],
  [644, 4, 'f.ese.updateMinor', num],
  [656, 8, 'f.ese.lgposLastResize', lgpos],
  [667, 4, 'f.ese.filetype', filetype],
  [672, 8, 'f.ese.logtimeGenMaxRequired', logtime],
];

const DBFILEHDR_SIZE = 748;

/** Physical page 0 or 1: the database header or its shadow. */
export function eseDbHeaderFields(b: Uint8Array, shadow: boolean): HexField[] {
  const fs = new Fields(b.length);
  fs.add(0, DBFILEHDR_SIZE, shadow ? 'f.ese.shadowHeader' : 'f.ese.dbHeader', shadow ? 'DBFILEHDR (shadow)' : 'DBFILEHDR', 0);
  for (const [o, n, key, val] of DB_HEADER) if (o + n <= b.length) fs.add(o, n, key, val(b, o), 1);
  return fs.sorted();
}

const FLAG_NAMES: Array<[number, string]> = [
  [PAGE_FLAG.root, 'root'], [PAGE_FLAG.leaf, 'leaf'], [PAGE_FLAG.parentOfLeaf, 'parent of leaf'], [PAGE_FLAG.empty, 'empty'],
  [PAGE_FLAG.repair, 'repair'], [PAGE_FLAG.spaceTree, 'space tree'], [PAGE_FLAG.index, 'index'], [PAGE_FLAG.longValue, 'long value'],
  [PAGE_FLAG.nonUniqueKeys, 'non-unique keys'], [PAGE_FLAG.newRecordFormat, 'new record format'],
  [PAGE_FLAG.newChecksumFormat, 'new checksum format'], [PAGE_FLAG.scrubbed, 'scrubbed'],
];

export function pageFlagNames(flags: number): string {
  return FLAG_NAMES.filter(([bit]) => flags & bit).map(([, n]) => n).join(', ');
}

/** A database page (pgno >= 1): PGHDR (+PGHDR2 on 16/32 KiB pages), external header, nodes, free space, tags. */
export function esePageFields(b: Uint8Array): HexField[] {
  const cb = b.length;
  const fs = new Fields(cb);
  const small = isSmallPage(cb);
  const hdr = small ? PGHDR_SIZE : PGHDR2_SIZE;
  const flags = u32at(b, 36);
  fs.add(0, hdr, 'f.ese.pageHeader', small ? 'PGHDR' : 'PGHDR2', 0);
  const newFormat = (flags & PAGE_FLAG.newChecksumFormat) !== 0;
  fs.add(0, 8, 'f.ese.pageChecksum', newFormat ? `ECC ${hx(u32at(b, 4))} XOR ${hx(u32at(b, 0))}` : `${hx(u32at(b, 0))}, pgno ${u32at(b, 4)}`, 1);
  fs.add(8, 8, 'f.ese.dbtimeDirtied', u64at(b, 8), 1);
  fs.add(16, 4, 'f.ese.pgnoPrev', num(b, 16), 1);
  fs.add(20, 4, 'f.ese.pgnoNext', num(b, 20), 1);
  fs.add(24, 4, 'f.ese.objidFDP', num(b, 24), 1);
  fs.add(28, 2, 'f.ese.cbFree', String(u16at(b, 28)), 1);
  fs.add(30, 2, 'f.ese.cbUncommittedFree', String(u16at(b, 30)), 1);
  fs.add(32, 2, 'f.ese.ibMicFree', String(u16at(b, 32)), 1);
  const itagState = u16at(b, 34);
  fs.add(34, 2, 'f.ese.itagState', `itagMicFree ${itagState & 0x0fff}, ctagReserved ${((itagState >> 12) & 7) || 1}`, 1);
  fs.add(36, 4, 'f.ese.pageFlags', `${hx(flags)} (${pageFlagNames(flags) || '-'})`, 1);
  if (!small) {
    for (let i = 0; i < 3; i++) fs.add(40 + 8 * i, 8, 'f.ese.blockChecksum', hx64(b, 40 + 8 * i), 1, i + 1);
    fs.add(64, 4, 'f.ese.pgnoLarge', num(b, 64), 1);
    fs.add(68, 12, 'f.ese.pghdr2Reserved', '', 1);
  }
  if (cb < hdr + 4 || b.every((x) => x === 0)) return fs.sorted();
  // X1
  const p = new PageNodes(b);
  const mask = small ? 0x1fff : 0x7fff;
  const itagMicFree = p.header.itagMicFree;
  const tagArrayStart = cb - 4 * itagMicFree;
  if (!p.tagArrayBad) {
    const ib0 = u16at(b, cb - 2) & mask;
    const cb0 = u16at(b, cb - 4) & mask;
    fs.add(hdr + ib0, cb0, 'f.ese.externalHeader', p.header.flags & PAGE_FLAG.root ? 'space header' : `key prefix, ${cb0} B`, 0);
    for (const n of p.nodes) {
      const start = n.flags & NODE_FLAG.compressed ? n.suffixStart - 4 : n.suffixStart - 2;
      const fl = [n.flags & NODE_FLAG.version ? 'version' : '', n.flags & NODE_FLAG.deleted ? 'deleted' : '', n.flags & NODE_FLAG.compressed ? 'prefix-compressed' : '']
        .filter(Boolean).join(', ');
      fs.add(start, n.dataEnd - start, 'f.ese.node', `${n.dataEnd - start} B${fl ? ` (${fl})` : ''}`, 0, n.tag);
      if (n.flags & NODE_FLAG.compressed) fs.add(start, 2, 'f.ese.prefixUsed', String(n.prefixLen), 1);
      fs.add(n.suffixStart - 2, 2, 'f.ese.suffixSize', String(n.suffixLen), 1);
      fs.add(n.suffixStart, n.suffixLen, 'f.ese.keySuffix', `${n.suffixLen} B`, 1);
      fs.add(n.dataStart, n.dataEnd - n.dataStart, 'f.ese.nodeData', `${n.dataEnd - n.dataStart} B`, 1);
    }
    const free = hdr + u16at(b, 32);
    if (free < tagArrayStart) fs.add(free, tagArrayStart - free, 'f.unallocated', `${tagArrayStart - free} B`, 0);
    fs.add(tagArrayStart, cb - tagArrayStart, 'f.ese.tagArray', `${itagMicFree} tags`, 0);
    for (let t = 0; t < itagMicFree; t++) {
      const o = cb - 4 * (t + 1);
      const cbRaw = u16at(b, o);
      const ibRaw = u16at(b, o + 2);
      fs.add(o, 4, 'f.ese.tag', `cb ${cbRaw & mask}, ib ${ibRaw & mask}${small && ibRaw >> 13 ? `, flags ${ibRaw >> 13}` : ''}`, 1, t);
    }
  }
  return fs.sorted();
}

/** LGFILEHDR (log.hxx; FORMAT.md §L) and its attachment list. */
const LOG_HEADER: Row[] = [
  [0, 4, 'f.ese.checksum', (b, o) => hx(u32at(b, o))],
  [4, 4, 'f.ese.generation', (b, o) => `${i32at(b, o)} (0x${(i32at(b, o) >>> 0).toString(16).toUpperCase()})`],
  [8, 2, 'f.ese.cbSec', (b, o) => String(u16at(b, o))],
  [10, 2, 'f.ese.csecHeader', (b, o) => String(u16at(b, o))],
  [12, 2, 'f.ese.csecLGFile', (b, o) => String(u16at(b, o))],
  [14, 2, 'f.ese.cbPage', (b, o) => String(u16at(b, o))],
  [16, 8, 'f.ese.tmCreate', logtime],
  [24, 8, 'f.ese.tmPrevGen', logtime],
  [32, 4, 'f.ese.versionMajor', num],
  [36, 4, 'f.ese.versionMinor', num],
  [40, 4, 'f.ese.updateMajor', num],
  [44, 28, 'f.ese.signLog', sig],
  [639, 1, 'f.ese.logFlags', (b, o) => hx(u8at(b, o), 2)],
  [640, 8, 'f.ese.lgposCheckpoint', lgpos],
  [648, 4, 'f.ese.updateMinor', num],
  [652, 1, 'f.ese.diskSecSizeMismatch', (b, o) => String(u8at(b, o))],
  [653, 8, 'f.ese.checksumPrevLog', (b, o) => hx64(b, o)],
  [661, 4, 'f.ese.engineVersion', num],
  [667, 4, 'f.ese.filetype', filetype],
];

function dbmsParamFields(fs: Fields, b: Uint8Array, o: number, depth: number): void {
  fs.add(o, 567, 'f.ese.dbmsParam', 'DBMS_PARAM', depth);
  fs.add(o, 261, 'f.ese.systemPath', JSON.stringify(readCString(b, o, 261)), depth + 1);
  fs.add(o + 261, 261, 'f.ese.logFilePath', JSON.stringify(readCString(b, o + 261, 261)), depth + 1);
  fs.add(o + 522, 1, 'f.ese.circularLogging', u8at(b, o + 522) & 1 ? 'on' : 'off', depth + 1);
}

function attachFields(fs: Fields, b: Uint8Array, o: number, size: number): void {
  const list = readAttachList(b, o, Math.min(size, Math.max(0, b.length - o)));
  fs.add(o, size, 'f.ese.attachList', `${list.entries.length}`, 0);
  for (const a of list.entries) {
    fs.add(o + a.offset, 64 + Math.max(0, u16at(b, o + a.offset + 2)), 'f.ese.attachment', `${a.names[0] ?? ''}`, 1, a.dbid);
    fs.add(o + a.offset + 20, 8, 'f.ese.lgposAttach', formatLgpos(a.lgposAttach), 2);
    fs.add(o + a.offset + 28, 8, 'f.ese.lgposConsistent', formatLgpos(a.lgposConsistent), 2);
    fs.add(o + a.offset + 36, 28, 'f.ese.signDb', formatSignature(a.signDb), 2);
  }
}

export function eseLogHeaderFields(b: Uint8Array): HexField[] {
  const fs = new Fields(b.length);
  fs.add(0, 671, 'f.ese.logHeader', 'LGFILEHDR', 0);
  for (const [o, n, key, val] of LOG_HEADER) if (o + n <= b.length) fs.add(o, n, key, val(b, o), 1);
  dbmsParamFields(fs, b, 72, 1);
  attachFields(fs, b, 671, 2048);
  return fs.sorted();
}

/** LGSEGHDR (_logstream.hxx) of a v8 log segment, then its log records. */
export function eseLogSegmentFields(b: Uint8Array): HexField[] {
  const fs = new Fields(b.length);
  fs.add(0, 40, 'f.ese.segmentHeader', 'LGSEGHDR', 0);
  fs.add(0, 8, 'f.ese.pageChecksum', `ECC ${hx(u32at(b, 4))} XOR ${hx(u32at(b, 0))}`, 1);
  fs.add(8, 8, 'f.ese.lgposSegment', lgpos(b, 8), 1);
  fs.add(16, 8, 'f.ese.logtimeSegmentStart', logtime(b, 16), 1);
  fs.add(24, 12, 'f.ese.reserved', '', 1);
  fs.add(36, 4, 'f.ese.pageFlags', hx(u32at(b, 36)), 1);
  fs.add(40, b.length - 40, 'f.ese.logRecords', `${Math.max(0, b.length - 40)} B`, 0);
  return fs.sorted();
}

/**
 * A sector of a legacy (7.3704) log: the LRCHECKSUM records the engine's chain walk found in it (log-legacy.ts, rules
 * L10-L17), their fields, and the log records around them. `at` is the sector's file offset.
 */
export function eseLegacySectorFields(b: Uint8Array, at: number, records: number[], shadowAt: number | null): HexField[] {
  const fs = new Fields(b.length);
  // L17: a sector the log never used holds ESE's fill pattern (0xDA, with byte 16k = 0xDA + 16k).
  if (isFillSector(b, 0, b.length)) {
    fs.add(0, b.length, 'f.ese.logFill', `${b.length} B of 0xDA`, 0);
    return fs.sorted();
  }
  fs.add(0, b.length, 'f.ese.logRecords', `${b.length} B`, 0);
  const inHere = [...records.map((o) => [o, false] as const), ...(shadowAt === null ? [] : [[shadowAt, true] as const])]
    .filter(([o]) => o >= at && o + LRCK_SIZE <= at + b.length);
  for (const [o, shadow] of inHere) {
    const r = readLrck(b, o - at, o);
    if (!r) continue;
    const i = o - at;
    fs.add(i, LRCK_SIZE, 'f.ese.lrck', shadow ? 'LRCHECKSUM (shadow)' : 'LRCHECKSUM', 1);
    fs.add(i, 1, 'f.ese.lrtyp', String(LRTYP_CHECKSUM), 2);
    fs.add(i + 1, 4, 'f.ese.lrckBackwards', `${r.backwards} B`, 2);
    fs.add(i + 5, 4, 'f.ese.lrckForwards', `${r.forwards} B`, 2);
    fs.add(i + 9, 4, 'f.ese.lrckNext', r.next ? `${r.next} B (next record at ${o + LRCK_SIZE + r.next})` : '0 (last record)', 2);
    fs.add(i + 13, 4, 'f.ese.lrckChecksum', hx(r.checksum), 2);
    fs.add(i + 17, 4, 'f.ese.lrckShortChecksum', hx(r.shortChecksum), 2);
    fs.add(i + 21, 1, 'f.ese.lrckUseShort', r.useShort === LRCK_SHORT_ON ? '0x9A (on)' : r.useShort === LRCK_SHORT_OFF ? '0xD1 (off)' : hx(r.useShort, 2), 2);
  }
  return fs.sorted();
}

/** One 4096-byte CHECKPOINT copy (log.hxx CHECKPOINT_FIXED; FORMAT.md §K). */
export function eseCheckpointFields(b: Uint8Array): HexField[] {
  const fs = new Fields(b.length);
  fs.add(0, 679, 'f.ese.checkpointHeader', 'CHECKPOINT', 0);
  const rows: Row[] = [
    [0, 4, 'f.ese.checksum', (x, o) => hx(u32at(x, o))],
    [4, 8, 'f.ese.lgposLastFullBackupCheckpoint', lgpos],
    [12, 8, 'f.ese.lgposCheckpoint', lgpos],
    [20, 28, 'f.ese.signLog', sig],
    [615, 8, 'f.ese.lgposFullBackup', lgpos],
    [623, 8, 'f.ese.logtimeFullBackup', logtime],
    [631, 8, 'f.ese.lgposIncBackup', lgpos],
    [639, 8, 'f.ese.logtimeIncBackup', logtime],
    [647, 1, 'f.ese.checkpointVersion', (x, o) => String(u8at(x, o))],
    [648, 8, 'f.ese.lgposDbConsistency', lgpos],
    [667, 4, 'f.ese.filetype', filetype],
  ];
  for (const [o, n, key, val] of rows) if (o + n <= b.length) fs.add(o, n, key, val(b, o), 1);
  dbmsParamFields(fs, b, 48, 1);
  attachFields(fs, b, 679, 2048);
  return fs.sorted();
}

/** The flush map header page (flushmap.hxx; FORMAT.md §F). */
export function eseFlushMapHeaderFields(b: Uint8Array): HexField[] {
  const fs = new Fields(b.length);
  fs.add(0, 671, 'f.ese.flushMapHeader', 'FMFILEHDR', 0);
  const rows: Row[] = [
    [0, 4, 'f.ese.checksum', (x, o) => hx(u32at(x, o))],
    [4, 4, 'f.ese.versionMajor', num],
    [8, 4, 'f.ese.updateMajor', num],
    [12, 4, 'f.ese.updateMinor', num],
    [36, 4, 'f.ese.flushMapFlags', (x, o) => `${hx(u32at(x, o))}${u32at(x, o) & 1 ? ' (clean)' : ''}`],
    [40, 8, 'f.ese.logtimeCreate', logtime],
    [48, 8, 'f.ese.logtimeAttach', logtime],
    [56, 8, 'f.ese.logtimeDetach', logtime],
    [64, 4, 'f.ese.genMinRequired', int],
    [88, 28, 'f.ese.signDbHdrFlush', sig],
    [116, 28, 'f.ese.signFlushMapHdrFlush', sig],
    [667, 4, 'f.ese.filetype', filetype],
  ];
  for (const [o, n, key, val] of rows) if (o + n <= b.length) fs.add(o, n, key, val(b, o), 1);
  return fs.sorted();
}

/** Every field key the ESE maps can produce (the message tables must name each one; tested). */
export const ESE_FIELD_KEYS = [
  ...new Set([
    ...DB_HEADER.map((r) => r[2]), ...LOG_HEADER.map((r) => r[2]),
    'f.ese.dbHeader', 'f.ese.shadowHeader', 'f.ese.pageHeader', 'f.ese.pageChecksum', 'f.ese.dbtimeDirtied', 'f.ese.pgnoPrev', 'f.ese.pgnoNext',
    'f.ese.objidFDP', 'f.ese.cbFree', 'f.ese.cbUncommittedFree', 'f.ese.ibMicFree', 'f.ese.itagState', 'f.ese.pageFlags', 'f.ese.blockChecksum',
    'f.ese.pgnoLarge', 'f.ese.pghdr2Reserved', 'f.ese.externalHeader', 'f.ese.node', 'f.ese.prefixUsed', 'f.ese.suffixSize', 'f.ese.keySuffix',
    'f.ese.nodeData', 'f.unallocated', 'f.ese.tagArray', 'f.ese.tag', 'f.ese.logHeader', 'f.ese.dbmsParam', 'f.ese.systemPath',
    'f.ese.logFilePath', 'f.ese.circularLogging', 'f.ese.attachList', 'f.ese.attachment', 'f.ese.lgposAttach', 'f.ese.lgposConsistent',
    'f.ese.signDb', 'f.ese.segmentHeader', 'f.ese.lgposSegment', 'f.ese.logtimeSegmentStart', 'f.ese.reserved', 'f.ese.logRecords', 'f.ese.logFill',
    'f.ese.checkpointHeader', 'f.ese.lgposLastFullBackupCheckpoint', 'f.ese.lgposCheckpoint', 'f.ese.signLog', 'f.ese.lgposFullBackup',
    'f.ese.logtimeFullBackup', 'f.ese.lgposIncBackup', 'f.ese.logtimeIncBackup', 'f.ese.checkpointVersion', 'f.ese.lgposDbConsistency',
    'f.ese.filetype', 'f.ese.flushMapHeader', 'f.ese.versionMajor', 'f.ese.updateMajor', 'f.ese.updateMinor', 'f.ese.flushMapFlags',
    'f.ese.logtimeCreate', 'f.ese.logtimeAttach', 'f.ese.logtimeDetach', 'f.ese.genMinRequired', 'f.ese.signDbHdrFlush',
    'f.ese.signFlushMapHdrFlush', 'f.ese.checksum', 'f.ese.lrck', 'f.ese.lrtyp', 'f.ese.lrckBackwards', 'f.ese.lrckForwards',
    'f.ese.lrckNext', 'f.ese.lrckChecksum', 'f.ese.lrckShortChecksum', 'f.ese.lrckUseShort',
  ]),
];
