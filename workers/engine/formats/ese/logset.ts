// Log sets: the logs of one folder that share a base name, ordered into a generation chain, as eseutil /ml
// <base> verifies them (FORMAT.md §N, rules N1..N8; MS-ESE ese/_log/logdump.cxx ErrDUMPLog l.580-760,
// ErrLGDumpLog l.1040-1200; daeconst.hxx file names; KB 296788 for Exchange names).
//
//   N1 Names (case-insensitive): <base><5 or 8 hex digits>.log|.jtx = an archived generation; <base>.log|.jtx = the
//      current log (its generation comes from its header); <base>tmp.log|.jtx = a temporary log, kept out of the
//      chain; <base>res<5 digits>.jrs and Exchange's res1.log / res2.log = reserve logs, kept out of the chain.
//      <base> is three characters (E00..E03 for Exchange storage groups, edb, SRU, ...).
//   N2 One set per (folder, base name). A log named otherwise is reported and kept out of every chain.
//   N3 The file-name generation must equal the header's lGeneration (JET_errLogGenerationMismatch -513).
//   N4 Generations must be consecutive from the lowest to the highest; the current log must be highest + 1 of the
//      archived ones ("Missing log file(s)", JET_errMissingLogFile -528).
//   N5 For consecutive generations g-1, g: tmPrevGen(g) == tmCreate(g-1) (JET_errInvalidLogSequence -515).
//   N6 checksumPrevLogAllSegments(g), when non-zero, == accumulated segment checksum of g-1
//      (JET_errLogSequenceChecksumMismatch -590).
//   N7 signLog is equal across the set (JET_errBadLogSignature -530).
//   N8 A damaged log (header checksum, segment corruption) breaks the chain at its generation.

import type { Issue } from '../../types';
import type { LogAnalysis } from './log';
import { formatLogTime, formatSignature } from './structs';

export type LogNameKind = 'archived' | 'current' | 'tmp' | 'reserve' | 'other';

export interface LogName {
  dir: string;
  file: string;
  /** Base name as written in the file name (three characters), or null. */
  base: string | null;
  kind: LogNameKind;
  generation: number | null;
  digits: 5 | 8 | null;
  ext: string;
}

/** Splits a path into folder and file name, for '/' and '\' separators. */
export function splitPath(p: string): { dir: string; file: string } {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? { dir: '', file: p } : { dir: p.slice(0, i), file: p.slice(i + 1) };
}

/** N1 */
export function parseLogName(path: string): LogName {
  const { dir, file } = splitPath(path);
  let m = /^(.{3})res(\d{5})\.jrs$/i.exec(file);
  if (m) return { dir, file, base: m[1], kind: 'reserve', generation: null, digits: null, ext: 'jrs' };
  if (/^res[12]\.log$/i.test(file)) return { dir, file, base: null, kind: 'reserve', generation: null, digits: null, ext: 'log' };
  m = /^(.{3})tmp\.(log|jtx)$/i.exec(file);
  if (m) return { dir, file, base: m[1], kind: 'tmp', generation: null, digits: null, ext: m[2].toLowerCase() };
  m = /^(.{3})([0-9a-f]{8}|[0-9a-f]{5})\.(log|jtx)$/i.exec(file);
  if (m) return { dir, file, base: m[1], kind: 'archived', generation: parseInt(m[2], 16), digits: m[2].length as 5 | 8, ext: m[3].toLowerCase() };
  m = /^(.{3})\.(log|jtx)$/i.exec(file);
  if (m) return { dir, file, base: m[1], kind: 'current', generation: null, digits: null, ext: m[2].toLowerCase() };
  return { dir, file, base: null, kind: 'other', generation: null, digits: null, ext: file.includes('.') ? file.slice(file.lastIndexOf('.') + 1).toLowerCase() : '' };
}

/** A name that says "ESE log" even when the content cannot (zeroed tmp/reserve logs). */
export function looksLikeLogName(path: string): boolean {
  return parseLogName(path).kind !== 'other';
}

export interface LogMember {
  path: string;
  name: LogName;
  analysis: LogAnalysis;
}

export interface LogLink {
  from: number;
  to: number;
  ok: boolean;
  problems: string[];
}

export interface LogSet {
  /** Base name in upper case as the key (E00, EDB, SRU); `baseShown` keeps the spelling of the first file. */
  base: string;
  baseShown: string;
  folder: string;
  low: number | null;
  high: number | null;
  missing: number[];
  ok: boolean;
  /** Chain members by generation (the current log included). */
  members: Array<{ generation: number; path: string; current: boolean; damaged: boolean; signatureHex: string | null }>;
  current: { path: string; generation: number | null } | null;
  excluded: Array<{ path: string; kind: LogNameKind; generation: number | null; reason: string }>;
  links: LogLink[];
  /** Signature of the set as eseutil prints it, and its raw bytes. */
  signature: string | null;
  signatureHex: string | null;
  /** Generations whose header name and header disagree, are damaged, or carry another signature. */
  problems: string[];
}

