// Restore planning for ESE databases, logs and checkpoints dropped together: the checks the Exchange offline
// restore article (KB 296788) makes by hand with eseutil /mh, /ml and /mk (FORMAT.md §R, rules R1..R10).
//
//   R1 A group (storage group) is the databases sharing one log signature (DBFILEHDR.signLog @108). The group's
//      log set is the set whose logs carry that signature (else, when the case holds exactly one set, that set,
//      with a signature mismatch).
//   R2 A database is consistent when its state is "Clean Shutdown" (Last Consistent @56 keeps its last value in
//      other states, so the state decides).
//   R3 Anchors: each consistent database needs logs from its Last Consistent generation; a dirty one needs
//      lGenMinRequired..lGenMaxRequired (@296, @300). Low anchor = the smallest of those generations in the group,
//      high anchor = the largest.
//   R4 Log signature match: the database's signLog equals the log set's signature (every replayed log must carry
//      it; logs with another signature must be removed before replay).
//   R5 The chain from the low anchor to the newest available log must be unbroken (present, undamaged, linked).
//      The newest log must be named <base>.log; when only archived logs exist, the newest is renamed to it.
//   R6 A checkpoint is valid for a point-in-time restore when it verifies, carries the log signature and its
//      generation is the generation of <base>.log.
//   R7 Point in time: every database of the group consistent and a valid checkpoint present; keep the checkpoint
//      and every log.
//   R8 Roll forward: every database of the group consistent (or dirty with its required logs present), R4 and R5
//      hold, the checkpoint (if any) deleted.
//   R9 Otherwise recovery ends in an error: an invalid checkpoint with consistent databases gives -1216
//      (JET_errAttachedDatabaseMismatch) when mounting; a missing high anchor or removed logs are likely to give
//      -1216; missing required logs of a dirty database give -543 (JET_errRequiredLogFilesMissing).
//   R10 Remedy for a broken chain with consistent databases: remove all logs and the checkpoint (the databases
//      start without logs; data only in the logs is lost), or remove the databases with the lowest Last
//      Consistent until the chain from the low anchor is unbroken.

import type { Verdict } from '../../types';
import type { Lgpos } from './structs';
import { formatLgpos } from './structs';
import { chainComplete, type LogSet } from './logset';
import { DBSTATE, stateWord } from './header';

export interface DbFacts {
  path: string;
  folder: string;
  headerUsable: boolean;
  state: number;
  lastConsistent: Lgpos;
  genMinRequired: number;
  genMaxRequired: number;
  signLogHex: string;
  signLog: string;
  /** Pages whose checksum fails and cannot be corrected; null when pages were not checked. */
  uncorrectablePages: number | null;
}

export interface CheckpointFacts {
  path: string;
  folder: string;
  /** Base from the file name (<base>.chk / .jcp), upper case, or null. */
  base: string | null;
  usable: boolean;
  checkpoint: Lgpos | null;
  signLogHex: string | null;
  signLog: string | null;
}

export interface PlanStep {
  action: 'keep' | 'remove' | 'rename' | 'delete' | 'run' | 'restore' | 'check';
  file?: string;
  to?: string;
  text: string;
}

export type EseVerdict = 'point-in-time-ready' | 'roll-forward-ready' | 'consistent-no-logs' | 'not-ready';

export interface EsePlan {
  database: string;
  state: string;
  consistent: boolean;
  /** Databases sharing the log signature (R1), this one included. */
  group: string[];
  logSet: { base: string; folder: string } | null;
  lowAnchor: { generation: number; log: string | null } | null;
  highAnchor: { generation: number; log: string | null } | null;
  logSignatureMatches: boolean | null;
  /** R5 from the low anchor to the newest log; null when there are no logs. */
  chainComplete: boolean | null;
  missing: number[];
  currentLog: { path: string; generation: number | null } | null;
  highestLog: { path: string; generation: number } | null;
  currentLogIsHighAnchor: boolean | null;
  checkpoint: { path: string; generation: number | null; validForPointInTime: boolean; reason: string | null } | null;
  pointInTime: { ready: boolean; reasons: string[] };
  rollForward: { ready: boolean; reasons: string[] };
  verdict: EseVerdict;
  /** The engine error recovery would end in, when neither mode is ready. */
  expectedError: { code: number; name: string } | null;
  caseVerdict: Verdict;
  problems: string[];
  steps: PlanStep[];
}

