// The ESE facts the page reads from a verify report (what formats/ese/plugin.ts puts in FileReport.ese and the
// report's eseLogSets / esePlan), and eseutil-style formatting of them. Pure; no DOM.
import type { FileReport, VerifyReport } from '../../../workers/engine/report/report';
import type { DbFileHeader } from '../../../workers/engine/formats/ese/header';
import type { EseDbFacts, EseLogFacts, EseCheckpointFacts, EseFlushMapFacts, EseLogSetFacts } from '../../../workers/engine/formats/ese/facts';
import type { EsePlan } from '../../../workers/engine/formats/ese/restore';
import { formatLgpos, formatLogTime, formatSignature } from '../../../workers/engine/formats/ese/structs';
import { stateWord, shadowingDisabled } from '../../../workers/engine/formats/ese/header';

export type { EsePlan };

export type { EseDbFacts, EseLogFacts, EseCheckpointFacts, EseFlushMapFacts };
/** One log set of the report (its `eseLogSets`). */
export type EseLogSetView = EseLogSetFacts;

export const eseOf = <T>(f: FileReport): T | null => (f.ese as T | undefined) ?? null;
export const logSetsOf = (r: VerifyReport): EseLogSetView[] => (r.eseLogSets as EseLogSetView[] | undefined) ?? [];
export const plansOf = (r: VerifyReport): EsePlan[] => (r.esePlan as EsePlan[] | undefined) ?? [];
export const hasEse = (r: VerifyReport): boolean => r.files.some((f) => f.kind.startsWith('ese-'));

export const hx = (n: number): string => (n >>> 0).toString(16);
export const HX = (n: number): string => (n >>> 0).toString(16).toUpperCase();
export const hex8 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
export const genText = (g: number): string => `${g >>> 0} (0x${HX(g)})`;
export const short = (n: number): number => ((n & 0xffff) << 16) >> 16;
export const fileOf = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);

/** The facts eseutil /mh prints first, formatted as it prints them (eseutil.ts headerFields). */
export function mhFacts(h: DbFileHeader): Record<string, string> {
  return {
    state: stateWord(h.dbstate),
    cbDbPage: String(h.cbPageSize | 0),
    formatVersion: `0x${hx(h.version)},${h.daeUpdateMajor | 0},${h.daeUpdateMinor | 0}`,
    createdVersion: `0x${hx(h.createVersion)},${short(h.createUpdate)}`,
    dbSignature: formatSignature(h.signDb),
    logSignature: formatSignature(h.signLog),
    dbtime: `${h.dbtimeDirtied} (0x${BigInt(h.dbtimeDirtied).toString(16)})`,
    logRequired: `${h.genMinRequired >>> 0}-${h.genMaxRequired >>> 0} (0x${hx(h.genMinRequired)}-0x${hx(h.genMaxRequired)})`,
    logCommitted: `0-${h.genMaxCommitted >>> 0} (0x0-0x${hx(h.genMaxCommitted)})`,
    logConsistent: `${h.genMinConsistent >>> 0} (0x${hx(h.genMinConsistent)})`,
    lastConsistent: `${formatLgpos(h.lgposConsistent)}  ${formatLogTime(h.logtimeConsistent)}`,
    lastAttach: `${formatLgpos(h.lgposAttach)}  ${formatLogTime(h.logtimeAttach)}`,
    lastDetach: `${formatLgpos(h.lgposDetach)}  ${formatLogTime(h.logtimeDetach)}`,
    shadowed: shadowingDisabled(h) ? 'No' : 'Yes',
    dbid: String(short(h.dbid)),
    repairCount: String(h.repairCount >>> 0),
    osVersion: `${h.osMajorVersion >>> 0}.${h.osMinorVersion >>> 0}.${h.osBuildNumber >>> 0} SP ${h.osSPNumber >>> 0}`,
  };
}

/** Generations low..high of a set with what each one is: present, damaged or missing (at most `max` cells). */
export function chainCells(s: EseLogSetView, max = 400): Array<{ generation: number; state: 'ok' | 'damaged' | 'missing'; path: string | null; current: boolean }> {
  if (s.low === null || s.high === null) return [];
  const byGen = new Map(s.members.map((m) => [m.generation, m]));
  const out: Array<{ generation: number; state: 'ok' | 'damaged' | 'missing'; path: string | null; current: boolean }> = [];
  for (let g = s.low; g <= s.high && out.length < max; g++) {
    const m = byGen.get(g);
    out.push({ generation: g, state: !m ? 'missing' : m.damaged ? 'damaged' : 'ok', path: m?.path ?? null, current: !!m?.current });
  }
  return out;
}

/** Missing generations as eseutil names them: SRU00004.log or SRU{00004 - 00006}.log, per gap. */
export function missingNames(s: EseLogSetView): string[] {
  const gaps: Array<[number, number]> = [];
  for (const g of s.missing) {
    const last = gaps[gaps.length - 1];
    if (last && g === last[1] + 1) last[1] = g;
    else gaps.push([g, g]);
  }
  const eight = s.members.some((m) => /[0-9a-f]{8}\.(log|jtx)$/i.test(m.path));
  const ext = s.members.some((m) => /\.jtx$/i.test(m.path)) ? '.jtx' : '.log';
  const n = (g: number) => HX(g).padStart(eight ? 8 : 5, '0');
  return gaps.map(([a, b]) => (a === b ? `${s.base}${n(a)}${ext}` : `${s.base}{${n(a)} - ${n(b)}}${ext}`));
}
