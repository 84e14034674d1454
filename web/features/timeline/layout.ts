// Timeline layout: snapshots, WAL generations (with their commits), gaps and stale frames placed on one horizontal
// axis in the engine's order (report.ts timelineReport). Pure; the component draws it as SVG.
//
// Rules:
//   T1 the main lane holds snapshots (diamonds), generations (blocks with one mark per commit) and gaps (hatched);
//      labels sit above (what) and below (which file or when), each cut to its block's width
//   T2 stale frames found in a WAL are drawn in lower lanes under the generation they are inferred to belong to
//      (or under the last main-lane block when the inference failed); several under one generation stack downwards
//   T3 commit marks are at least MIN_STEP apart; a generation with too many commits to mark individually becomes a
//      bar whose x position maps to a commit (dense)

import type { TimelineEntry } from '../../../workers/engine/report/report';

export const LANE_Y = 58;
export const STALE_Y = 140;
export const STALE_ROW = 34;
export const STEP = 26;
export const MIN_STEP = 8;
export const MAX_GEN_WIDTH = 2400;
export const CHAR_PX = 6.7;

export interface CommitMark {
  id: string;
  generation: number;
  commit: number;
  status: 'applied' | 'not-applied' | 'dropped';
  x: number;
  pages: number;
}

export type Block =
  | { type: 'snapshot'; x: number; w: number; sequence: number; label: string; file: string }
  | { type: 'generation'; x: number; w: number; sequence: number; file: string; linked: boolean | null; commits: CommitMark[]; dense: boolean; uncommitted: number }
  | { type: 'gap'; x: number; w: number; sequences: number[] }
  | { type: 'stale'; x: number; y: number; w: number; file: string; inferred: number | null; frames: number; commits: number };

export interface TimelineLayout {
  blocks: Block[];
  width: number;
  height: number;
  commits: CommitMark[];
}

/** Cuts text to fit `px`, keeping the end (journal-folder names differ at the end). */
export function fitText(text: string, px: number): string {
  const max = Math.max(3, Math.floor(px / CHAR_PX));
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

export function layoutTimeline(entries: TimelineEntry[]): TimelineLayout {
  const blocks: Block[] = [];
  const commits: CommitMark[] = [];
  let x = 12;
  const genX = new Map<number, { x: number; w: number }>();
  const stacked = new Map<number, number>();
  let lastMain: { x: number; w: number } | null = null;
  let lanes = 0;
  for (const e of entries) {
    if (e.type === 'snapshot') {
      const w = 104;
      blocks.push({ type: 'snapshot', x, w, sequence: e.sequence, label: e.label, file: e.file });
      lastMain = { x, w };
      x += w + 8;
    } else if (e.type === 'gap') {
      const w = 84;
      blocks.push({ type: 'gap', x, w, sequences: e.sequences });
      lastMain = { x, w };
      x += w + 8;
    } else if (e.type === 'generation') {
      const n = e.commits.length;
      const w = Math.min(MAX_GEN_WIDTH, Math.max(110, n * STEP + 28));
      const step = n ? (w - 28) / n : STEP;
      const dense = step < MIN_STEP;
      const marks = e.commits.map((c, i) => ({ id: c.id, generation: c.generation, commit: c.commit, status: c.status, pages: c.pageCount, x: x + 14 + step * (i + 0.5) }));
      commits.push(...marks);
      blocks.push({ type: 'generation', x, w, sequence: e.sequence, file: e.file, linked: e.linked, commits: marks, dense, uncommitted: e.uncommittedFrames });
      genX.set(e.sequence, { x, w });
      lastMain = { x, w };
      x += w + 8;
    } else {
      // T2
      const under = (e.inferredSequence !== null ? genX.get(e.inferredSequence) : undefined) ?? lastMain ?? { x: 12, w: 110 };
      const k = stacked.get(under.x) ?? 0;
      stacked.set(under.x, k + 1);
      lanes = Math.max(lanes, k + 1);
      blocks.push({ type: 'stale', x: under.x, y: STALE_Y + k * STALE_ROW, w: Math.max(110, under.w), file: e.file, inferred: e.inferredSequence, frames: e.frames, commits: e.commits.length });
    }
  }
  const height = lanes ? STALE_Y + lanes * STALE_ROW + 8 : LANE_Y + 48;
  return { blocks, width: x + 12, height, commits };
}

/** T3: the commit of a dense generation under x. */
export function commitAtX(b: Extract<Block, { type: 'generation' }>, x: number): CommitMark | null {
  if (!b.commits.length) return null;
  let best = b.commits[0];
  for (const c of b.commits) if (Math.abs(c.x - x) < Math.abs(best.x - x)) best = c;
  return best;
}
