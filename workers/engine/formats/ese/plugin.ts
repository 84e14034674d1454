// The ESE format family in the case engine: detection by content, per-file analysis (database header and pages,
// logs, checkpoints, flush maps, reserve logs) and case-level results (log sets, restore plans, verdicts).
// FORMAT.md has the rules; this file only wires them to FileModel / CaseModel and turns findings into Issues.
//
// Detection (FORMAT.md §T): u32 @667 is the file type in every ESE header (1 database, 3 log, 4 checkpoint,
// 7 flush map); a database also has the magic 0x89ABCDEF @4 (pre-filetype databases have 0 @667 but the magic).
// Names decide only where content cannot: log-like names (<base>NNNNN.log, <base>tmp.log, <base>resNNNNN.jrs,
// res1.log), <base>.chk/.jcp, .jfm, .edb.

import type { Issue, Verdict } from '../../types';
import type { ByteSource } from '../../io';
import { readAt } from '../../io';
import { registerDetector } from '../../detect';
import { registerFormatPlugin, runLanes, laneChunks } from '../../case/inspect';
import type { CaseModel, FileModel } from '../../case/model';
import type { JobRunner } from '../../runner';
import { throwIfAborted } from '../../errors';
import { shortChecksum, PAGE_STATUS, PAGE_STATUS_NAMES } from './checksum';
import {
  readShadowedHeader, hasDbMagic, fileTypeAt667, stateWord, validPageSize, isTemporaryDatabase, FILETYPE, HEADER_READ_BYTES, DBSTATE,
  type ShadowedHeader,
} from './header';
import { mergeEsePageBlocks, countEsePages, pageMap, type EsePageTable } from './pages';
import { LOG_HEADER_SIZE, type LogAnalysis } from './log';
import { analyzeCheckpoint, analyzeFlushMap, CHECKPOINT_FILE_SIZE, FLUSHMAP_PAGE_SIZE, type CheckpointAnalysis, type FlushMapAnalysis } from './chk';
import { buildLogSets, parseLogName, splitPath, looksLikeLogName, type LogSet, type LogMember } from './logset';
import { planRestore, type DbFacts, type CheckpointFacts } from './restore';
import { formatLgpos, formatSignature, u32at } from './structs';
import type { EseDbFacts, EseLogFacts, EseCheckpointFacts, EseFlushMapFacts, EseLogSetFacts } from './facts';
import './pages';
import './log';

// ---- Detection ----------------------------------------------------------------------------------------------

const isChkName = (f: string) => /^.{3}\.(chk|jcp)$/i.test(f);
const isJfmName = (f: string) => /\.jfm$/i.test(f);
const isEdbName = (f: string) => /\.edb$/i.test(f);

export function detectEse(name: string, head: Uint8Array, size: number): { kind: 'ese-database' | 'ese-log' | 'ese-checkpoint' | 'ese-flush-map'; note?: string } | null {
  const file = splitPath(name).file;
  const ft = fileTypeAt667(head);
  const sumOk = (len: number) => head.length >= len && shortChecksum(head, 0, len) === u32at(head, 0);
  if (hasDbMagic(head) && (ft === null || ft === FILETYPE.unknown || ft === FILETYPE.database || ft === FILETYPE.streamingFile || ft === FILETYPE.tempDatabase)) {
    return { kind: 'ese-database' };
  }
  if (ft === FILETYPE.log && (sumOk(LOG_HEADER_SIZE) || looksLikeLogName(name) || plausibleLogGeometry(head))) return { kind: 'ese-log' };
  if (ft === FILETYPE.checkpoint && (sumOk(4096) || isChkName(file) || size === CHECKPOINT_FILE_SIZE)) return { kind: 'ese-checkpoint' };
  if (ft === FILETYPE.flushMap && (isJfmName(file) || (head.length >= 4096 && size >= FLUSHMAP_PAGE_SIZE))) return { kind: 'ese-flush-map' };
  // Names decide where content cannot: zeroed or garbage tmp/reserve logs, damaged headers.
  const ln = parseLogName(name);
  if (ln.kind === 'reserve' || ln.kind === 'tmp') return { kind: 'ese-log' };
  if (ln.kind === 'archived') return { kind: 'ese-log', note: 'identified by name (no ESE log header)' };
  // <3 characters>.log is too common a name (err.log, app.log) to claim a text file; only a zeroed one.
  if (ln.kind === 'current' && head.length > 0 && head.every((x) => x === 0)) return { kind: 'ese-log', note: 'identified by name (no ESE log header)' };
  if (isChkName(file) && size === CHECKPOINT_FILE_SIZE) return { kind: 'ese-checkpoint', note: 'identified by name (no ESE checkpoint header)' };
  if (isJfmName(file)) return { kind: 'ese-flush-map', note: 'identified by name (no ESE flush map header)' };
  if (isEdbName(file)) return { kind: 'ese-database', note: 'identified by name (no ESE database magic)' };
  return null;
}