const genHex = (g: number, digits: number): string => g.toString(16).toUpperCase().padStart(digits, '0');

/** Builds the log sets and their issues. `members` are all log-kind files of the case. */
export function buildLogSets(members: LogMember[]): { sets: LogSet[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const groups = new Map<string, LogMember[]>();
  for (const m of members) {
    if (m.name.base === null || m.name.kind === 'other') {
      if (m.name.kind !== 'reserve') {
        issues.push({ code: 'ese.logset.unnamed-log', severity: 'info', file: m.path, offset: null, message: `${m.name.file} is not named <base>.log, <base>NNNNN.log or <base>tmp.log; it is kept out of every log chain` });
      }
      continue;
    }
    const key = `${m.name.dir}\u0000${m.name.base.toUpperCase()}`;
    const g = groups.get(key) ?? [];
    g.push(m);
    groups.set(key, g);
  }
  const sets: LogSet[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    const set: LogSet = {
      base: first.name.base!.toUpperCase(), baseShown: first.name.base!, folder: first.name.dir, low: null, high: null, missing: [], ok: true,
      members: [], current: null, excluded: [], links: [], signature: null, signatureHex: null, problems: [],
    };
    const byGen = new Map<number, LogMember>();
    let current: LogMember | null = null;
    for (const m of group) {
      const a = m.analysis;
      if (m.name.kind === 'tmp' || m.name.kind === 'reserve') {
        const g = a.headerOk && a.header ? a.header.generation : null;
        set.excluded.push({ path: m.path, kind: m.name.kind, generation: g, reason: m.name.kind === 'tmp' ? 'temporary log: not part of the chain' : 'reserve log: not part of the chain' });
        if (m.name.kind === 'tmp' && g !== null) {
          issues.push({ code: 'ese.logset.tmp-log', severity: 'info', file: m.path, offset: 4, actual: g, message: `${m.name.file} holds generation ${g} (0x${g.toString(16).toUpperCase()}); a temporary log is kept out of the chain` });
        }
        continue;
      }
      if (m.name.kind === 'current') {
        if (current) {
          issues.push({ code: 'ese.logset.two-current-logs', severity: 'error', file: m.path, offset: null, message: `two current logs for base ${set.baseShown} in one folder (${current.name.file}, ${m.name.file})` });
          set.problems.push(`two current logs (${current.name.file}, ${m.name.file})`);
          continue;
        }
        current = m;
        continue;
      }
      const g = m.name.generation!;
      // N3
      if (a.headerOk && a.header && a.header.generation !== g) {
        issues.push({
          code: 'ese.logset.generation-mismatch', severity: 'error', file: m.path, offset: 4, expected: g, actual: a.header.generation,
          message: `ERROR: Mismatched log generation ${a.header.generation} (0x${a.header.generation.toString(16).toUpperCase()}) with log file name. Expected generation ${g} (0x${g.toString(16).toUpperCase()}) (JET_errLogGenerationMismatch -513)`,
        });
        set.problems.push(`${m.name.file}: header generation ${a.header.generation}`);
      }
      if (byGen.has(g)) {
        issues.push({ code: 'ese.logset.duplicate-generation', severity: 'error', file: m.path, offset: null, actual: g, message: `generation ${g} appears twice (${byGen.get(g)!.name.file}, ${m.name.file})` });
        set.problems.push(`generation ${g} twice`);
        continue;
      }
      byGen.set(g, m);
    }
    if (current) {
      const a = current.analysis;
      const g = a.headerOk && a.header ? a.header.generation : null;
      set.current = { path: current.path, generation: g };
      if (g === null) {
        set.problems.push(`${current.name.file}: header unreadable, generation unknown`);
      } else if (byGen.has(g)) {
        issues.push({ code: 'ese.logset.duplicate-generation', severity: 'error', file: current.path, offset: 4, actual: g, message: `${current.name.file} holds generation ${g}, which ${byGen.get(g)!.name.file} also holds` });
        set.problems.push(`generation ${g} twice`);
      } else byGen.set(g, current);
    }
    const gens = [...byGen.keys()].sort((x, y) => x - y);
    if (gens.length) {
      set.low = gens[0];
      set.high = gens[gens.length - 1];
    }
    const digits = group.find((m) => m.name.digits)?.name.digits ?? 5;
    // N4
    for (let i = 1; i < gens.length; i++) {
      if (gens[i] === gens[i - 1] + 1) continue;
      const a = gens[i - 1] + 1;
      const b = gens[i] - 1;
      const span = b - a + 1;
      for (let g = a; g <= b && set.missing.length < 100_000; g++) set.missing.push(g);
      const ext = group[0].name.ext;
      const text = span === 1
        ? `Missing log file: ${set.baseShown}${genHex(a, digits)}.${ext}`
        : `Missing log files: ${set.baseShown}{${genHex(a, digits)} - ${genHex(b, digits)}}.${ext}`;
      issues.push({ code: 'ese.logset.missing-logs', severity: 'error', file: byGen.get(gens[i])!.path, offset: null, expected: a, actual: gens[i], message: `${text} (JET_errMissingLogFile -528)` });
    }
    // Signature of the set: the one most members carry (N7 is then checked against it).
    const sigCount = new Map<string, { n: number; text: string }>();
    for (const g of gens) {
      const h = byGen.get(g)!.analysis;
      if (!h.headerOk || !h.header) continue;
      const e = sigCount.get(h.header.signLog.hex) ?? { n: 0, text: formatSignature(h.header.signLog) };
      e.n++;
      sigCount.set(h.header.signLog.hex, e);
    }
    let bestHex: string | null = null;
    for (const [hex, e] of sigCount) if (!bestHex || e.n > sigCount.get(bestHex)!.n) bestHex = hex;
    set.signatureHex = bestHex;
    set.signature = bestHex ? sigCount.get(bestHex)!.text : null;
    for (const g of gens) {
      const m = byGen.get(g)!;
      const a = m.analysis;
      const damaged = !a.headerOk || a.damage !== null;
      set.members.push({ generation: g, path: m.path, current: m === current, damaged, signatureHex: a.headerOk && a.header ? a.header.signLog.hex : null });
      if (damaged) set.problems.push(`${m.name.file}: damaged`);
      if (a.headerOk && a.header && bestHex && a.header.signLog.hex !== bestHex) {
        issues.push({
          code: 'ese.logset.signature-mismatch', severity: 'error', file: m.path, offset: 44, expected: set.signature!, actual: formatSignature(a.header.signLog),
          message: `ERROR: Invalid log signature: ${formatSignature(a.header.signLog)}; expected signature: ${set.signature} (JET_errBadLogSignature -530)`,
        });
        set.problems.push(`${m.name.file}: other log signature`);
      }
    }
    // N5, N6 between consecutive generations.
    for (let i = 1; i < gens.length; i++) {
      if (gens[i] !== gens[i - 1] + 1) continue;
      const prev = byGen.get(gens[i - 1])!;
      const cur = byGen.get(gens[i])!;
      const link: LogLink = { from: gens[i - 1], to: gens[i], ok: true, problems: [] };
      const pa = prev.analysis;
      const ca = cur.analysis;
      if (!pa.headerOk || !ca.headerOk || !pa.header || !ca.header) {
        link.ok = false;
        link.problems.push('a header is unreadable');
      } else {
        const t1 = formatLogTime(ca.header.tmPrevGen);
        const t0 = formatLogTime(pa.header.tmCreate);
        if (JSON.stringify(ca.header.tmPrevGen) !== JSON.stringify(pa.header.tmCreate)) {
          link.ok = false;
          link.problems.push('previous generation time');
          issues.push({
            code: 'ese.logset.invalid-sequence', severity: 'error', file: cur.path, offset: 24, expected: t0, actual: t1,
            message: `ERROR: Invalid log sequence. Previous generation time is [${t1}], but expected [${t0}] (JET_errInvalidLogSequence -515)`,
          });
        }
        const prevAcc = pa.accumulatedChecksum;
        const claimed = ca.header.checksumPrevLogAllSegments;
        if (claimed !== '0000000000000000' && prevAcc !== null && claimed !== prevAcc) {
          link.ok = false;
          link.problems.push('previous generation accumulated segment checksum');
          issues.push({
            code: 'ese.logset.checksum-sequence', severity: 'error', file: cur.path, offset: 653, expected: `0x${prevAcc}`, actual: `0x${claimed}`,
            message: `ERROR: Invalid log sequence. Previous generation accumulated segment checksum is 0x${claimed}, but expected 0x${prevAcc} (JET_errLogSequenceChecksumMismatch -590)`,
          });
        }
      }
      set.links.push(link);
    }
    set.ok = set.missing.length === 0 && set.problems.length === 0 && set.links.every((l) => l.ok) && set.members.length > 0;
    sets.push(set);
  }
  sets.sort((x, y) => (x.folder < y.folder ? -1 : x.folder > y.folder ? 1 : x.base < y.base ? -1 : x.base > y.base ? 1 : 0));
  return { sets, issues };
}

/**
 * Generations [from, to] all present, undamaged and linked in the set; with `signatureHex`, a log carrying another
 * log signature counts as broken too (it must be removed before replay).
 */
export function chainComplete(set: LogSet, from: number, to: number, signatureHex?: string): { ok: boolean; missing: number[]; broken: number[] } {
  const have = new Map(set.members.map((m) => [m.generation, m]));
  const missing: number[] = [];
  const broken: number[] = [];
  for (let g = from; g <= to && missing.length + broken.length < 100_000; g++) {
    const m = have.get(g);
    if (!m) { missing.push(g); continue; }
    if (m.damaged || (signatureHex !== undefined && m.signatureHex !== null && m.signatureHex !== signatureHex)) broken.push(g);
    if (g > from) {
      const l = set.links.find((x) => x.to === g);
      if (l && !l.ok) broken.push(g);
    }
  }
  return { ok: missing.length === 0 && broken.length === 0, missing, broken };
}
