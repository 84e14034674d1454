// Text in eseutil's own format, from a verify report, so that an administrator can follow the Exchange restore
// article (KB 296788) line by line (FORMAT.md §U). Templates are MS-ESE's printf formats:
//   /mh  ese/dbdump.cxx ErrDUMPHeader / ErrDUMPHeaderStandard / DUMPPrintBkinfo
//   /k   _esefile/checksum.cxx FChecksumFile / PrintChecksumStats, _esefile/status.cxx (progress bar)
//   /ml  ese/_log/logdump.cxx ErrDUMPLog (a log set, verify mode) and ErrLGDumpLog (one log)
//   /mk  ese/_log/logdump.cxx ErrLGDumpCheckpoint
// Known differences (FORMAT.md §U): no banner; lines that describe eseutil's own engine build (Engine ulVersion,
// Engine LGVersion) and I/O timing (reads, MB/second, milliseconds) are left out; log record statistics
// ("Number of database page references") need log record parsing and are left out; one closing
// "Operation ..." line for the whole run. esefile's "bad checksums" counts uncorrected mismatches (wrong page
// numbers included), and its "wrong page numbers" counter, never incremented by esefile, is really counted here.

import type { VerifyReport, FileReport } from '../../report/report';
import type { DbFileHeader } from './header';
import type { EsePlan } from './restore';
import type { EseDbFacts, EseLogFacts, EseCheckpointFacts, EseLogSetFacts } from './facts';
import { formatLogTime, formatSignature, formatLgpos, cmpLgpos, type LogTime, type BkInfo, type AttachInfo, type Lgpos, type DbmsParam } from './structs';
import { stateWord, shadowingDisabled } from './header';

const hx = (n: number): string => (n >>> 0).toString(16);
const HX = (n: number): string => (n >>> 0).toString(16).toUpperCase();
const short = (n: number): number => ((n & 0xffff) << 16) >> 16;
const u64hex = (dec: string): string => BigInt(dec).toString(16);
const t = (x: LogTime): string => formatLogTime(x);
const fileOf = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
const pad7 = (n: number): string => String(n >>> 0).padStart(7, ' ');

type DbExt = EseDbFacts;
type LogExt = EseLogFacts;
type ChkExt = EseCheckpointFacts;
type LogSetReport = EseLogSetFacts;

function bkinfo(out: string[], title: string, b: BkInfo, type = 0): void {
  out.push('', `${title}:`);
  const suffix = type === 0 ? '' : type === 1 ? ' - OSSnapshot' : type === 2 ? ' - Snapshot' : ' - UNKNOWN';
  out.push(`        Log Gen: ${b.genLow >>> 0}-${b.genHigh >>> 0} (0x${hx(b.genLow)}-0x${hx(b.genHigh)})${suffix}`);
  out.push(`           Mark: ${formatLgpos(b.mark)}`);
  out.push(`           Mark: ${t(b.markTime)}`);
}

