// Builders for synthetic ESE pages and records, written from the layouts in FORMAT.md (cpage.hxx, node.hxx,
// rec.hxx, tagfld.hxx), for unit tests of cases the real samples do not have.

export interface NodeSpec {
  key: Uint8Array;
  data: Uint8Array;
  /** Node flags (1 version, 2 deleted); 4 (prefix) is set by the builder when prefixLen > 0. */
  flags?: number;
  /** Bytes of the page prefix this key shares. */
  prefixLen?: number;
}

export interface PageSpec {
  cbPage: number;
  pgno: number;
  objid: number;
  flags: number;
  prev?: number;
  next?: number;
  /** Tag 0: the key prefix (non-root pages) or the space header (root pages). */
  external?: Uint8Array;
  nodes: NodeSpec[];
}

const w16 = (b: Uint8Array, o: number, v: number) => { b[o] = v & 0xff; b[o + 1] = (v >> 8) & 0xff; };
const w32 = (b: Uint8Array, o: number, v: number) => { w16(b, o, v & 0xffff); w16(b, o + 2, (v >>> 16) & 0xffff); };

/** One page: PGHDR (PGHDR2 on large pages), nodes packed after the header, tags from the end. */
export function buildPage(s: PageSpec): Uint8Array {
  const large = s.cbPage > 8192;
  const hdr = large ? 80 : 40;
  const p = new Uint8Array(s.cbPage);
  w32(p, 16, s.prev ?? 0);
  w32(p, 20, s.next ?? 0);
  w32(p, 24, s.objid);
  w32(p, 36, s.flags | 0x800);
  if (large) w32(p, 64, s.pgno);
  const lines: Uint8Array[] = [s.external ?? new Uint8Array(0)];
  const lineFlags: number[] = [0];
  for (const n of s.nodes) {
    const pl = n.prefixLen ?? 0;
    const flags = (n.flags ?? 0) | (pl ? 4 : 0);
    const suffix = n.key.subarray(pl);
    const body = new Uint8Array((pl ? 2 : 0) + 2 + suffix.length + n.data.length);
    let o = 0;
    if (pl) { w16(body, 0, pl); o = 2; }
    w16(body, o, suffix.length);
    body.set(suffix, o + 2);
    body.set(n.data, o + 2 + suffix.length);
    // Large pages: node flags in the top 3 bits of the first u16.
    if (large) body[1] |= flags << 5;
    lines.push(body);
    lineFlags.push(flags);
  }
  let ib = 0;
  lines.forEach((l, i) => {
    p.set(l, hdr + ib);
    const t = s.cbPage - 4 * (i + 1);
    w16(p, t, l.length);
    w16(p, t + 2, ib | (large ? 0 : lineFlags[i] << 13));
    ib += l.length;
  });
  w16(p, 32, ib);
  w16(p, 34, lines.length | (1 << 12));
  return p;
}

export interface TaggedSpec {
  fid: number;
  /** Header byte (TAGFLD_HEADER); omitted = none on small pages. */
  header?: number;
  data: Uint8Array;
  derived?: boolean;
  nullSmall?: boolean;
}

/** A record: fixed values (by fid, null = NULL bit), variable values, tagged values (small-page layout unless large). */
export function buildRecord(o: {
  fixed?: Array<Uint8Array | null>;
  variable?: Array<Uint8Array | null>;
  tagged?: TaggedSpec[];
  large?: boolean;
}): Uint8Array {
  const fixed = o.fixed ?? [];
  const variable = o.variable ?? [];
  const parts: number[] = [fixed.length, 127 + variable.length, 0, 0];
  for (const f of fixed) parts.push(...(f ?? new Uint8Array(0)));
  const bitmap = new Array((fixed.length + 7) >> 3).fill(0);
  fixed.forEach((f, i) => { if (f === null) bitmap[i >> 3] |= 1 << (i & 7); });
  parts.push(...bitmap);
  const ibEnd = parts.length;
  parts[2] = ibEnd & 0xff;
  parts[3] = ibEnd >> 8;
  let end = 0;
  const offs: number[] = [];
  const vdata: number[] = [];
  for (const v of variable) {
    if (v) { vdata.push(...v); end += v.length; offs.push(end); } else offs.push(end | 0x8000);
  }
  for (const x of offs) parts.push(x & 0xff, x >> 8);
  parts.push(...vdata);
  const tagged = o.tagged ?? [];
  if (tagged.length) {
    let ib = 4 * tagged.length;
    const dirs: number[] = [];
    const datas: number[] = [];
    for (const t of tagged) {
      let bits = ib;
      const hasHeader = o.large || t.header !== undefined;
      if (!o.large && hasHeader) bits |= 0x4000;
      if (t.nullSmall) bits |= 0x2000;
      if (t.derived) bits |= 0x8000;
      dirs.push(t.fid & 0xff, t.fid >> 8, bits & 0xff, bits >> 8);
      const body = hasHeader ? [t.header ?? 0, ...t.data] : [...t.data];
      datas.push(...body);
      ib += body.length;
    }
    parts.push(...dirs, ...datas);
  }
  return new Uint8Array(parts);
}

export const u8 = (...x: number[]) => new Uint8Array(x);
export const le32 = (v: number) => { const b = new Uint8Array(4); w32(b, 0, v); return b; };
export const le16 = (v: number) => { const b = new Uint8Array(2); w16(b, 0, v); return b; };
export const ascii = (s: string) => new TextEncoder().encode(s);
