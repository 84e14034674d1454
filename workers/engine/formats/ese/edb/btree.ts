// Walking and searching ESE B+-trees (FORMAT.md §3; ese-formats.md §6; MS-ESE node.cxx, btree). A tree is named by
// its FDP (root) page and objid. Leaves come out in key order, one page at a time, so memory stays bounded.
//
// Tree rules, numbered as FORMAT.md numbers them:
//   T1 every page of the tree has objidFDP == the tree's objid (P4) and, on large pages, its own pgno (P3)
//   T2 a page is visited at most once (a cycle is reported and cut), and the walk is at most 32 levels deep
//   T3 a branch node's data is the child pgno (u32); its key is an exclusive upper bound of the child's keys, an
//      empty key on the last node meaning "everything else"
//   T4 when a subtree is lost (bad checksum, T1 fails, unreadable), the leaves under it are recovered, in order,
//      along the leaf chain (pgnoNext from the last good leaf, or pgnoPrev back from the next one), as far as the
//      chain stays inside the tree; what cannot be reached is reported
//   T5 a leaf node flagged deleted (fNDDeleted) is not a live record; it is counted, not exported
//   T6 when the root itself is lost, the tree's leaves are found by scanning every page of the file for leaf pages of
//      its objid (once per export, EdbPages.leafIndex), and put in order along their pgnoPrev/pgnoNext chain: chain
//      heads first (no predecessor among them), lowest page number first; pages left over (cycles) follow by number

import { hex } from '../../../io';
import { PageNodes, PAGE_FLAG, NODE_FLAG, compareNodeKey, type PageNode } from './page';
import type { EdbPages, PageRead, IssueSink } from './file';
import { throwIfAborted } from '../../../errors';

export const MAX_TREE_DEPTH = 32;
const MAX_CHAIN_WALK = 1 << 20;

export interface LeafPage {
  pgno: number;
  offset: number;
  status: PageRead['status'];
  nodes: PageNodes;
  /** How the leaf was reached: from its parent, along the leaf chain after a lost subtree (T4), or by scan (T6). */
  via: 'tree' | 'leaf-chain' | 'page-scan';
}

export interface TreeStats {
  pages: number;
  leaves: number;
  lostSubtrees: number;
  recoveredLeaves: number;
  deletedNodes: number;
  badNodes: number;
}

export interface TreeRef {
  /** Human name for issues, e.g. `table "Foo"` or `long values of "Foo"`. */
  what: string;
  pgnoFDP: number;
  objid: number;
}

/** Opens a page as part of tree `t` (T1, P5); reports and returns null when it cannot be used. */
export async function openTreePage(pages: EdbPages, t: TreeRef, pgno: number, issues: IssueSink, parent?: number): Promise<{ r: PageRead; p: PageNodes } | null> {
  const r = await pages.page(pgno);
  const file = pages.src.name;
  const from = parent === undefined ? '' : ` (child of page ${parent})`;
  if (!r.bytes) {
    if (r.status === 'missing') {
      issues.push({
        code: 'ese.tree.page-missing', severity: 'error', file, offset: pgno >= 1 ? r.offset : null, page: pgno,
        message: `${t.what}: page ${pgno}${from} is past the end of the file (${pages.pageCount} pages)`,
      });
    } else if (r.status === 'uninitialized') {
      issues.push({
        code: 'ese.tree.page-uninitialized', severity: 'error', file, offset: r.offset, page: pgno,
        message: `${t.what}: page ${pgno}${from} at ${hex(r.offset)} is all zero`,
      });
    }
    // 'bad' was reported by EdbPages once for the page.
    return null;
  }
  const p = new PageNodes(r.bytes);
  const h = p.header;
  if (h.pgno !== null && h.pgno !== pgno) {
    issues.push({
      code: 'ese.page.wrong-pgno', severity: 'error', file, offset: r.offset, page: pgno, expected: pgno, actual: h.pgno,
      message: `${t.what}: page at ${hex(r.offset)} says it is page ${h.pgno}, expected ${pgno}; skipped`,
    });
    return null;
  }
  if (h.objidFDP !== t.objid) {
    issues.push({
      code: 'ese.tree.wrong-objid', severity: 'error', file, offset: r.offset, page: pgno, expected: t.objid, actual: h.objidFDP,
      message: `${t.what}: page ${pgno}${from} at ${hex(r.offset)} belongs to objid ${h.objidFDP}, expected ${t.objid}; skipped`,
    });
    return null;
  }
  if (p.tagArrayBad) {
    issues.push({
      code: 'ese.page.bad-tags', severity: 'error', file, offset: r.offset + 34, page: pgno,
      message: `${t.what}: page ${pgno} at ${hex(r.offset)}: tag count ${h.itagMicFree} (reserved ${h.ctagReserved}) does not fit the page; skipped`,
    });
    return null;
  }
  for (const pr of p.problems) {
    issues.push({
      code: 'ese.page.bad-node', severity: 'error', file, offset: r.offset, page: pgno,
      message: `${t.what}: page ${pgno} at ${hex(r.offset)}: ${pr.message} (rule ${pr.rule}); node skipped`,
    });
  }
  return { r, p };
}