/** ErrDUMPHeaderStandard: the "Fields:" block. */
export function headerFields(h: DbFileHeader): string[] {
  const o: string[] = [];
  o.push('', 'Fields:');
  o.push(`        File Type: ${h.attrib === 0 ? 'Database' : 'UNKNOWN'}`);
  o.push(`         Checksum: 0x${hx(h.checksum)}`);
  o.push(`   Format ulMagic: 0x${hx(h.magic)}`);
  o.push(`   Engine ulMagic: 0x89abcdef`);
  o.push(` Format ulVersion: 0x${hx(h.version)},${h.daeUpdateMajor | 0},${h.daeUpdateMinor | 0}  (attached by ${h.efvMaxBinAttachDiagnostic | 0})`);
  o.push(`Created ulVersion: 0x${hx(h.createVersion)},${short(h.createUpdate)}`);
  o.push(`     DB Signature: ${formatSignature(h.signDb)}`);
  o.push(`         cbDbPage: ${h.cbPageSize | 0}`);
  o.push(`           dbtime: ${h.dbtimeDirtied} (0x${u64hex(h.dbtimeDirtied)})`);
  o.push(`            State: ${stateWord(h.dbstate)}`);
  o.push(`     Log Required: ${h.genMinRequired >>> 0}-${h.genMaxRequired >>> 0} (0x${hx(h.genMinRequired)}-0x${hx(h.genMaxRequired)}) [Min. Req. Pre-Redo: ${h.genPreRedoMinRequired >>> 0} (0x${hx(h.genPreRedoMinRequired)})]`);
  o.push(`Gen. Max. Req. Creation Time: ${t(h.logtimeGenMaxRequired)}`);
  o.push(`    Log Committed: 0-${h.genMaxCommitted >>> 0} (0x0-0x${hx(h.genMaxCommitted)})`);
  o.push(`Gen. Max. Com. Creation Time: ${t(h.logtimeGenMaxCreate)}`);
  o.push(`   Log Consistent: ${h.genMinConsistent >>> 0} (0x${hx(h.genMinConsistent)}) [Pre-Redo: ${h.genPreRedoMinConsistent >>> 0} (0x${hx(h.genPreRedoMinConsistent)})]`);
  o.push(`   Log Recovering: ${h.genRecovering >>> 0} (0x${hx(h.genRecovering)})`);
  o.push(`         Shadowed: ${shadowingDisabled(h) ? 'No' : 'Yes'}`);
  o.push(`       Last Objid: ${h.objidLast >>> 0}`);
  o.push(`     Scrub Dbtime: ${h.dbtimeLastScrub} (0x${u64hex(h.dbtimeLastScrub)})`);
  o.push(`       Scrub Date: ${t(h.logtimeScrub)}`);
  o.push(`     Repair Count: ${h.repairCount >>> 0}`);
  o.push(`      Repair Date: ${t(h.logtimeRepair)}`);
  o.push(` Old Repair Count: ${h.repairCountOld >>> 0}`);
  o.push(`  Last Consistent: ${formatLgpos(h.lgposConsistent)}  ${t(h.logtimeConsistent)}`);
  o.push(`      Last Attach: ${formatLgpos(h.lgposAttach)}  ${t(h.logtimeAttach)}`);
  o.push(`      Last Detach: ${formatLgpos(h.lgposDetach)}  ${t(h.logtimeDetach)}`);
  o.push(`    Last ReAttach: ${formatLgpos(h.lgposLastReAttach)}  ${t(h.logtimeLastReAttach)}`);
  o.push(`             Dbid: ${short(h.dbid)}`);
  o.push(`    Log Signature: ${formatSignature(h.signLog)}`);
  const sv = BigInt(h.sortVersion);
  o.push(`       OS Version: (${h.osMajorVersion >>> 0}.${h.osMinorVersion >>> 0}.${h.osBuildNumber >>> 0} SP ${h.osSPNumber >>> 0} NLS ${(sv >> 32n).toString(16)}.${(sv & 0xffffffffn).toString(16)})`);
  if (h.incrementalReseedCount || h.incrementalReseedCountOld || h.pagePatchCount || h.pagePatchCountOld) {
    o.push(`     Reseed Count: ${h.incrementalReseedCount >>> 0}`);
    o.push(`      Reseed Date: ${t(h.logtimeIncrementalReseed)}`);
    o.push(` Old Reseed Count: ${h.incrementalReseedCountOld >>> 0}`);
    o.push(`      Patch Count: ${h.pagePatchCount >>> 0}`);
    o.push(`       Patch Date: ${t(h.logtimePagePatch)}`);
    o.push(`  Old Patch Count: ${h.pagePatchCountOld >>> 0}`);
  }
  bkinfo(o, 'Previous Full Backup', h.bkinfoFullPrev, h.bkinfoTypeFullPrev);
  bkinfo(o, 'Previous Incremental Backup', h.bkinfoIncPrev, h.bkinfoTypeIncPrev);
  bkinfo(o, 'Previous Copy Backup', h.bkinfoCopyPrev, h.bkinfoTypeCopyPrev);
  bkinfo(o, 'Previous Differential Backup', h.bkinfoDiffPrev, h.bkinfoTypeDiffPrev);
  bkinfo(o, 'Current Full Backup', h.bkinfoFullCur);
  bkinfo(o, 'Current Shadow copy backup', h.bkinfoSnapshotCur);
  o.push('');
  o.push(`     cpgUpgrade55Format: ${h.cpgUpgrade55Format | 0}`);
  o.push(`    cpgUpgradeFreePages: ${h.cpgUpgradeFreePages | 0}`);
  o.push(`cpgUpgradeSpaceMapPages: ${h.cpgUpgradeSpaceMapPages | 0}`);
  o.push('');
  const resize = cmpLgpos(h.lgposLastResize, h.lgposAttach) === 0
    ? '(Matches "Last Attach", no subsequent resize)'
    : cmpLgpos(h.lgposLastResize, h.lgposConsistent) === 0 ? '(Matches "Last Consistent", no subsequent resize)' : '';
  o.push(`      Last Resize: ${formatLgpos(h.lgposLastResize)}  ${resize}`);
  o.push('');
  o.push(`     Extend Count: ${h.extendCount >>> 0}`);
  o.push(`      Extend Date: ${t(h.logtimeLastExtend)}`);
  o.push('');
  o.push(`     Shrink Count: ${h.shrinkCount >>> 0}`);
  o.push(`      Shrink Date: ${t(h.logtimeLastShrink)}`);
  o.push('');
  o.push(`       Trim Count: ${h.trimCount >>> 0}`);
  if (h.filetype === 1) {
    o.push('');
    const found = (label: string, n: number, dateLabel: string | null, d: LogTime | null) => {
      if (n) {
        o.push(`${label}: found (${n >>> 0})`);
        if (dateLabel && d) o.push(`${dateLabel}: ${t(d)}`);
      } else o.push(`${label}: none`);
    };
    found('       ECC Fix Success Count', h.eccFixSuccess, '   Last ECC Fix Success Date', h.logtimeEccFixSuccess);
    found('   Old ECC Fix Success Count', h.eccFixSuccessOld, null, null);
    found('         ECC Fix Error Count', h.eccFixFail, '     Last ECC Fix Error Date', h.logtimeEccFixFail);
    found('     Old ECC Fix Error Count', h.eccFixFailOld, null, null);
    found('    Bad Checksum Error Count', h.badChecksum, 'Last Bad Checksum Error Date', h.logtimeBadChecksum);
    found('Old bad Checksum Error Count', h.badChecksumOld, null, null);
    o.push('');
    o.push(`  Last Database Maintenance Finish Date: ${t(h.logtimeDbscanPrev)}`);
    o.push(`Current Database Maintenance Start Date: ${t(h.logtimeDbscanStart)}`);
    o.push(`      Highest Continuous Database Maintenance Page: ${h.pgnoDbscanHighestContinuous >>> 0}`);
    o.push(`      Highest Database Maintenance Page: ${h.pgnoDbscanHighest >>> 0}`);
  }
  o.push('');
  o.push(`  Database Header Flush Signature: ${formatSignature(h.signDbHdrFlush)}`);
  o.push(` Flush Map Header Flush Signature: ${formatSignature(h.signFlushMapHdrFlush)}`);
  o.push(`       RBS Header Flush Signature: ${formatSignature(h.signRBSHdrFlush)}`);
  if (h.revertCount > 0 || h.revertPageCount > 0) {
    o.push('');
    o.push(`     Revert Count: ${h.revertCount >>> 0}`);
    o.push(` Revert From Date: ${t(h.logtimeRevertFrom)}`);
    o.push(`   Revert To Date: ${t(h.logtimeRevertTo)}`);
    o.push(`Revert Page Count: ${h.revertPageCount >>> 0}`);
    o.push(`Last Commit Before Revert: ${formatLgpos(h.lgposCommitBeforeRevert)}  `);
  }
  return o;
}

