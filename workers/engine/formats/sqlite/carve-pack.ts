// Carved records packed for the trip from a worker to the page. A WAL's search can find 100,000 rows; as a structured
// clone they arrived in one piece, and the page's main thread spent ~0.3 s taking them in (64,000 rows of the 1.16 GB
// bench case, in Chromium). Packed, they cross as one transferred buffer of JSON lines that the page reads a slice at
// a time between other work. Values JSON cannot hold are tagged: a blob {"$b": hex}, a 64-bit integer beyond 2^53
// {"$i": digits}, an infinite REAL or -0.0 {"$f": text}.
import type { CarveReport, CarvedRecord } from './carve';
import type { SqlValue } from './btree';
import { hex } from './carve-report';

export interface PackedCarveReport extends Omit<CarveReport, 'records'> {
  /** The records as UTF-8 JSON lines, one per record. */
  packed: Uint8Array;
  count: number;
}

function packValue(v: SqlValue): unknown {
  if (typeof v === 'bigint') return { $i: v.toString() };
  if (v instanceof Uint8Array) return { $b: hex(v) };
  if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return { $f: String(Object.is(v, -0) ? '-0' : v) };
  return v;
}

function unpackValue(v: unknown): SqlValue {
  if (v === null || typeof v !== 'object') return v as SqlValue;
  const o = v as { $i?: string; $b?: string; $f?: string };
  if (typeof o.$i === 'string') return BigInt(o.$i);
  if (typeof o.$f === 'string') return o.$f === '-0' ? -0 : Number(o.$f);
  const h = o.$b ?? '';
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function packCarveReport(r: CarveReport): PackedCarveReport {
  const { records, ...rest } = r;
  const lines = records.map((rec) => JSON.stringify({ ...rec, values: rec.values.map(packValue) }));
  return { ...rest, packed: new TextEncoder().encode(lines.join('\n')), count: records.length };
}

/** Records read between two yields to the event loop, and bytes decoded at a time (a line never splits). */
const SLICE = 2000;
const TEXT_CHUNK = 1 << 20;

/**
 * The report again; yields to the event loop every SLICE records and every TEXT_CHUNK bytes of text (`pause` is how:
 * a macrotask by default). Decoding 60 MB of records at once held Chromium's main thread for ~0.3 s.
 */
export async function unpackCarveReport(p: PackedCarveReport, pause: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0))): Promise<CarveReport> {
  const { packed, count, ...rest } = p;
  const dec = new TextDecoder();
  const records: CarvedRecord[] = [];
  let from = 0;
  while (from < packed.length) {
    // UTF-8 never has a newline byte inside a character: a chunk ends after a newline, or at the end.
    const nl = packed.indexOf(10, Math.min(packed.length, from + TEXT_CHUNK));
    const to = nl < 0 ? packed.length : nl;
    const text = dec.decode(packed.subarray(from, to));
    from = to + 1;
    let at = 0;
    while (at < text.length) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      const rec = JSON.parse(text.slice(at, end)) as CarvedRecord;
      rec.values = rec.values.map(unpackValue);
      records.push(rec);
      at = end + 1;
      if (records.length % SLICE === 0) await pause();
    }
    if (from < packed.length) await pause();
  }
  if (records.length !== count) throw new Error(`carved records: ${records.length} unpacked, ${count} packed`);
  return { ...rest, records };
}
