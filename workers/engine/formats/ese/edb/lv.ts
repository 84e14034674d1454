// Separated long values (FORMAT.md §6; ese-formats.md §8; MS-ESE lv.hxx, lv.cxx, rec.hxx). A table's long values
// live in their own B+-tree (catalog type 4: objid + pgnoFDP).
//
// LV rules, numbered as FORMAT.md numbers them:
//   L1 a record stores a LID in little-endian order (4 bytes, or 8 for LID64); the LV tree key is the same bytes in
//      big-endian order: the root node has key = LID, its chunks key = LID ‖ u32 BE offset
//   L2 the root node's data is LVROOT {u32 ulReference; u32 ulSize} or LVROOT2 (+ u8 flags, 0x01 = encrypted);
//      ulReference 0xFFFFFFFF marks a partially deleted value
//   L3 chunk offsets start at 0 and each chunk starts where the previous one ended; the last one ends at ulSize
//   L4 a chunk shorter than its span (next offset − offset, or ulSize − offset) is compressed (FLVCompressedChunk);
//      it must decompress to exactly its span
//   L5 at most `maxBytes` are assembled; a larger value is reported and not exported
// A value that breaks L2..L4 is reported; what was assembled is not exported as if it were whole.

import { u32le } from '../../../io';
import { NODE_FLAG, PAGE_FLAG, nodeKeyStartsWith, compareNodeKey, type PageNodes } from './page';
import { seek, openTreePage, type TreeRef } from './btree';
import type { EdbPages, IssueSink } from './file';
import { decompress } from './compress';

export type LvResult =
  | { ok: true; bytes: Uint8Array; compressedChunks: number }
  | { ok: false; code: string; message: string };

export interface LvOptions {
  maxBytes: number;
}

/** Reads long values of one table; keeps no state between values except the page cache in EdbPages. */
export class LongValues {
  constructor(
    private readonly pages: EdbPages,
    readonly tree: TreeRef,
    private readonly issues: IssueSink,
    private readonly opts: LvOptions,
  ) {}

  async read(lidLE: Uint8Array): Promise<LvResult> {
    if (lidLE.length !== 4 && lidLE.length !== 8) {
      return { ok: false, code: 'ese.lv.bad-lid', message: `a separated long value reference is ${lidLE.length} bytes, expected 4 or 8 (rule L1)` };
    }
    // L1
    const key = lidLE.slice().reverse();
    const lidText = '0x' + Array.from(key, (b) => b.toString(16).padStart(2, '0')).join('');
    const s = await seek(this.pages, this.tree, key, this.issues);
    if (!s) return { ok: false, code: 'ese.lv.unreachable', message: `long value ${lidText}: a page on its path in the LV tree is damaged` };
    let page: PageNodes = s.page;
    let idx = s.index;
    while (idx < page.nodes.length && page.nodes[idx].flags & NODE_FLAG.deleted) idx++;
    if (idx >= page.nodes.length || compareNodeKey(page, page.nodes[idx], key) !== 0) {
      return { ok: false, code: 'ese.lv.missing', message: `long value ${lidText} is not in the LV tree (objid ${this.tree.objid})` };
    }
    const root = page.data(page.nodes[idx]);
    // L2
    if (root.length < 8) return { ok: false, code: 'ese.lv.bad-root', message: `long value ${lidText}: root data is ${root.length} bytes, expected 8 or 9 (rule L2)` };
    const refs = u32le(root, 0);
    const size = u32le(root, 4);
    if (root.length >= 9 && root[8] & 0x01) {
      return { ok: false, code: 'ese.lv.encrypted', message: `long value ${lidText} is encrypted (LVROOT2 flags 0x01); not supported, not exported` };
    }
    if (refs === 0xffffffff) {
      return { ok: false, code: 'ese.lv.partially-deleted', message: `long value ${lidText} is partially deleted (ulReference 0xFFFFFFFF)` };
    }
    // L5
    if (size > this.opts.maxBytes) {
      return { ok: false, code: 'ese.lv.too-large', message: `long value ${lidText} is ${size} bytes, more than the ${this.opts.maxBytes}-byte limit (rule L5); not exported` };
    }
    const out = new Uint8Array(size);
    let filled = 0;
    let compressedChunks = 0;
    // Chunks follow the root in key order, possibly on the next leaf pages.
    let pending: { offset: number; data: Uint8Array } | null = null;
    let pgno = s.pgno;
    const flush = (nextOffset: number): string | null => {
      if (!pending) return null;
      const { offset, data } = pending;
      pending = null;
      // L3
      if (offset !== filled) return `chunk at offset ${offset} does not follow the previous data (${filled} bytes) (rule L3)`;
      const span = Math.min(nextOffset, size) - offset;
      if (span < 0) return `chunk at offset ${offset} lies past the value size ${size} (rule L3)`;
      if (data.length < span) {
        // L4
        const d = decompress(data);
        if (!d.ok) return `chunk at offset ${offset}: ${d.message} (rule L4)`;
        if (d.bytes.length !== span) return `chunk at offset ${offset} decompresses to ${d.bytes.length} bytes, expected ${span} (rule L4)`;
        out.set(d.bytes, offset);
        compressedChunks++;
      } else if (data.length > span) {
        return `chunk at offset ${offset} holds ${data.length} bytes but spans ${span} (rule L3)`;
      } else {
        out.set(data, offset);
      }
      filled = offset + span;
      return null;
    };
    let guard = 0;
    const seen = new Set<number>([s.pgno]);
    idx++;
    for (;;) {
      for (; idx < page.nodes.length; idx++) {
        const n = page.nodes[idx];
        if (n.flags & NODE_FLAG.deleted) continue;
        if (!nodeKeyStartsWith(page, n, key) || n.prefixLen + n.suffixLen !== key.length + 4) {
          const err = flush(size);
          if (err) return { ok: false, code: 'ese.lv.bad-chunk', message: `long value ${lidText}: ${err}` };
          return this.finish(lidText, out, filled, size, compressedChunks);
        }
        const k = page.key(n);
        const off = u32be(k, key.length);
        const err = flush(off);
        if (err) return { ok: false, code: 'ese.lv.bad-chunk', message: `long value ${lidText}: ${err}` };
        pending = { offset: off, data: page.data(n) };
      }
      const next = page.header.pgnoNext;
      // T2: a leaf chain that loops back is cut.
      if (!next || seen.has(next) || guard++ > 1 << 20) break;
      seen.add(next);
      const o = await openTreePage(this.pages, this.tree, next, this.issues, pgno);
      if (!o || !(o.p.header.flags & PAGE_FLAG.leaf)) {
        return { ok: false, code: 'ese.lv.unreachable', message: `long value ${lidText}: the next leaf page ${next} of the LV tree is damaged; ${filled} of ${size} bytes read` };
      }
      page = o.p;
      pgno = next;
      idx = 0;
    }
    const err = flush(size);
    if (err) return { ok: false, code: 'ese.lv.bad-chunk', message: `long value ${lidText}: ${err}` };
    return this.finish(lidText, out, filled, size, compressedChunks);
  }

  private finish(lidText: string, out: Uint8Array, filled: number, size: number, compressedChunks: number): LvResult {
    // L3
    if (filled !== size) {
      return { ok: false, code: 'ese.lv.short', message: `long value ${lidText}: chunks hold ${filled} of ${size} bytes (rule L3)` };
    }
    return { ok: true, bytes: out, compressedChunks };
  }
}

function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