/** eseutil /mh <database>. Returns the lines and the JET error it would end with (0 = success). */
export function mhText(path: string, e: DbExt): { lines: string[]; err: number } {
  const o: string[] = ['Initiating FILE DUMP mode...', `         Database: ${path}`];
  const c = e.headerChecksum;
  const st = e.headerStatus;
  if (st === 'ok' || st === 'secondary-bad') {
    o.push('', 'DATABASE HEADER:', 'Checksum Information:', `Expected Checksum: 0x${hx(c.primary.expected).padStart(8, '0')}`, `  Actual Checksum: 0x${hx(c.primary.actual).padStart(8, '0')}`);
    o.push(...headerFields(e.header));
  }
  if (st === 'primary-bad') {
    o.push('', 'DATABASE SHADOW HEADER:', 'Checksum Information:', `Expected Checksum: 0x${hx(c.shadow.expected).padStart(8, '0')}`, `  Actual Checksum: 0x${hx(c.shadow.actual).padStart(8, '0')}`);
    o.push(...headerFields(e.header));
  }
  o.push('');
  if (!c.identical) o.push('WARNING: primary header and shadow header are not identical.');
  if (c.primary.expected !== c.primary.actual || c.primary.bytes === 0) o.push('WARNING: primary header has a checksum error.');
  if (c.shadow.expected !== c.shadow.actual || c.shadow.bytes === 0) o.push('WARNING: shadow header has a checksum error.');
  if (c.primary.bytes && c.primary.actual === 0) o.push('WARNING: primary header has a zeroed checksum.');
  if (c.shadow.bytes && c.shadow.actual === 0) o.push('WARNING: shadow header has a zeroed checksum.');
  if (e.pageSize === 2048) o.push('WARNING: this is a legacy database using a 2KB page size, which is no longer supported in this version of ESE.');
  return { lines: o, err: st === 'corrupt' ? -1206 : 0 };
}