const ERR_1216 = { code: -1216, name: 'JET_errAttachedDatabaseMismatch' };
const ERR_543 = { code: -543, name: 'JET_errRequiredLogFilesMissing' };
const ERR_528 = { code: -528, name: 'JET_errMissingLogFile' };

const baseOf = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);

function describeGens(gs: number[]): string {
  if (gs.length === 0) return '';
  const parts: string[] = [];
  let a = gs[0], b = gs[0];
  const flush = () => parts.push(a === b ? `0x${a.toString(16).toUpperCase()}` : `0x${a.toString(16).toUpperCase()}-0x${b.toString(16).toUpperCase()}`);
  for (let i = 1; i < gs.length; i++) {
    if (gs[i] === b + 1) b = gs[i];
    else { flush(); a = b = gs[i]; }
  }
  flush();
  return parts.join(', ');
}

function pickLogSet(db: DbFacts, sets: LogSet[]): { set: LogSet | null; matches: boolean | null } {
  const bySig = sets.filter((s) => s.signatureHex === db.signLogHex);
  if (bySig.length) {
    // Prefer the set in the database's own folder.
    return { set: bySig.find((s) => s.folder === db.folder) ?? bySig[0], matches: true };
  }
  if (sets.length === 1) return { set: sets[0], matches: sets[0].signatureHex === null ? null : false };
  const sameFolder = sets.filter((s) => s.folder === db.folder);
  if (sameFolder.length === 1) return { set: sameFolder[0], matches: sameFolder[0].signatureHex === null ? null : false };
  return { set: null, matches: null };
}

function pickCheckpoint(set: LogSet | null, db: DbFacts, chks: CheckpointFacts[]): CheckpointFacts | null {
  if (set) {
    const same = chks.filter((c) => c.folder === set.folder && c.base === set.base);
    if (same.length) return same[0];
    const bySig = chks.filter((c) => c.signLogHex === set.signatureHex && set.signatureHex !== null);
    if (bySig.length) return bySig[0];
  }
  // A checkpoint belongs to a log stream: same folder and base as the set, or the database's log signature.
  const bySig = chks.filter((c) => c.signLogHex === db.signLogHex);
  return bySig.length ? bySig[0] : null;
}

const genRange = (d: DbFacts): string =>
  `${d.genMinRequired}-${d.genMaxRequired} (0x${d.genMinRequired.toString(16).toUpperCase()}-0x${d.genMaxRequired.toString(16).toUpperCase()})`;