function childOf(p: PageNodes, n: PageNode): number | null {
  if (n.dataEnd - n.dataStart < 4) return null;
  const b = p.page;
  const o = n.dataStart;
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/**
 * Yields the leaf pages of tree `t` in key order (T1–T4). `signal` is checked between pages.
 */
export async function* walkLeaves(pages: EdbPages, t: TreeRef, issues: IssueSink, stats: TreeStats, signal?: AbortSignal): AsyncGenerator<LeafPage> {
  const file = pages.src.name;
  const visited = new Set<number>();
  // Explicit stack of [pgno, depth, parent]; children pushed in reverse so they pop in key order.
  const stack: Array<[number, number, number | undefined]> = [[t.pgnoFDP, 0, undefined]];
  let lastLeaf: { pgno: number; next: number } | null = null;
  let gap = false;

  /** T4: walk the leaf chain from the last good leaf up to (not including) `until` (0 = chain end). */
  async function* forward(until: number): AsyncGenerator<LeafPage> {
    if (!lastLeaf) return;
    let p = lastLeaf.next;
    let steps = 0;
    while (p !== 0 && p !== until && steps++ < MAX_CHAIN_WALK) {
      if (visited.has(p)) break;
      const o = await openChainPage(p);
      if (!o) break;
      visited.add(p);
      stats.recoveredLeaves++;
      lastLeaf = { pgno: p, next: o.p.header.pgnoNext };
      yield { pgno: p, offset: o.r.offset, status: o.r.status, nodes: o.p, via: 'leaf-chain' };
      p = o.p.header.pgnoNext;
    }
  }

  /** T4: collect the chain backwards from `from` (a good leaf) to the last good leaf seen, yielding in key order. */
  async function* backward(from: LeafPage): AsyncGenerator<LeafPage> {
    const got: LeafPage[] = [];
    let p = from.nodes.header.pgnoPrev;
    let steps = 0;
    while (p !== 0 && steps++ < 4096 && !visited.has(p)) {
      const o = await openChainPage(p);
      if (!o) break;
      visited.add(p);
      got.push({ pgno: p, offset: o.r.offset, status: o.r.status, nodes: o.p, via: 'leaf-chain' });
      p = o.p.header.pgnoPrev;
    }
    for (let i = got.length - 1; i >= 0; i--) {
      stats.recoveredLeaves++;
      yield got[i];
    }
  }

  async function openChainPage(p: number) {
    const o = await openTreePage(pages, t, p, issues);
    if (!o) return null;
    if (!(o.p.header.flags & PAGE_FLAG.leaf)) return null;
    stats.pages++;
    return o;
  }

  /** T6: the leaves of objid found by scanning the file, in chain order. */
  async function* scanned(): AsyncGenerator<LeafPage> {
    const found = await pages.leafIndex(signal);
    const mine = found.get(t.objid) ?? [];
    const set = new Set(mine);
    const opened = new Map<number, { r: PageRead; p: PageNodes }>();
    for (const pg of mine) {
      const o = await openChainPage(pg);
      if (o) opened.set(pg, o);
    }
    const heads = mine.filter((pg) => opened.has(pg) && !opened.has(opened.get(pg)!.p.header.pgnoPrev));
    const order: number[] = [];
    const done = new Set<number>();
    for (const h of [...heads, ...mine]) {
      let p = h;
      while (opened.has(p) && !done.has(p) && set.has(p)) {
        done.add(p);
        order.push(p);
        p = opened.get(p)!.p.header.pgnoNext;
      }
    }
    issues.push({
      code: 'ese.tree.root-lost', severity: 'error', file, offset: pages.offsetOf(t.pgnoFDP), page: t.pgnoFDP,
      message: `${t.what}: the root page ${t.pgnoFDP} is lost; ${order.length} leaf pages of objid ${t.objid} were found by scanning the file (rule T6)`,
    });
    for (const p of order) {
      const o = opened.get(p)!;
      stats.recoveredLeaves++;
      yield { pgno: p, offset: o.r.offset, status: o.r.status, nodes: o.p, via: 'page-scan' };
    }
  }

  while (stack.length) {
    throwIfAborted(signal);
    const [pgno, depth, parent] = stack.pop()!;
    if (visited.has(pgno)) {
      issues.push({
        code: 'ese.tree.cycle', severity: 'error', file, offset: pages.offsetOf(pgno), page: pgno,
        message: `${t.what}: page ${pgno} is reached twice (from page ${parent}); the second link is cut`,
      });
      continue;
    }
    visited.add(pgno);
    if (depth > MAX_TREE_DEPTH) {
      issues.push({
        code: 'ese.tree.too-deep', severity: 'error', file, offset: pages.offsetOf(pgno), page: pgno,
        message: `${t.what}: page ${pgno} is more than ${MAX_TREE_DEPTH} levels below the root; subtree skipped`,
      });
      gap = true;
      stats.lostSubtrees++;
      continue;
    }
    const o = await openTreePage(pages, t, pgno, issues, parent);
    if (!o && depth === 0) {
      stats.lostSubtrees++;
      yield* scanned();
      return;
    }
    if (!o) {
      gap = true;
      stats.lostSubtrees++;
      continue;
    }
    stats.pages++;
    const { p, r } = o;
    const flags = p.header.flags;
    stats.badNodes += p.problems.length;
    if (flags & PAGE_FLAG.leaf) {
      const leaf: LeafPage = { pgno, offset: r.offset, status: r.status, nodes: p, via: 'tree' };
      if (gap) {
        if (lastLeaf) yield* forward(pgno);
        else yield* backward(leaf);
        gap = false;
      }
      stats.leaves++;
      lastLeaf = { pgno, next: p.header.pgnoNext };
      yield leaf;
      continue;
    }
    // Branch page: push children (T3) in reverse order.
    for (let i = p.nodes.length - 1; i >= 0; i--) {
      const n = p.nodes[i];
      const child = childOf(p, n);
      if (child === null || child < 1 || child > pages.pageCount) {
        const past = child !== null && child > pages.pageCount;
        issues.push({
          code: past ? 'ese.tree.page-missing' : 'ese.tree.bad-child', severity: 'error', file, offset: r.offset, page: pgno,
          message: past
            ? `${t.what}: page ${pgno} tag ${n.tag}: child page ${child} is past the end of the file (${pages.pageCount} pages; truncated?) (rule P8)`
            : `${t.what}: page ${pgno} tag ${n.tag}: child page ${child ?? '(none)'} is not a page number (rule P8)`,
        });
        gap = true;
        stats.lostSubtrees++;
        continue;
      }
      stack.push([child, depth + 1, pgno]);
    }
  }
  if (gap && lastLeaf) yield* forward(0);
  else if (gap) {
    issues.push({
      code: 'ese.tree.subtree-lost', severity: 'error', file, offset: pages.offsetOf(t.pgnoFDP), page: t.pgnoFDP,
      message: `${t.what}: no leaf page could be reached; its records are lost`,
    });
  }
}

/** Live leaf nodes of a leaf page (T5), counting the deleted ones. */
export function liveNodes(leaf: LeafPage, stats: TreeStats): PageNode[] {
  const out: PageNode[] = [];
  for (const n of leaf.nodes.nodes) {
    if (n.flags & NODE_FLAG.deleted) stats.deletedNodes++;
    else out.push(n);
  }
  return out;
}

export function newTreeStats(): TreeStats {
  return { pages: 0, leaves: 0, lostSubtrees: 0, recoveredLeaves: 0, deletedNodes: 0, badNodes: 0 };
}

export interface SeekResult {
  page: PageNodes;
  pgno: number;
  /** Index into page.nodes of the first node with key >= the sought key, or nodes.length. */
  index: number;
}

/**
 * Descends tree `t` to the leaf where `key` is or would be (T3), following pgnoNext once when the key lies past the
 * leaf's last node (seen in dirty databases). Returns null when a page on the path cannot be used (reported).
 */
export async function seek(pages: EdbPages, t: TreeRef, key: Uint8Array, issues: IssueSink): Promise<SeekResult | null> {
  let pgno = t.pgnoFDP;
  let parent: number | undefined;
  for (let depth = 0; depth <= MAX_TREE_DEPTH; depth++) {
    const o = await openTreePage(pages, t, pgno, issues, parent);
    if (!o) return null;
    const p = o.p;
    if (p.header.flags & PAGE_FLAG.leaf) {
      let idx = lowerBound(p, key);
      if (idx === p.nodes.length && p.header.pgnoNext) {
        const n = await openTreePage(pages, t, p.header.pgnoNext, issues, pgno);
        if (n && n.p.header.flags & PAGE_FLAG.leaf) {
          idx = lowerBound(n.p, key);
          return { page: n.p, pgno: p.header.pgnoNext, index: idx };
        }
      }
      return { page: p, pgno, index: idx };
    }
    // T3: first node whose key is > key (an exact match belongs to the next child); empty last key = the rest.
    let pick = -1;
    for (let i = 0; i < p.nodes.length; i++) {
      const n = p.nodes[i];
      const empty = n.prefixLen + n.suffixLen === 0;
      if ((empty && i === p.nodes.length - 1) || compareNodeKey(p, n, key) > 0) {
        pick = i;
        break;
      }
    }
    if (pick < 0) pick = p.nodes.length - 1;
    if (pick < 0) return null;
    const child = childOf(p, p.nodes[pick]);
    if (child === null || child < 1 || child > pages.pageCount) return null;
    parent = pgno;
    pgno = child;
  }
  return null;
}

function lowerBound(p: PageNodes, key: Uint8Array): number {
  let lo = 0;
  let hi = p.nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareNodeKey(p, p.nodes[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