/** esefile /s (eseutil /k <database>): the checksum report. */
export function checksumText(path: string, e: DbExt): { lines: string[]; err: number } {
  const o: string[] = ['Initiating CHECKSUM mode...', `        Database: ${path}`];
  if (e.fileType === 5 && e.headerStatus !== 'corrupt') {
    o.push('', 'This is a temporary database. Checksums are not maintained for such databases.');
    return { lines: o, err: 0 };
  }
  const p = e.pages;
  if (!p) {
    o.push('', e.pagesNote ?? 'pages not checked');
    return { lines: o, err: e.headerStatus === 'corrupt' ? -1206 : 0 };
  }
  const op = 'Checksum Status (% complete)';
  o.push('', '', `File: ${path.slice(0, 64)}`, '');
  o.push(`          ${op.padStart(Math.floor((51 - op.length) / 2) + op.length, ' ')}`, '');
  o.push('          0    10   20   30   40   50   60   70   80   90  100');
  o.push('          |----|----|----|----|----|----|----|----|----|----|');
  o.push('          ' + '.'.repeat(51));
  const correctable = new Map(p.correctablePages.map((c) => [c.pgno, c.bit]));
  const shown = p.badPages.slice(0, 1000);
  for (const pg of shown) {
    const where = pg <= 0 ? `page ${pg} (header)` : `page ${pg}`;
    const bit = correctable.get(pg);
    o.push(bit !== undefined ? `WARNING: ${where} checksum verification failed but the corruption ( bit ${bit} ) can be corrected` : `ERROR: ${where} checksum failed`);
  }
  if (p.badPages.length < p.bad || shown.length < p.badPages.length) o.push(`(${p.bad - shown.length} more pages with checksum errors are not listed)`);
  const mb = Math.floor(p.seen / Math.floor((1024 * 1024) / (e.pageSize ?? 4096)));
  o.push('', '');
  o.push(`${p.seen} pages seen`);
  o.push(`${p.bad - p.correctable} bad checksums`);
  o.push(`${p.correctable} correctable checksums`);
  o.push(`${p.uninitialized} uninitialized pages`);
  o.push(`${p.wrongPageNumber} wrong page numbers`);
  o.push(`0x${u64hex(p.highestDbtime)} highest dbtime (pgno 0x${hx(Math.max(0, p.highestDbtimePgno))})`);
  o.push('', `${mb} MB read`);
  const ok = p.bad - p.correctable === 0 && p.wrongPageNumber === 0 && p.seen > 0;
  return { lines: o, err: ok ? 0 : -1206 };
}

function attachLines(o: string[], a: AttachInfo, indent: string): void {
  const d = BigInt(a.dbtime);
  o.push(`${indent}dbtime: ${a.dbtime} (${(d >> 32n).toString()}-${(d & 0xffffffffn).toString()})`);
  o.push(`${indent}objidLast: ${a.objidLast >>> 0}`);
  o.push(`${indent}Signature: ${formatSignature(a.signDb)}`);
  o.push(`${indent}MaxDbSize: ${a.cpgDatabaseSizeMax >>> 0} pages`);
  o.push(`${indent}Last Attach: ${formatLgpos(a.lgposAttach)}`);
  o.push(`${indent}Last Consistent: ${formatLgpos(a.lgposConsistent)}`);
}

function envLines(o: string[], d: DbmsParam): void {
  o.push('      Env (CircLog,Session,Opentbl,VerPage,Cursors,LogBufs,LogFile,Buffers)');
  o.push(`          (${d.circularLogging ? '     on' : '    off'},${pad7(d.sessionsMax)},${pad7(d.openTablesMax)},${pad7(d.verPagesMax)},${pad7(d.cursorsMax)},${pad7(d.logBuffers)},${pad7(d.logFileSectors)},${pad7(d.cacheSizeMax)})`);
}