/** R1-R10 for every database with a readable header. */
export function planRestore(dbs: DbFacts[], sets: LogSet[], chks: CheckpointFacts[]): EsePlan[] {
  const plans: EsePlan[] = [];
  for (const db of dbs) {
    const state = db.headerUsable ? stateWord(db.state) : 'unreadable header';
    const consistent = db.headerUsable && db.state === DBSTATE.cleanShutdown;
    const plan: EsePlan = {
      database: db.path, state, consistent, group: [db.path], logSet: null, lowAnchor: null, highAnchor: null, logSignatureMatches: null,
      chainComplete: null, missing: [], currentLog: null, highestLog: null, currentLogIsHighAnchor: null, checkpoint: null,
      pointInTime: { ready: false, reasons: [] }, rollForward: { ready: false, reasons: [] }, verdict: 'not-ready', expectedError: null,
      caseVerdict: 'not-restorable', problems: [], steps: [],
    };
    plans.push(plan);
    if (!db.headerUsable) {
      plan.problems.push('both database header copies fail their checksum: the database cannot be attached (JET_errDatabaseCorrupted -1206)');
      plan.pointInTime.reasons.push('database header unreadable');
      plan.rollForward.reasons.push('database header unreadable');
      plan.expectedError = { code: -1206, name: 'JET_errDatabaseCorrupted' };
      continue;
    }
    // R1
    const group = dbs.filter((d) => d.headerUsable && d.signLogHex === db.signLogHex);
    plan.group = group.map((d) => d.path);
    const groupConsistent = group.every((d) => d.state === DBSTATE.cleanShutdown);
    const { set, matches } = pickLogSet(db, sets);
    const chk = pickCheckpoint(set, db, chks);
    const damagedPages = db.uncorrectablePages !== null && db.uncorrectablePages > 0;
    // R3
    const need = (d: DbFacts): [number, number] =>
      d.state === DBSTATE.cleanShutdown ? [d.lastConsistent.generation, d.lastConsistent.generation] : [d.genMinRequired, d.genMaxRequired];
    const lows = group.map((d) => need(d)[0]).filter((g) => g > 0);
    const highs = group.map((d) => need(d)[1]).filter((g) => g > 0);
    const low = lows.length ? Math.min(...lows) : null;
    const high = highs.length ? Math.max(...highs) : null;
    const logFor = (g: number | null): string | null => (g !== null && set ? set.members.find((m) => m.generation === g)?.path ?? null : null);
    if (low !== null) plan.lowAnchor = { generation: low, log: logFor(low) };
    if (high !== null) plan.highAnchor = { generation: high, log: logFor(high) };

    if (!set && !chk) {
      // No logs and no checkpoint in the case.
      if (consistent) {
        plan.verdict = 'consistent-no-logs';
        plan.caseVerdict = damagedPages ? 'restorable-with-loss' : 'restorable';
        plan.pointInTime.reasons.push('no checkpoint file');
        plan.rollForward.reasons.push('no log files');
        plan.steps.push({ action: 'keep', file: db.path, text: `Keep ${baseOf(db.path)}: ${state}, Last Consistent ${formatLgpos(db.lastConsistent)}; it attaches without log replay (a new log stream starts)` });
      } else {
        const hasRange = db.genMinRequired > 0 && db.genMaxRequired >= db.genMinRequired;
        plan.problems.push(hasRange
          ? `database is in state "${state}" and no log files were given: soft recovery needs generations ${genRange(db)}`
          : `database is in state "${state}" and its header names no required log range: it was never brought to a consistent state`);
        plan.rollForward.reasons.push('no log files');
        plan.pointInTime.reasons.push('database not in Clean Shutdown');
        plan.expectedError = hasRange ? ERR_543 : { code: -550, name: 'JET_errDatabaseDirtyShutdown' };
        plan.caseVerdict = 'restorable-with-loss';
        plan.steps.push({
          action: 'check',
          text: hasRange
            ? `Find log generations ${genRange(db)} with log signature ${db.signLog}; without them only eseutil /p (repair, data loss) can make the database consistent`
            : 'Only eseutil /p (repair, data loss) can make this database consistent',
        });
      }
      if (damagedPages) plan.problems.push(`${db.uncorrectablePages} page(s) fail their checksum and cannot be corrected`);
      continue;
    }

    if (set) plan.logSet = { base: set.baseShown, folder: set.folder };
    plan.logSignatureMatches = matches;
    if (set?.current) plan.currentLog = { path: set.current.path, generation: set.current.generation };
    const newest = set && set.members.length ? set.members[set.members.length - 1] : null;
    if (newest) plan.highestLog = { path: newest.path, generation: newest.generation };
    if (set?.current?.generation != null && high !== null) plan.currentLogIsHighAnchor = set.current.generation === high;

    // R5
    let chainOk = false;
    if (set && low !== null && newest) {
      const from = low;
      const to = Math.max(newest.generation, high ?? 0);
      const c = chainComplete(set, from, to, matches === false ? undefined : db.signLogHex);
      chainOk = c.ok;
      plan.chainComplete = c.ok;
      plan.missing = c.missing;
      if (c.missing.length) plan.problems.push(`missing log generation(s) ${describeGens(c.missing)} between the low anchor 0x${from.toString(16).toUpperCase()} and 0x${to.toString(16).toUpperCase()}`);
      if (c.broken.length) plan.problems.push(`damaged or unlinked log generation(s) ${describeGens([...new Set(c.broken)])}`);
    } else if (set && low === null) {
      plan.problems.push('the database header names no log generation (Last Consistent generation 0)');
    } else if (!set) {
      plan.problems.push('no log files for this database');
    }
    if (matches === false) plan.problems.push(`log signature differs: database ${db.signLog}, logs ${set!.signature} (remove logs with another signature before replay; JET_errBadLogSignature -530 / -1216)`);

    // R6
    if (chk) {
      let reason: string | null = null;
      if (!chk.usable) reason = 'checkpoint file fails its checksum (both copies)';
      else if (chk.signLogHex !== db.signLogHex) reason = `checkpoint signature ${chk.signLog} differs from the database log signature`;
      else if (!set?.current) reason = 'no current log <base>.log to compare the checkpoint with';
      else if (set.current.generation === null) reason = 'current log header unreadable';
      else if (chk.checkpoint && chk.checkpoint.generation !== set.current.generation) {
        reason = `checkpoint points at generation 0x${chk.checkpoint.generation.toString(16).toUpperCase()}, but ${baseOf(set.current.path)} is generation 0x${set.current.generation.toString(16).toUpperCase()}`;
      }
      plan.checkpoint = { path: chk.path, generation: chk.checkpoint?.generation ?? null, validForPointInTime: reason === null, reason };
    }

    // R7
    if (!groupConsistent) plan.pointInTime.reasons.push(`not every database of the group is in Clean Shutdown (${group.filter((d) => d.state !== DBSTATE.cleanShutdown).map((d) => baseOf(d.path)).join(', ')})`);
    if (!chk) plan.pointInTime.reasons.push('no checkpoint file');
    else if (!plan.checkpoint!.validForPointInTime) plan.pointInTime.reasons.push(plan.checkpoint!.reason!);
    plan.pointInTime.ready = plan.pointInTime.reasons.length === 0;

    // R8
    const dirtyNeedsMet = group.every((d) => d.state === DBSTATE.cleanShutdown || (d.genMinRequired > 0 && d.genMaxRequired >= d.genMinRequired));
    if (!dirtyNeedsMet) plan.rollForward.reasons.push('a dirty database names no required log range');
    if (!set) plan.rollForward.reasons.push('no log files');
    if (matches === false) plan.rollForward.reasons.push('log signature differs');
    if (set && !chainOk) plan.rollForward.reasons.push(plan.missing.length ? `missing logs ${describeGens(plan.missing)}` : 'log chain from the low anchor is broken');
    if (set && newest && high !== null && newest.generation < high) plan.rollForward.reasons.push(`the newest log (0x${newest.generation.toString(16).toUpperCase()}) is older than the high anchor (0x${high.toString(16).toUpperCase()})`);
    plan.rollForward.ready = plan.rollForward.reasons.length === 0;

    // Steps and verdict.
    const steps = plan.steps;
    // R4: logs of the set that carry another log signature are removed before any replay.
    const foreign: PlanStep[] = [];
    if (set && matches !== false) {
      for (const m of set.members) {
        if (m.signatureHex !== null && m.signatureHex !== db.signLogHex) {
          foreign.push({ action: 'remove', file: m.path, text: `Remove ${baseOf(m.path)} (generation 0x${m.generation.toString(16).toUpperCase()}): its log signature differs from the database's` });
        }
      }
    }
    for (const d of group) steps.push({ action: 'keep', file: d.path, text: `Keep ${baseOf(d.path)}: ${stateWord(d.state)}, Last Consistent ${formatLgpos(d.lastConsistent)}` });
    if (plan.pointInTime.ready && consistent) {
      plan.verdict = 'point-in-time-ready';
      steps.push({ action: 'keep', file: chk!.path, text: `Keep ${baseOf(chk!.path)}: it points at generation 0x${chk!.checkpoint!.generation.toString(16).toUpperCase()} = ${baseOf(set!.current!.path)}; do not delete it` });
      steps.push({ action: 'keep', text: 'Do not delete or rename any log file' });
      steps.push({ action: 'run', text: 'Mount the databases (no logs are replayed; changes after the checkpoint are lost)' });
    } else if (plan.rollForward.ready) {
      plan.verdict = 'roll-forward-ready';
      steps.push(...foreign);
      if (set && newest && !set.current) {
        const to = `${set.baseShown}.${newest.path.toLowerCase().endsWith('.jtx') ? 'jtx' : 'log'}`;
        steps.push({ action: 'rename', file: newest.path, to, text: `Rename ${baseOf(newest.path)} (generation 0x${newest.generation.toString(16).toUpperCase()}, the newest) to ${to}` });
      }
      if (chk) steps.push({ action: 'delete', file: chk.path, text: `Delete ${baseOf(chk.path)}: a roll-forward restore must start without a checkpoint (replay starts at the low anchor)` });
      steps.push({ action: 'keep', text: `Keep logs 0x${low!.toString(16).toUpperCase()} (low anchor) through 0x${newest!.generation.toString(16).toUpperCase()}${set!.current ? ` (${baseOf(set!.current.path)})` : ''}` });
      steps.push({ action: 'run', text: `Run soft recovery (eseutil /r ${set!.baseShown}) or mount the databases; each replayed log logs event 301` });
    } else {
      plan.verdict = 'not-ready';
      steps.push(...foreign);
      // R9
      if (!consistent && plan.missing.length) plan.expectedError = ERR_543;
      else if (chk && plan.checkpoint && !plan.checkpoint.validForPointInTime && groupConsistent) plan.expectedError = ERR_1216;
      else if (plan.missing.length || (newest && high !== null && newest.generation < high)) plan.expectedError = ERR_1216;
      else if (matches === false) plan.expectedError = ERR_1216;
      else if (set && !chainOk) plan.expectedError = ERR_528;
      else plan.expectedError = ERR_1216;
      if (matches === false && set) {
        steps.push({ action: 'remove', text: `Remove the logs of set ${set.baseShown} in ${set.folder || '.'}: their signature differs from the database's log signature` });
      }
      if (consistent) {
        // R10
        steps.push({ action: 'remove', text: 'Either remove all logs and the checkpoint: the databases start without logs (changes that exist only in the logs are lost)' });
        const lowest = group.filter((d) => d.state === DBSTATE.cleanShutdown).sort((x, y) => x.lastConsistent.generation - y.lastConsistent.generation);
        if (lowest.length > 1 && plan.missing.length) {
          steps.push({ action: 'remove', text: `Or remove the databases with the lowest Last Consistent (${lowest.filter((d) => d.lastConsistent.generation < Math.max(...plan.missing) + 1).map((d) => baseOf(d.path)).join(', ')}) until the chain from the low anchor is unbroken, and recover the rest` });
        }
      } else if (plan.missing.length) {
        steps.push({ action: 'check', text: `Find the missing log generation(s) ${describeGens(plan.missing)} with log signature ${db.signLog}; without them only eseutil /p (repair, data loss) can make the database consistent` });
      } else if (!(db.genMinRequired > 0)) {
        steps.push({ action: 'check', text: `The header names no required log range (state "${state}"); only eseutil /p (repair, data loss) can make the database consistent` });
      } else {
        steps.push({ action: 'check', text: `Soft recovery needs generations ${genRange(db)} with log signature ${db.signLog} in an unbroken chain; without them only eseutil /p (repair, data loss) can make the database consistent` });
      }
      plan.problems.push(...plan.pointInTime.reasons.map((r) => `point in time: ${r}`), ...plan.rollForward.reasons.map((r) => `roll forward: ${r}`));
    }
    plan.caseVerdict = plan.verdict === 'not-ready' ? 'restorable-with-loss' : damagedPages ? 'restorable-with-loss' : 'restorable';
    if (damagedPages) plan.problems.push(`${db.uncorrectablePages} page(s) fail their checksum and cannot be corrected`);
  }
  return plans;
}
