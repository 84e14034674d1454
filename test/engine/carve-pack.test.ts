// Carved records packed as JSON lines for the worker → page trip (carve-pack.ts): every value SQLite can store comes
// back as it was, including what JSON cannot hold, and the reading yields as it goes.
import { describe, it, expect } from 'vitest';
import { packCarveReport, unpackCarveReport } from '../../workers/engine/formats/sqlite/carve-pack';
import type { CarveReport } from '../../workers/engine/formats/sqlite/carve';

const report = (values: CarveReport['records'][number]['values'][]): CarveReport => ({
  file: 'a.db', pageSize: 4096, pageCount: 9, pagesSearched: 9, liveCopies: 1, duplicates: 2,
  tables: [{ name: 't', root: 2, columns: ['a', 'b'], affinity: ['integer', 'text'], notNull: [false, false], rowidAlias: -1, dropped: false }],
  records: values.map((v, i) => ({ table: i % 2 ? null : 't', alsoFits: i % 3 ? [] : ['u'], page: i + 2, offset: 100 + i, source: i % 2 ? 'frame' : 'freeblock', frame: i % 2 ? i : undefined, rowid: i % 4 ? i : null, values: v, inferred: [0], uncertain: [], lost: i % 5 ? [] : [1] })),
});

describe('carve-pack', () => {
  it('gives back every record and value: bigints, blobs, -0, infinities, text with newlines and any Unicode', async () => {
    const r = report([
      [null, 1, -1, 0, -0, 1.5, Infinity, -Infinity, 2 ** 53 - 1],
      [2n ** 62n + 1n, -(2n ** 63n), new Uint8Array([0, 1, 254, 255]), new Uint8Array(0)],
      ['', 'line\nbreak\r\n', 'aspas "e" \\ barra', 'ção 😀 \u0000 \u2028', '{"$b":"00"}'],
      [],
    ]);
    const p = packCarveReport(r);
    expect(p.count).toBe(4);
    expect('records' in p).toBe(false);
    const back = await unpackCarveReport(p);
    expect(back.records.length).toBe(4);
    for (let i = 0; i < r.records.length; i++) {
      const a = r.records[i];
      const b = back.records[i];
      expect({ ...b, values: null }).toEqual({ ...a, values: null, ...(a.frame === undefined ? {} : { frame: a.frame }) });
      expect(b.values.length).toBe(a.values.length);
      a.values.forEach((v, j) => expect(Object.is(b.values[j], v) || (v instanceof Uint8Array && b.values[j] instanceof Uint8Array && Buffer.from(v).equals(Buffer.from(b.values[j] as Uint8Array))) || (typeof v === 'bigint' && b.values[j] === v), `${i}.${j}`).toBe(true));
    }
    // The tagged text stays text: only values that were objects are tags.
    expect(back.records[2].values[4]).toBe('{"$b":"00"}');
    const { records: _a, ...headA } = r;
    const { records: _b, ...headB } = back;
    expect(headB).toEqual(headA);
  });

  it('reads a slice at a time, and refuses a pack whose count does not match', async () => {
    const r = report(Array.from({ length: 4500 }, (_, i) => [i, `row ${i}`]));
    let pauses = 0;
    const back = await unpackCarveReport(packCarveReport(r), async () => void pauses++);
    expect(back.records.map((x) => x.values)).toEqual(r.records.map((x) => x.values));
    expect(pauses).toBe(2);
    // Text decoded a chunk at a time (1 MiB, ending at a line's end): the same records, a pause after each chunk.
    const big = report(Array.from({ length: 3000 }, (_, i) => [i, `ção ${'x'.repeat(700)} 😀 ${i}`]));
    let bigPauses = 0;
    const bigBack = await unpackCarveReport(packCarveReport(big), async () => void bigPauses++);
    expect(bigBack.records.map((x) => x.values)).toEqual(big.records.map((x) => x.values));
    expect(bigPauses).toBeGreaterThanOrEqual(2 + 1);
    await expect(unpackCarveReport({ ...packCarveReport(r), count: 4499 })).rejects.toThrow(/4500 unpacked, 4499 packed/);
  });
});