const DISK_SEC: Record<number, string> = {
  0: ' (legacy, unknown actual)', 1: ' (matches)', 2: ' (actual @ log gen 512)', 3: ' (actual @ log gen 1024)', 4: ' (actual @ log gen 2048)',
  5: ' (actual @ log gen 4096)', 255: ' (actual @ log gen NON-STANDARD)',
};

/** eseutil /ml <log>: the dump of one log file. */
export function mlFileText(path: string, e: LogExt, checkpoint: Lgpos | null): { lines: string[]; err: number } {
  const o: string[] = ['Initiating FILE DUMP mode...', `      Base name: ${e.baseName ?? '???'}`, `      Log file: ${path}`];
  const h = e.header;
  if (!e.headerOk || !h) {
    o.push('                ERROR: Cannot read log file header. Error -501.');
    return { lines: o, err: -501 };
  }
  o.push(`      lGeneration: ${h.generation >>> 0} (0x${HX(h.generation)})`);
  o.push(checkpoint ? `      Checkpoint: ${formatLgpos(checkpoint)}` : '      Checkpoint: NOT AVAILABLE');
  o.push(`      creation time: ${t(h.tmCreate)}`);
  o.push(`      prev gen time: ${t(h.tmPrevGen)}`);
  o.push(`      prev gen accumulated segment checksum: 0x${h.checksumPrevLogAllSegments}`);
  o.push(`      Format LGVersion: (${h.major}.${h.minor}.${h.updateMajor}.${h.updateMinor}) (generated by ${h.efvEngineCurrentDiagnostic})`);
  o.push(`      Signature: ${formatSignature(h.signLog)}`);
  o.push(`      Env SystemPath: ${h.dbmsParam.systemPath}`);
  o.push(`      Env LogFilePath: ${h.dbmsParam.logFilePath}`);
  o.push(`      Env Log Sec size: ${short(h.cbSec)}${DISK_SEC[h.diskSecSizeMismatch] ?? ' (Unknown ENUM!)'}`);
  envLines(o, h.dbmsParam);
  o.push(`      Using Reserved Log File: ${h.reservedLog ? 'true' : 'false'}`);
  o.push(`      Circular Logging Flag (current file): ${h.circularLoggingCurrent ? 'on' : 'off'}`);
  o.push(`      Circular Logging Flag (past files): ${h.circularLoggingHistory ? 'on' : 'off'}`);
  o.push(`      Checkpoint at log creation time: ${formatLgpos(h.lgposCheckpoint)}`);
  for (const a of e.attachments) {
    o.push(`      ${a.dbid} ${a.names[0] ?? ''}${a.sparse ? ' (sparse)' : ''}`);
    attachLines(o, a, '\t\t ');
  }
  o.push('');
  if (e.legacy && e.lrck) {
    const torn = e.lrck.torn === 'shadow-patch' ? '; torn last flush: soft recovery patches it from its shadow sector'
      : e.lrck.torn === 'torn-write' ? '; torn last flush: soft recovery ends the log before it' : '';
    o.push(`      LRCHECKSUM records (legacy format): ${e.lrck.good} verified${e.lrck.bad ? `, ${e.lrck.bad} bad (${e.lrck.problem})` : ''}; shadow sector: ${e.lrck.shadow ?? 'not checked'}${torn}`);
  } else if (e.legacy) {
    o.push('      (legacy log format: impossible geometry, LRCHECKSUM records not checked)');
    return { lines: o, err: -501 };
  }
  if (e.damage && e.lastLgpos) {
    o.push(`      ERROR: Log damaged (unusable). Last Lgpos: (0x${hx(e.lastLgpos.generation)},${HX(e.lastLgpos.sector)},${HX(e.lastLgpos.offset)}). Error -501.`);
    return { lines: o, err: -501 };
  }
  if (e.lastLgpos) {
    o.push(`      Last Lgpos: (0x${hx(e.lastLgpos.generation)},${HX(e.lastLgpos.sector)},${HX(e.lastLgpos.offset)})`);
    if (e.accumulatedChecksum) o.push(`      Accumulated segment checksum: 0x${e.accumulatedChecksum}`);
  }
  o.push('', `Integrity check passed for log file: ${path}`);
  return { lines: o, err: 0 };
}