function plausibleLogGeometry(head: Uint8Array): boolean {
  const cbSec = head[8] | (head[9] << 8);
  const csecHeader = head[10] | (head[11] << 8);
  return [512, 1024, 2048, 4096].includes(cbSec) && csecHeader >= 1 && csecHeader <= 8;
}

registerDetector(detectEse);

// ---- Per-file facts kept for the case step (not serialised) ----------------------------------------------------

interface DbPrivate { kind: 'db'; shadow: ShadowedHeader; table: EsePageTable | null; headerUsable: boolean }
interface LogPrivate { kind: 'log'; analysis: LogAnalysis }
interface ChkPrivate { kind: 'chk'; analysis: CheckpointAnalysis }
interface FmPrivate { kind: 'fm'; analysis: FlushMapAnalysis }
type Private = DbPrivate | LogPrivate | ChkPrivate | FmPrivate;
const privateFacts = new WeakMap<FileModel, Private>();

/** The page table of an analysed database (the page map picture reads it; null when pages were not scanned). */
export function esePageTableOf(f: FileModel): EsePageTable | null {
  const p = privateFacts.get(f);
  return p && p.kind === 'db' ? p.table : null;
}

/** A log's sectors (LOG_SECTOR per sector) and sector size, for the segment picture; null when not checked. */
export function eseLogSectorsOf(f: FileModel): { sectors: Uint8Array; cbSec: number } | null {
  const p = privateFacts.get(f);
  if (!p || p.kind !== 'log' || !p.analysis.sectors || !p.analysis.header) return null;
  return { sectors: p.analysis.sectors, cbSec: p.analysis.header.cbSec };
}

const hex8 = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');
const issue = (f: FileModel, code: string, severity: Issue['severity'], offset: number | null, message: string, extra: Partial<Issue> = {}): Issue =>
  ({ code, severity, file: f.path, offset, message, ...extra });

// ---- Databases ------------------------------------------------------------------------------------------------

const ISSUES_PER_KIND = 20;
const READ_ALIGN = 1 << 20;