/** eseutil /ml <base> (verify): the generation walk over one log set. */
export function mlSetText(set: LogSetReport, logs: Map<string, LogExt>, issuesByFile: Map<string, string[]>): { lines: string[]; err: number } {
  const o: string[] = ['Initiating FILE DUMP mode...', '', 'Verifying log files...', `     Base name: ${set.base}`];
  let err = 0;
  if (set.members.length) o.push('');
  const byGen = new Map(set.members.map((m) => [m.generation, m]));
  const gens = [...byGen.keys()].sort((a, b) => a - b);
  for (let i = 0; i < gens.length; i++) {
    const m = byGen.get(gens[i])!;
    const e = logs.get(m.path);
    const msgs = issuesByFile.get(m.path) ?? [];
    let line = `      Log file: ${m.path}`;
    if (!e || !e.headerOk) {
      line += '\n                ERROR: Cannot read log file header. Error -501.';
      err = err || -501;
    } else if (msgs.length) {
      line += msgs.map((x) => `\n                ${x}`).join('');
      err = err || -501;
    } else line += ' - OK';
    o.push(line);
    if (i + 1 < gens.length && gens[i + 1] !== gens[i] + 1) {
      const a = gens[i] + 1;
      const b = gens[i + 1] - 1;
      const ext = m.path.toLowerCase().endsWith('.jtx') ? '.jtx' : '.log';
      const digits = /[0-9a-f]{8}\.(log|jtx)$/i.test(m.path) ? 8 : 5;
      const g = (x: number) => HX(x).padStart(digits, '0');
      o.push(a === b ? `      Missing log file: ${set.base}${g(a)}${ext}` : `      Missing log files: ${set.base}{${g(a)} - ${g(b)}}${ext}`);
      err = err || -528;
    }
  }
  if (!err) o.push('', 'No damaged log files were found.');
  return { lines: o, err };
}

/** eseutil /mk <checkpoint>. */
export function mkText(path: string, e: ChkExt): { lines: string[]; err: number } {
  const o: string[] = ['Initiating FILE DUMP mode...', `      Checkpoint file: ${path}`];
  const h = e.header;
  if (!h) return { lines: [...o, '      ERROR: checkpoint file is corrupt (both copies fail their checksum).'], err: -533 };
  o.push(`      LastFullBackupCheckpoint: ${formatLgpos(h.lgposLastFullBackupCheckpoint)}`);
  o.push(`      Checkpoint: ${formatLgpos(h.lgposCheckpoint)}`);
  o.push(`      DbConsistency: ${formatLgpos(h.lgposDbConsistency)}`);
  o.push(`      FullBackup: ${formatLgpos(h.lgposFullBackup)}`);
  o.push(`      FullBackup time: ${t(h.logtimeFullBackup)}`);
  o.push(`      IncBackup: ${formatLgpos(h.lgposIncBackup)}`);
  o.push(`      IncBackup time: ${t(h.logtimeIncBackup)}`);
  o.push(`      Signature: ${formatSignature(h.signLog)}`);
  envLines(o, h.dbmsParam);
  for (const a of h.attachments) {
    o.push(`${String(a.dbid).padStart(7, ' ')} ${a.names[0] ?? ''}`);
    attachLines(o, a, '        ');
  }
  return { lines: o, err: 0 };
}

const VERDICT_WORDS: Record<string, string> = {
  'point-in-time-ready': 'POINT-IN-TIME RESTORE READY',
  'roll-forward-ready': 'ROLL-FORWARD RESTORE READY',
  'consistent-no-logs': 'CONSISTENT (no logs to replay)',
  'not-ready': 'NOT READY',
};

const yn = (b: boolean | null): string => (b === null ? 'n/a' : b ? 'yes' : 'no');

/** The restore plan of one database as a checklist (the article's manual steps). */
export function planText(p: EsePlan): string[] {
  const o: string[] = [`Restore plan (KB 296788) for ${p.database}`];
  o.push(`              State: ${p.state}`);
  if (p.group.length > 1) o.push(`              Group: ${p.group.map(fileOf).join(', ')} (same log signature)`);
  o.push(`            Log set: ${p.logSet ? `${p.logSet.base} in ${p.logSet.folder || '.'}` : 'none'}`);
  const anchor = (a: EsePlan['lowAnchor']) => (a ? `0x${HX(a.generation)} (${a.log ? fileOf(a.log) : 'log not present'})` : 'n/a');
  o.push(`         Low anchor: ${anchor(p.lowAnchor)}`);
  o.push(`        High anchor: ${anchor(p.highAnchor)}`);
  o.push(`   Log signature matches: ${yn(p.logSignatureMatches)}`);
  o.push(`   Chain from low anchor complete: ${yn(p.chainComplete)}${p.missing.length ? ` (missing ${p.missing.length} generation(s))` : ''}`);
  o.push(`   Current log is the high anchor: ${yn(p.currentLogIsHighAnchor)}${p.currentLog ? ` (${fileOf(p.currentLog.path)}${p.currentLog.generation !== null ? ` = 0x${HX(p.currentLog.generation)}` : ''})` : ' (no current log)'}`);
  o.push(`   Checkpoint valid for point-in-time: ${p.checkpoint ? `${yn(p.checkpoint.validForPointInTime)} (${fileOf(p.checkpoint.path)}${p.checkpoint.reason ? `: ${p.checkpoint.reason}` : ''})` : 'no checkpoint file'}`);
  o.push(`   Verdict: ${VERDICT_WORDS[p.verdict]}${p.expectedError ? ` (recovery would end in ${p.expectedError.code} ${p.expectedError.name})` : ''}`);
  for (const pr of p.problems) o.push(`   - ${pr}`);
  for (const s of p.steps) o.push(`   [ ] ${s.text}`);
  return o;
}

const ERR_NAMES: Record<number, string> = {
  [-501]: 'JET_errLogFileCorrupt, Log file is corrupt',
  [-528]: 'JET_errMissingLogFile, Current log file missing',
  [-533]: 'JET_errCheckpointCorrupt, Checkpoint file not found or corrupt',
  [-1206]: 'JET_errDatabaseCorrupted, Non database file or corrupted db',
};

/** `palimpsest verify --format eseutil`. */
export function eseutilText(r: VerifyReport): string {
  const out: string[] = [];
  const sections: string[][] = [];
  let firstErr = 0;
  const files = r.files;
  const ese = (f: FileReport) => f.ese as Record<string, unknown> | undefined;
  const issuesByFile = new Map<string, string[]>();
  for (const i of r.issues) {
    if (!i.code.startsWith('ese.logset.') || i.severity !== 'error') continue;
    const l = issuesByFile.get(i.file) ?? [];
    l.push(i.message.replace(/ \(JET_err[A-Za-z]+ -\d+\)$/, ''));
    issuesByFile.set(i.file, l);
  }
  const logs = new Map<string, LogExt>();
  for (const f of files) {
    if (f.kind !== 'ese-log' || !ese(f)) continue;
    const e = ese(f) as unknown as LogExt;
    logs.set(f.path, e);
    const own = f.issues.filter((i) => i.severity === 'error').map((i) => i.message);
    if (own.length) issuesByFile.set(f.path, [...(issuesByFile.get(f.path) ?? []), ...own]);
  }
  const note = (err: number) => { if (err && !firstErr) firstErr = err; };
  for (const f of files) {
    if (f.kind !== 'ese-database' || !ese(f)) continue;
    const e = ese(f) as unknown as DbExt;
    const mh = mhText(f.path, e);
    sections.push(mh.lines);
    note(mh.err);
    if (e.headerStatus !== 'corrupt' || e.pages) {
      const k = checksumText(f.path, e);
      sections.push(k.lines);
      note(k.err);
    }
  }
  const sets = (r.eseLogSets as LogSetReport[] | undefined) ?? [];
  const chkByFolder = new Map<string, Lgpos>();
  for (const f of files) {
    if (f.kind !== 'ese-checkpoint' || !ese(f)) continue;
    const c = (ese(f) as unknown as ChkExt).checkpoint;
    const dir = f.path.slice(0, Math.max(0, Math.max(f.path.lastIndexOf('/'), f.path.lastIndexOf('\\'))));
    const base = fileOf(f.path).slice(0, 3).toUpperCase();
    if (c) chkByFolder.set(`${dir}\u0000${base}`, c);
  }
  const plans = (r.esePlan as EsePlan[] | undefined) ?? [];
  for (const s of sets) {
    const ml = mlSetText(s, logs, issuesByFile);
    sections.push(ml.lines);
    note(ml.err);
    // The article reads the header of <base>.log and of the anchor logs with /ml.
    const wanted = new Set<string>();
    if (s.current) wanted.add(s.current.path);
    for (const p of plans) {
      if (p.logSet?.folder !== s.folder || p.logSet.base !== s.base) continue;
      if (p.lowAnchor?.log) wanted.add(p.lowAnchor.log);
      if (p.highAnchor?.log) wanted.add(p.highAnchor.log);
    }
    for (const path of [...wanted].sort()) {
      const e = logs.get(path);
      if (!e) continue;
      const one = mlFileText(path, e, chkByFolder.get(`${s.folder}\u0000${s.base.toUpperCase()}`) ?? null);
      sections.push(one.lines);
      note(one.err);
    }
  }
  for (const f of files) {
    if (f.kind !== 'ese-checkpoint' || !ese(f)) continue;
    const mk = mkText(f.path, ese(f) as unknown as ChkExt);
    sections.push(mk.lines);
    note(mk.err);
  }
  for (const p of plans) sections.push(planText(p));
  const others = files.filter((f) => !f.kind.startsWith('ese-'));
  if (others.length) sections.push([`(${others.length} non-ESE file(s) not shown in eseutil format: use --format text)`]);
  for (const s of sections) out.push(...s, '');
  const secs = `${Math.floor(r.elapsedMs / 1000)}.${r.elapsedMs % 1000}`;
  out.push(firstErr ? `Operation terminated with error ${firstErr} (${ERR_NAMES[firstErr] ?? 'see the issues above'}) after ${secs} seconds.` : `Operation completed successfully in ${secs} seconds.`);
  return out.join('\n');
}