async function analyzeDatabase(f: FileModel, src: ByteSource, runner: JobRunner, signal?: AbortSignal, progress?: (bytes: number) => void): Promise<void> {
  const head = await readAt(src, 0, Math.min(HEADER_READ_BYTES, src.size));
  const sh = readShadowedHeader(head);
  const h = sh.header;
  const headerUsable = sh.status !== 'corrupt';
  const priv: DbPrivate = { kind: 'db', shadow: sh, table: null, headerUsable };
  privateFacts.set(f, priv);
  if (!hasDbMagic(head)) {
    f.issues.push(issue(f, 'ese.db.bad-magic', 'error', 4, `no ESE database magic at offset 4`, { expected: '0x89abcdef', actual: hex8(u32at(head, 4)) }));
  }
  // D4
  if (sh.status === 'corrupt') {
    f.issues.push(issue(f, 'ese.db.header-corrupt', 'error', 0,
      `neither the header (physical page 0) nor its shadow (page 1) verifies at any page size 2048..32768 (JET_errDatabaseCorrupted -1206)`,
      { expected: hex8(sh.primary.checksumComputed), actual: hex8(sh.primary.checksumStored) }));
  } else {
    if (sh.status === 'primary-bad') {
      f.issues.push(issue(f, 'ese.db.header-checksum', 'error', 0, `primary header has a checksum error; the shadow copy (offset 0x${sh.pageSize!.toString(16)}) is used`,
        { expected: hex8(sh.primary.checksumComputed), actual: hex8(sh.primary.checksumStored), page: -1 }));
    }
    if (sh.status === 'secondary-bad') {
      const bothOk = sh.secondary.pageSize !== null;
      f.issues.push(issue(f, bothOk ? 'ese.db.shadow-differs' : 'ese.db.shadow-checksum', 'error', sh.pageSize!,
        bothOk ? 'primary header and shadow header are not identical' : 'shadow header has a checksum error',
        bothOk ? { page: 0 } : { expected: hex8(sh.secondary.checksumComputed), actual: hex8(sh.secondary.checksumStored), page: 0 }));
    }
  }
  const ft = h.filetype;
  // D8: file type 5 keeps no checksums (eseutil /k says so and stops); a dbid-0 temporary database says "Database",
  // so eseutil /k checks its pages like any other and the counts below are its counts.
  const temporary = headerUsable && isTemporaryDatabase(h);
  const ps = sh.pageSize ?? validPageSize(h.cbPageSize);
  if (sh.status === 'corrupt' && ps) {
    f.issues.push(issue(f, 'ese.db.page-size-unverified', 'warning', 236, `page size ${ps} taken from the unverified header field cbDbPage`));
  }
  let table: EsePageTable | null = null;
  let pagesNote: string | null = null;
  if (!ps) pagesNote = 'page size unknown: pages not checked';
  else if (headerUsable && ft === FILETYPE.tempDatabase) pagesNote = 'This is a temporary database. Checksums are not maintained for such databases.';
  else if (headerUsable && ft === FILETYPE.streamingFile) pagesNote = 'streaming file (.stm): there is no offline way to checksum its pages';
  if (pagesNote) {
    f.issues.push(issue(f, 'ese.db.pages-not-checked', 'info', null, pagesNote));
  } else if (ps) {
    const total = Math.floor(src.size / ps);
    if (src.size % ps) {
      f.issues.push(issue(f, 'ese.db.partial-page', 'warning', total * ps, `${src.size % ps} trailing byte(s) after the last whole ${ps}-byte page are not checked`));
    }
    // Lanes of jobs (runLanes), each job on whole 1 MiB pieces of the file.
    const blocks = (
      await runLanes(total, { lanes: runner.concurrency, ...laneChunks(total, ps, runner.laneJobs), align: Math.max(1, Math.floor(READ_ALIGN / ps)), key: f.path }, (first, count, affinity) =>
        runner.run('esePages', { ref: f.ref, pageSize: ps, first: first - 1, count, totalPages: total }, { signal, affinity }).then((b) => {
          progress?.(count * ps);
          return b;
        }),
      )
    ).map((d) => d.result);
    throwIfAborted(signal);
    table = mergeEsePageBlocks(ps, total, blocks);
    priv.table = table;
    pageIssues(f, table, temporary);
  }
  if (temporary && ft !== FILETYPE.tempDatabase) {
    const failing = table ? countEsePages(table).bad : 0;
    f.issues.push(issue(f, 'ese.db.temporary', 'info', 104,
      `Dbid 0 (dbidTemp): the temporary database of an ESE instance, which ESE creates anew at every start and never reads back` +
      (failing ? `; its ${failing} failing page checksum(s) (${table!.zeroChecksum} storing 0) are counted as eseutil /k counts them but are not damage to restore` : ''),
      { actual: h.dbid, expected: '>= 1 for a user database' }));
  }
  const counts = table ? countEsePages(table) : null;
  if (headerUsable && h.dbstate !== DBSTATE.cleanShutdown) {
    f.issues.push(issue(f, 'ese.db.not-clean', h.dbstate === DBSTATE.dirtyShutdown || h.dbstate === DBSTATE.dirtyAndPatched ? 'warning' : 'info', 52,
      `database state is "${stateWord(h.dbstate)}"${h.dbstate === DBSTATE.dirtyShutdown ? `: soft recovery needs log generations ${h.genMinRequired}-${h.genMaxRequired}` : ''}`, { actual: stateWord(h.dbstate), expected: 'Clean Shutdown' }));
  }
  f.ext = {
    ese: {
      pageSize: ps,
      state: headerUsable ? stateWord(h.dbstate) : null,
      lastConsistent: headerUsable ? h.lgposConsistent : null,
      dbSignature: headerUsable ? formatSignature(h.signDb) : null,
      logSignature: headerUsable ? formatSignature(h.signLog) : null,
      pages: counts
        ? {
            ...counts,
            correctablePages: listPages(table!, PAGE_STATUS.correctable).map(([pgno, bit]) => ({ pgno, bit })),
            wrongPages: listPages(table!, PAGE_STATUS.wrongPgno).map(([pgno, claimed]) => ({ pgno, claimedPgno: claimed >>> 0 })),
            highestDbtime: table!.dbtimeHighest,
            highestDbtimePgno: table!.dbtimeHighestPgno,
            map: { statuses: PAGE_STATUS_NAMES, ...pageMap(table!) },
          }
        : null,
      fileType: h.filetype,
      temporary,
      headerStatus: sh.status,
      headerChecksum: {
        primary: { expected: sh.primary.checksumStored, actual: sh.primary.checksumComputed, bytes: sh.primary.checksumBytes, pageSize: sh.primary.pageSize },
        shadow: { expected: sh.secondary.checksumStored, actual: sh.secondary.checksumComputed, bytes: sh.secondary.checksumBytes, pageSize: sh.secondary.pageSize },
        identical: sh.identical,
        electedCopy: sh.electedCopy,
      },
      header: h,
      pagesNote,
    } satisfies EseDbFacts,
  };
}

function listPages(t: EsePageTable, status: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < t.count && out.length < 10_000; i++) if (t.status[i] === status) out.push([i - 1, t.info.get(i) ?? 0]);
  return out;
}

/** Page problems as issues; in a temporary database (D8) they are notes: ESE never reads those pages back. */
function pageIssues(f: FileModel, t: EsePageTable, temporary: boolean): void {
  const ps = t.pageSize;
  const listed: Record<string, number> = {};
  const more: Record<string, number> = {};
  let bad = 0;
  for (let i = 0; i < t.count; i++) {
    const s = t.status[i];
    if (s !== PAGE_STATUS.bad && s !== PAGE_STATUS.correctable && s !== PAGE_STATUS.wrongPgno) continue;
    if (s === PAGE_STATUS.bad && i >= 2) bad++;
    const pgno = i - 1;
    const code = s === PAGE_STATUS.bad ? 'ese.page.bad-checksum' : s === PAGE_STATUS.correctable ? 'ese.page.correctable' : 'ese.page.wrong-page-number';
    listed[code] = (listed[code] ?? 0) + 1;
    if (listed[code] > ISSUES_PER_KIND) { more[code] = (more[code] ?? 0) + 1; continue; }
    const where = i <= 1 ? `page ${pgno} (header)` : `page ${pgno}`;
    // eseutil's page lines without their ERROR:/WARNING: prefix (the severity says it; the eseutil text keeps it).
    if (s === PAGE_STATUS.bad) f.issues.push(issue(f, code, temporary ? 'info' : 'error', i * ps, `${where} checksum failed`, { page: pgno }));
    else if (s === PAGE_STATUS.correctable) {
      const bit = t.info.get(i) ?? 0;
      f.issues.push(issue(f, code, temporary ? 'info' : 'warning', i * ps + (bit >> 3), `${where} checksum verification failed but the corruption ( bit ${bit} ) can be corrected`, { page: pgno, actual: bit }));
    } else {
      const claimed = (t.info.get(i) ?? 0) >>> 0;
      f.issues.push(issue(f, code, temporary ? 'info' : 'error', i * ps, `${where} checksum failed: the stored checksum belongs to page ${claimed} (wrong page number)`, { page: pgno, expected: pgno, actual: claimed }));
    }
  }
  for (const [code, n] of Object.entries(more)) {
    f.issues.push(issue(f, code, temporary ? 'info' : code === 'ese.page.correctable' ? 'warning' : 'error', null, `${n} more page(s) with the same problem are not listed`, { actual: n }));
  }
  if (!temporary && bad > 0 && t.zeroChecksum === bad) {
    f.issues.push(issue(f, 'ese.page.never-checksummed', 'info', null,
      `every failing page (${bad}) stores checksum 0: its pages were never checksummed, as in an ESE temporary database (e.g. NTDS temp.edb) whose header still says file type ${'Database'}`));
  }
}

// ---- Logs -----------------------------------------------------------------------------------------------------