// ---- Short lines for the default text report (report/text.ts) ---------------------------------------------------

/** One or two summary lines for an ESE file in `verify` text output. */
export function eseFileSummary(f: FileReport): string[] {
  const e = f.ese as Record<string, any> | undefined;
  if (!e) return [];
  if (f.kind === 'ese-database') {
    const lines = [`     ESE database: page size ${e.pageSize ?? '?'}, state ${e.state ?? 'unreadable header'}${e.lastConsistent ? `, Last Consistent ${formatLgpos(e.lastConsistent)}` : ''}, header ${e.headerStatus}`];
    const p = e.pages;
    if (p) lines.push(`     pages: ${p.seen} seen, ${p.bad} bad (${p.correctable} correctable, ${p.wrongPageNumber} wrong page number), ${p.uninitialized} uninitialized`);
    else if (e.pagesNote) lines.push(`     pages: ${e.pagesNote}`);
    return lines;
  }
  if (f.kind === 'ese-log') {
    if (e.generation === null) return [`     ESE ${e.role === 'reserve' ? 'reserve log' : e.role === 'tmp' ? 'temporary log' : 'log, no readable header'}${e.allZero ? ' (all zero)' : ''}`];
    const s = e.segments;
    return [
      `     ESE log generation ${e.generation} (0x${HX(e.generation)})${e.role !== 'archived' && e.role !== 'current' ? ` [${e.role}]` : ''}, signature ${e.logSignature}`,
      ...(s ? [`     segments: ${s.seen} seen, ${s.bad} bad, ${s.shadow} shadow, ${s.empty} empty; accumulated checksum 0x${e.accumulatedChecksum}`] : []),
    ];
  }
  if (f.kind === 'ese-checkpoint') return [`     ESE checkpoint ${e.checkpoint ? formatLgpos(e.checkpoint) : '(unreadable)'}, copies ${e.status}`];
  if (f.kind === 'ese-flush-map') return [`     ESE flush map: header ${e.headerOk ? 'ok' : 'bad'}, ${e.clean ? 'clean' : 'not clean'}, ${e.dataPages.good}/${e.dataPages.seen} data page(s) verify`];
  return [];
}

/** Log sets and restore plans in `verify` text output. */
export function eseCaseSummary(r: VerifyReport): string[] {
  const out: string[] = [];
  for (const s of (r.eseLogSets as LogSetReport[] | undefined) ?? []) {
    const range = s.low !== null ? `0x${HX(s.low)}-0x${HX(s.high!)}` : 'no generations';
    out.push(`ESE log set ${s.base} in ${s.folder || '.'}: ${range}, ${s.members.length} log(s)${s.missing.length ? `, missing ${s.missing.length}` : ''}: ${s.ok ? 'OK' : 'PROBLEMS'}`);
  }
  if (out.length) out.push('');
  for (const p of (r.esePlan as EsePlan[] | undefined) ?? []) out.push(...planText(p), '');
  return out;
}