async function analyzeLogFile(f: FileModel, runner: JobRunner, signal?: AbortSignal): Promise<void> {
  const a = await runner.run('eseLog', { ref: f.ref }, { signal });
  privateFacts.set(f, { kind: 'log', analysis: a });
  const ln = parseLogName(f.path);
  const h = a.header;
  const reserveOrTmp = ln.kind === 'reserve' || ln.kind === 'tmp';
  if (!h) {
    f.issues.push(issue(f, 'ese.log.truncated', reserveOrTmp ? 'info' : 'error', 0, `file is ${a.size} bytes, shorter than the 4096-byte log header${a.allZero ? ' (all zero)' : ''}`));
  } else if (a.allZero || a.allFill || (!a.headerOk && reserveOrTmp)) {
    const what = ln.kind === 'reserve' ? 'reserve log' : ln.kind === 'tmp' ? 'temporary log' : 'log';
    f.issues.push(issue(f, ln.kind === 'reserve' ? 'ese.log.reserve' : 'ese.log.empty', reserveOrTmp ? 'info' : 'error', 0,
      a.allZero ? `${what}: every byte is zero (no log header)`
        : a.allFill ? `${what}: every byte is ESE's log fill pattern (no log header): space the engine pre-allocated and never wrote`
          : `${what} without a valid log header: pre-allocated space whose content the engine does not use`));
  } else if (!a.headerOk) {
    f.issues.push(issue(f, 'ese.log.header-checksum', 'error', 0, 'log file header checksum mismatch (logs have no shadow header): the log is unusable (JET_errLogFileCorrupt -501)',
      { expected: hex8(a.headerChecksumComputed), actual: hex8(a.headerChecksumStored) }));
  } else {
    if (h.filetype !== FILETYPE.log && h.filetype !== FILETYPE.unknown) {
      f.issues.push(issue(f, 'ese.log.filetype', 'error', 667, `file type ${h.filetype} is not a log (3)`, { expected: 3, actual: h.filetype }));
    }
    const fmt = `${h.major}.${h.minor}.${h.updateMajor}.${h.updateMinor}`;
    // The geometry is usable when the segments (v8) or the LRCHECKSUM chain (legacy) could be checked.
    const geometryOk = a.legacy ? a.lrck !== null : h.cbSec === 4096 && h.csecHeader >= 1 && h.csecLGFile > h.csecHeader;
    if (!geometryOk) {
      f.issues.push(issue(f, 'ese.log.geometry', 'error', 8, `impossible ${a.legacy ? 'legacy ' : ''}log geometry: cbSec ${h.cbSec}, csecHeader ${h.csecHeader}, csecLGFile ${h.csecLGFile}`));
    } else {
      if (a.lrck) {
        const c = a.lrck;
        f.issues.push(issue(f, 'ese.log.legacy-format', 'info', 32,
          `legacy log format ${fmt}: ${c.good} LRCHECKSUM record${c.good === 1 ? '' : 's'} verified${c.bad ? `, ${c.bad} bad` : ''}; the log data ends at ${formatLgpos(a.lastLgpos!)}${c.shadow === 'valid' ? ', followed by its shadow sector' : c.shadow === 'missing' ? ' (no shadow sector after it)' : ''}${c.fill ? `; ${c.fill} sector${c.fill === 1 ? '' : 's'} of ESE's fill pattern after it` : ''}`));
      }
      const expect = h.csecLGFile * h.cbSec;
      if (a.size !== expect) {
        f.issues.push(issue(f, 'ese.log.size-mismatch', a.size < expect ? 'error' : 'warning', 12,
          `header says ${h.csecLGFile} sectors of ${h.cbSec} bytes (${expect} bytes), the file has ${a.size} bytes`, { expected: expect, actual: a.size }));
      }
    }
    if (a.attachProblem) f.issues.push(issue(f, 'ese.log.attach-list', 'warning', 671, a.attachProblem));
    if (a.damage && a.lrck?.damage) {
      const d = a.lrck.damage;
      f.issues.push(issue(f, 'ese.log.damaged', 'error', d.offset,
        `ERROR: Log damaged (unusable). Last Lgpos: ${formatLgpos(a.lastLgpos!)}. Error -501 (${d.kind === 'record' ? `LRCHECKSUM record at ${d.offset}, sector ${a.damage.isec}: ` : ''}${d.problem})`, { actual: a.damage.reason }));
    } else if (a.damage) {
      f.issues.push(issue(f, 'ese.log.damaged', 'error', a.damage.isec * h.cbSec,
        `ERROR: Log damaged (unusable). Last Lgpos: ${formatLgpos(a.lastLgpos!)}. Error -501 (${a.damage.reason} at sector ${a.damage.isec})`, { actual: a.damage.reason }));
    }
    const torn = a.lrck?.torn;
    if (a.patchable && torn) {
      f.issues.push(issue(f, 'ese.log.torn-write', 'warning', torn.offset,
        `the last flush is torn (LRCHECKSUM record at ${torn.offset}, sector ${a.patchable.isec}: ${torn.problem}); ${torn.why}: ${torn.kind === 'shadow-patch'
          ? `soft recovery patches the sector from it; the log data ends at ${formatLgpos(a.lastLgpos!)}`
          : `a torn write; soft recovery ends the log at ${formatLgpos(a.lastLgpos!)} and the incomplete flush is lost`}`,
        { actual: torn.kind }));
    } else if (a.patchable) {
      f.issues.push(issue(f, 'ese.log.torn-write', 'warning', a.patchable.isec * h.cbSec,
        `sector ${a.patchable.isec} is torn but the next sector holds its shadow copy: soft recovery patches it`));
    }
    for (const c of a.correctableSegments.slice(0, ISSUES_PER_KIND)) {
      f.issues.push(issue(f, 'ese.log.segment-correctable', 'warning', c.isec * h.cbSec + (c.bit >> 3), `segment ${c.isec}: a single-bit error ( bit ${c.bit} ) that the checksum corrects`));
    }
    if (reserveOrTmp) {
      f.issues.push(issue(f, ln.kind === 'reserve' ? 'ese.log.reserve' : 'ese.log.tmp', 'info', null, `${ln.kind === 'reserve' ? 'reserve' : 'temporary'} log (generation ${h.generation}): kept out of the log chain`));
    }
  }
  f.ext = {
    ese: {
      generation: a.headerOk && h ? h.generation : null,
      logSignature: a.headerOk && h ? formatSignature(h.signLog) : null,
      segments: a.segments ? { seen: a.segments.seen, bad: a.segments.bad, shadow: a.segments.shadow, empty: a.segments.empty } : null,
      role: ln.kind,
      baseName: ln.base,
      nameGeneration: ln.generation,
      headerOk: a.headerOk,
      headerChecksum: { expected: a.headerChecksumStored, actual: a.headerChecksumComputed },
      header: a.headerOk ? h : null,
      attachments: a.headerOk ? a.attachments : [],
      segmentDetail: a.segments ? { good: a.segments.good, correctable: a.segments.correctable, badSegments: a.badSegments } : null,
      damage: a.damage,
      patchable: a.patchable,
      lastLgpos: a.lastLgpos,
      accumulatedChecksum: a.accumulatedChecksum,
      legacy: a.legacy,
      lrck: a.lrck ? {
        records: a.lrck.records, good: a.lrck.good, bad: a.lrck.bad, shadow: a.lrck.shadow, end: a.lrck.end,
        problem: a.lrck.damage?.problem ?? a.lrck.torn?.problem ?? null, torn: a.lrck.torn?.kind ?? null, fill: a.lrck.fill,
        offsets: a.lrck.offsets, shadowOffset: a.lrck.shadowOffset,
      } : null,
      allZero: a.allZero,
      allFill: a.allFill,
    } satisfies EseLogFacts,
  };
}

// ---- Checkpoints and flush maps ---------------------------------------------------------------------------------

async function analyzeCheckpointFile(f: FileModel, src: ByteSource): Promise<void> {
  const b = await readAt(src, 0, CHECKPOINT_FILE_SIZE);
  const a = analyzeCheckpoint(b);
  privateFacts.set(f, { kind: 'chk', analysis: a });
  if (a.status === 'corrupt') {
    f.issues.push(issue(f, 'ese.chk.corrupt', 'error', 0, `neither checkpoint copy verifies (JET_errCheckpointCorrupt -533)`, { expected: hex8(a.primary.computed), actual: hex8(a.primary.stored) }));
  } else if (a.status === 'primary-bad') {
    f.issues.push(issue(f, 'ese.chk.primary-checksum', 'error', 0, 'primary checkpoint copy has a checksum error; the shadow copy is used', { expected: hex8(a.primary.computed), actual: hex8(a.primary.stored) }));
  } else if (a.status === 'secondary-bad') {
    f.issues.push(issue(f, a.secondary.ok ? 'ese.chk.copies-differ' : 'ese.chk.shadow-checksum', 'error', 4096,
      a.secondary.ok ? 'the two checkpoint copies are not identical; the primary is used' : a.secondary.present ? 'shadow checkpoint copy has a checksum error' : 'shadow checkpoint copy is missing (file shorter than 8192 bytes)',
      a.secondary.present && !a.secondary.ok ? { expected: hex8(a.secondary.computed), actual: hex8(a.secondary.stored) } : {}));
  }
  if (f.size !== CHECKPOINT_FILE_SIZE) f.issues.push(issue(f, 'ese.chk.size', 'warning', null, `checkpoint file is ${f.size} bytes, not 8192`, { expected: 8192, actual: f.size }));
  const usable = a.status !== 'corrupt' && a.header !== null;
  f.ext = {
    ese: {
      checkpoint: usable ? a.header!.lgposCheckpoint : null,
      status: a.status,
      copies: { primary: a.primary, shadow: a.secondary, identical: a.identical, electedCopy: a.electedCopy },
      header: usable ? a.header : null,
      logSignature: usable ? formatSignature(a.header!.signLog) : null,
    } satisfies EseCheckpointFacts,
  };
}

const FLUSHMAP_READ_MAX = 64 << 20;

async function analyzeFlushMapFile(f: FileModel, src: ByteSource): Promise<void> {
  const b = await readAt(src, 0, Math.min(src.size, FLUSHMAP_READ_MAX));
  const a = analyzeFlushMap(b);
  privateFacts.set(f, { kind: 'fm', analysis: a });
  if (!a.header) f.issues.push(issue(f, 'ese.fm.truncated', 'error', 0, `flush map is ${f.size} bytes, shorter than its 8192-byte header page`));
  else if (!a.headerOk) f.issues.push(issue(f, 'ese.fm.header-checksum', 'error', 0, 'flush map header checksum mismatch (the engine rebuilds a flush map it cannot read)', { expected: hex8(a.checksumComputed), actual: hex8(a.checksumStored) }));
  if (a.dataPages.bad) {
    f.issues.push(issue(f, 'ese.fm.bad-pages', 'warning', null, `${a.dataPages.bad} flush map data page(s) fail their checksum: ${a.dataPages.badPages.slice(0, 20).join(', ')}`, { actual: a.dataPages.bad }));
  }
  if (src.size > FLUSHMAP_READ_MAX) f.issues.push(issue(f, 'ese.fm.not-all-checked', 'info', FLUSHMAP_READ_MAX, `only the first ${FLUSHMAP_READ_MAX} bytes were checked`));
  f.ext = {
    ese: {
      headerOk: a.headerOk,
      header: a.header,
      clean: a.header?.clean ?? null,
      dataPages: a.dataPages,
    } satisfies EseFlushMapFacts,
  };
}

// ---- Case level ------------------------------------------------------------------------------------------------

function logSetReport(s: LogSet): EseLogSetFacts {
  return {
    base: s.baseShown, low: s.low, high: s.high, missing: s.missing, ok: s.ok,
    folder: s.folder,
    current: s.current,
    members: s.members,
    excluded: s.excluded,
    links: s.links,
    signature: s.signature,
    problems: s.problems,
  };
}

function analyzeCase(files: FileModel[], model: CaseModel): void {
  const members: LogMember[] = [];
  const dbs: DbFacts[] = [];
  const chks: CheckpointFacts[] = [];
  let temporaries = 0;
  for (const f of files) {
    const p = privateFacts.get(f);
    if (!p) continue;
    if (p.kind === 'log') members.push({ path: f.path, name: parseLogName(f.path), analysis: p.analysis });
    else if (p.kind === 'db') {
      const h = p.shadow.header;
      const ft = h.filetype;
      // Temporary databases (D8: ESE creates them anew) and streaming files are not restored on their own.
      if (p.headerUsable && isTemporaryDatabase(h)) { temporaries++; continue; }
      if (p.headerUsable && ft === FILETYPE.streamingFile) continue;
      const counts = p.table ? countEsePages(p.table) : null;
      dbs.push({
        path: f.path, folder: splitPath(f.path).dir, headerUsable: p.headerUsable, state: h.dbstate, lastConsistent: h.lgposConsistent,
        genMinRequired: h.genMinRequired, genMaxRequired: h.genMaxRequired, signLogHex: h.signLog.hex, signLog: formatSignature(h.signLog),
        uncorrectablePages: counts ? counts.bad - counts.correctable : null,
      });
    } else if (p.kind === 'chk') {
      const { dir, file } = splitPath(f.path);
      const m = /^(.{3})\.(chk|jcp)$/i.exec(file);
      const usable = p.analysis.status !== 'corrupt' && p.analysis.header !== null;
      chks.push({
        path: f.path, folder: dir, base: m ? m[1].toUpperCase() : null, usable,
        checkpoint: usable ? p.analysis.header!.lgposCheckpoint : null,
        signLogHex: usable ? p.analysis.header!.signLog.hex : null, signLog: usable ? formatSignature(p.analysis.header!.signLog) : null,
      });
    }
  }
  const { sets, issues } = buildLogSets(members);
  model.issues.push(...issues);
  crossChecks(files, model, sets);
  const plans = planRestore(dbs, sets, chks);
  const verdicts: Verdict[] = (model.ext.verdicts as Verdict[] | undefined) ?? [];
  for (const p of plans) verdicts.push(p.caseVerdict);
  for (const s of sets) {
    if (dbs.length) verdicts.push(s.ok ? 'restorable' : 'restorable-with-loss');
    else verdicts.push(s.ok ? 'restorable' : s.members.some((m) => !m.damaged) ? 'restorable-with-loss' : 'not-restorable');
  }
  if (!dbs.length && !sets.length) for (const c of chks) verdicts.push(c.usable ? 'restorable' : 'not-restorable');
  // Nothing of a temporary database needs restoring: ESE creates a new one at start.
  for (let i = 0; i < temporaries; i++) verdicts.push('restorable');
  if (plans.length || sets.length || chks.length || temporaries) model.ext.verdicts = verdicts;
  if (sets.length || members.length) model.ext.eseLogSets = sets.map(logSetReport);
  if (plans.length) model.ext.esePlan = plans;
}

/** Facts that tie files together: attached databases named in logs, checkpoints vs logs, flush maps vs databases. */
function crossChecks(files: FileModel[], model: CaseModel, sets: LogSet[]): void {
  const dbByDbSig = new Map<string, FileModel>();
  for (const f of files) {
    const p = privateFacts.get(f);
    if (p?.kind === 'db' && p.headerUsable) dbByDbSig.set(p.shadow.header.signDb.hex, f);
  }
  // Log attachments whose database signature matches a database of the case: its path inside the log.
  for (const s of sets) {
    const cur = s.current ? files.find((f) => f.path === s.current!.path) : null;
    const p = cur ? privateFacts.get(cur) : undefined;
    if (!p || p.kind !== 'log') continue;
    for (const at of p.analysis.attachments) {
      const db = dbByDbSig.get(at.signDb.hex);
      if (db) {
        model.issues.push({
          code: 'ese.logset.attached-database', severity: 'info', file: cur!.path, offset: 671 + at.offset,
          message: `${splitPath(cur!.path).file} has ${at.names[0] ?? '(no name)'} attached (dbid ${at.dbid}); its DB signature matches ${db.path}`,
        });
      }
    }
  }
  // Flush map signature link (F2).
  for (const f of files) {
    const p = privateFacts.get(f);
    if (p?.kind !== 'fm' || !p.analysis.headerOk || !p.analysis.header) continue;
    const { dir, file } = splitPath(f.path);
    const stem = file.replace(/\.jfm$/i, '').toLowerCase();
    const db = files.find((x) => {
      const q = privateFacts.get(x);
      const xs = splitPath(x.path);
      return q?.kind === 'db' && xs.dir === dir && xs.file.replace(/\.[^.]*$/, '').toLowerCase() === stem;
    });
    const q = db ? privateFacts.get(db) : undefined;
    if (!db || q?.kind !== 'db' || !q.headerUsable) continue;
    const linked = q.shadow.header.signFlushMapHdrFlush.hex === p.analysis.header.signFlushMapHdrFlush.hex;
    model.issues.push({
      code: linked ? 'ese.fm.linked' : 'ese.fm.stale', severity: 'info', file: f.path, offset: 116,
      message: linked
        ? `flush map matches ${splitPath(db.path).file} (Flush Map Header Flush Signature ${formatSignature(p.analysis.header.signFlushMapHdrFlush)})`
        : `flush map's signature differs from ${splitPath(db.path).file}'s Flush Map Header Flush Signature: the engine rebuilds the map (no data is lost)`,
    });
  }
}

registerFormatPlugin({
  kinds: ['ese-database', 'ese-log', 'ese-checkpoint', 'ese-flush-map'],
  async analyzeFile(f, src, ctx) {
    if (f.kind === 'ese-database') await analyzeDatabase(f, src, ctx.runner, ctx.signal, ctx.progress);
    else if (f.kind === 'ese-log') await analyzeLogFile(f, ctx.runner, ctx.signal);
    else if (f.kind === 'ese-checkpoint') await analyzeCheckpointFile(f, src);
    else if (f.kind === 'ese-flush-map') await analyzeFlushMapFile(f, src);
  },
  analyzeCase,
});
