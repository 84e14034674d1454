// Values of the dissect test databases against what a second implementation (fox-it dissect, tests/ese/test_ese.py
// and test_record.py) asserts for the same files, restated here as facts about the data, in our output form
// (FORMAT.md rules V1–V8, D1). Dates: dissect checks OLE dates by linear day arithmetic; where that differs from
// VariantTimeToSystemTime (negative dates, rule D1) the test says so.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadSqlJs, type SqlJs } from './sqljs';
import { fixtureBytes } from './fixtures';
import { exportEseToSqlite } from '../../workers/engine/formats/ese/edb/export';
import { MemorySource } from '../../workers/engine/io';

let SQL: SqlJs;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

async function rows(name: string, table: string): Promise<Record<string, unknown>[]> {
  const db = new SQL.Database();
  const r = await exportEseToSqlite(new MemorySource(name, fixtureBytes(name)), db);
  expect(r.exitCode).toBe(0);
  const st = db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`);
  const names = st.getColumnNames();
  const out: Record<string, unknown>[] = [];
  while (st.step()) {
    const v = st.get(null, { useBigInt: true });
    out.push(Object.fromEntries(names.map((n, i) => [n, typeof v[i] === 'bigint' && Number.isSafeInteger(Number(v[i])) ? Number(v[i]) : v[i]])));
  }
  st.free();
  db.close();
  return out;
}

const enc = (s: string) => new TextEncoder().encode(s);
const a = (n: number) => 'a'.repeat(n);
const fox = '\u{1F98A}';

describe('dissect databases: values', () => {
  it('basic.edb: every fixed type (V1–V4, D1)', async () => {
    const r = await rows('dissect/basic.edb', 'basic');
    expect(r).toEqual([
      {
        Id: 1, Bit: 0, UnsignedByte: 213, Short: -1337, Long: -13371337, Currency: 1337133713371337, IEEESingle: 1,
        IEEEDouble: 13371337.13371337, DateTime: '1999-03-01T00:00:00.000', DateTime__raw: 4675210852477960192n,
        UnsignedLong: 13371337, LongLong: -13371337, GUID: '3f360af1-6766-46dc-9af2-0dacf295c2a1', UnsignedShort: 1337,
      },
      {
        Id: 2, Bit: 1, UnsignedByte: 255, Short: 1339, Long: 13391339, Currency: -1339133913391339, IEEESingle: -2,
        IEEEDouble: -13391339.13391339, DateTime: '1337-06-09T00:00:00.000', DateTime__raw: -4537072128574357504n,
        UnsignedLong: null, LongLong: null, GUID: null, UnsignedShort: null,
      },
    ]);
  });

  it('binary.edb: fixed, variable, tagged, separated and compressed long binary', async () => {
    const [r] = await rows('dissect/binary.edb', 'binary');
    const pad = new Uint8Array(233);
    expect(r.FixedBinary).toEqual(new Uint8Array([...enc('test fixed binary data'), ...pad]));
    expect(r.NullableFixedBinary).toBeNull();
    expect(r.Binary).toEqual(enc('test binary data'));
    expect(r.NullableBinary).toBeNull();
    expect(r.MaxBinary).toEqual(enc('test max binary data ' + a(70)));
    expect(r.TaggedBinary).toEqual(enc('test tagged binary data'));
    expect(r.NullableTaggedBinary).toBeNull();
    expect(r.LongBinary).toEqual(enc('test long binary data ' + a(1000)));
    expect(r.LongCompressedBinary).toEqual(enc('test long compressed binary data ' + a(1000)));
    expect(r.MaxLongBinary).toEqual(enc('test max long binary data ' + a(900)));
    expect(r.MaxLongCompressedBinary).toEqual(enc('test max long compressed binary data ' + a(900)));
  });

  it('text.edb: ASCII and Unicode text in every storage form (V5)', async () => {
    const [r] = await rows('dissect/text.edb', 'text');
    expect(r.FixedASCII).toBe('Fixed ASCII text' + ' '.repeat(239));
    // 255 bytes of UTF-16: the last byte is half a padding space (rule V5), so 106 spaces remain, not 107.
    expect(r.FixedUnicode).toBe(`Fixed Unicode text ${fox}` + ' '.repeat(106));
    expect(r.NullableFixedASCII).toBeNull();
    expect(r.NullableFixedUnicode).toBeNull();
    expect(r.ASCII).toBe('Simple ASCII text');
    expect(r.Unicode).toBe(`Simple Unicode text ${fox}`);
    expect(r.NullableASCII).toBeNull();
    expect(r.NullableUnicode).toBeNull();
    expect(r.MaxASCII).toBe("Max ASCII text that can't be that long");
    expect(r.MaxUnicode).toBe(`Max Unicode text that can't be that long ${fox}`);
    expect(r.TaggedASCII).toBe('Tagged ASCII text');
    expect(r.TaggedUnicode).toBe(`Tagged Unicode text ${fox}`);
    expect(r.NullableTaggedASCII).toBeNull();
    expect(r.NullableTaggedUnicode).toBeNull();
    expect(r.LongASCII).toBe('Long ASCII text ' + a(1024));
    expect(r.LongUnicode).toBe(`Long Unicode text ${fox} ` + a(1024));
    expect(r.LongCompressedASCII).toBe('Long compressed ASCII text ' + a(1024));
    expect(r.LongCompressedUnicode).toBe(`Long compressed Unicode text ${fox} ` + a(1024));
    expect(r.LongTinyASCII).toBe('Tiny ASCII');
    expect(r.LongTinyUnicode).toBe(`Tiny ${fox}`);
    expect(r.LongTinyCompressedASCII).toBe('Tiny c ASCII');
    expect(r.LongTinyCompressedUnicode).toBe(`Tiny c ${fox}`);
    expect(r.MaxLongASCII).toBe('Max long ASCII text that can be a bit longer ' + a(900));
    expect(r.MaxLongUnicode).toBe(`Max long Unicode text that can be a bit longer ${fox} ` + a(900));
    expect(r.MaxLongCompressedASCII).toBe('Max long compressed ASCII text that can be a bit longer ' + a(900));
    expect(r.MaxLongCompressedUnicode).toBe(`Max long compressed Unicode text that can be a bit longer ${fox} ` + a(900));
  });

  it('multi.edb: multi-values as JSON arrays (V8), two-values, separated and compressed', async () => {
    const [r1, r2] = await rows('dissect/multi.edb', 'multi');
    const j = (v: unknown) => JSON.parse(v as string);
    expect(j(r1.Bit)).toEqual([0, 1]);
    expect(j(r1.UnsignedByte)).toEqual([0, 127, 255]);
    expect(j(r1.Short)).toEqual([0, -32767, 32767]);
    expect(j(r1.Long)).toEqual([0, -2147483647, 2147483647]);
    // 64-bit values keep every digit in the JSON text.
    expect(r1.Currency).toBe('[0,-9223372036854775807,9223372036854775807]');
    expect(j(r1.IEEESingle)).toEqual([0, -1, 1]);
    expect(j(r1.IEEEDouble)).toEqual([0, -1, 1]);
    // dissect expects 1661-04-17 11:30 by linear arithmetic; the stored double −87183.520833 is 1661-04-18 12:30 as
    // VariantTimeToSystemTime reads it (day −87183, then 0.520833 of a day forward; rule D1).
    expect(j(r1.DateTime)).toEqual(['1661-04-18T12:30:00.000', '2077-04-01T00:00:00.000', '2517-09-24T05:30:00.000']);
    const hex = (s: string) => Buffer.from(s).toString('hex');
    expect(j(r1.Binary)).toEqual([1, 2, 3].map((n) => hex(`Some binary data that has multiple values, this is value ${n}`)));
    expect(j(r1.LongBinary)).toEqual([1, 2, 3].map((n) => hex(`Some very long binary data that has multiple values, this is value ${n} ` + a(1024))));
    expect(j(r1.LongCompressedBinary)).toEqual([1, 2, 3].map((n) => hex(`Some very long compressed binary data that has multiple values, this is value ${n} ` + a(1024))));
    expect(j(r1.ASCII)).toEqual([1, 2, 3].map((n) => `Some ASCII text that has multiple values, this is value ${n}`));
    expect(j(r1.Unicode)).toEqual([1, 2, 3].map((n) => `Some Unicode text that has multiple values, this is value ${n} ${fox.repeat(n)}`));
    expect(j(r1.LongASCII)).toEqual([1, 2, 3].map((n) => `Some very long ASCII text that has multiple values, this is value ${n} ` + a(1024)));
    expect(j(r1.LongUnicode)).toEqual([1, 2, 3].map((n) => `Some very long Unicode text that has multiple values, this is value ${n} ${fox.repeat(n)} ` + a(1024)));
    expect(j(r1.LongCompressedASCII)).toEqual([1, 2, 3].map((n) => `Some very long compressed ASCII text that has multiple values, this is value ${n} ` + a(1024)));
    expect(j(r1.LongCompressedUnicode)).toEqual([1, 2, 3].map((n) => `Some very long compressed Unicode text that has multiple values, this is value ${n} ${fox.repeat(n)} ` + a(1024)));
    expect(j(r1.UnsignedLong)).toEqual([0, 4294967295]);
    expect(r1.LongLong).toBe('[0,-9223372036854775807,9223372036854775807]');
    expect(j(r1.GUID)).toEqual(['03402861-fad3-4ce5-986e-d31df852f2a7', '09b589e3-a92b-4936-bbc4-bb9dff334bf3', '2212ff6a-6712-4fe4-bb4a-21e6d0e043d1']);
    expect(j(r1.UnsignedShort)).toEqual([0, 65535]);

    expect(r2.Id).toBe(2);
    for (const c of ['Bit', 'UnsignedByte', 'Short', 'Long', 'Currency', 'IEEESingle', 'IEEEDouble', 'DateTime', 'Binary', 'ASCII', 'Unicode', 'UnsignedLong', 'LongLong', 'GUID', 'UnsignedShort']) {
      expect(r2[c]).toBeNull();
    }
    expect(j(r2.LongBinary)).toEqual(['Tiny binary 1', 'Tiny binary 2', 'Tiny binary 3'].map(hex));
    expect(j(r2.LongCompressedBinary)).toEqual(['Tiny c binary 1', 'Tiny c binary 2', 'Tiny c binary 3'].map(hex));
    expect(j(r2.LongASCII)).toEqual(['Tiny ASCII 1', 'Tiny ASCII 2']);
    expect(j(r2.LongUnicode)).toEqual([`Tiny ${fox} 1`, `Tiny ${fox}${fox}`, `Tiny ${fox}${fox}${fox}`]);
    expect(j(r2.LongCompressedASCII)).toEqual([a(41), 'b'.repeat(40), 'c'.repeat(35)]);
    expect(j(r2.LongCompressedUnicode)).toEqual([`${a(43)} ${fox}`, `${'b'.repeat(41)} ${fox}${fox}`]);
  });

  it('default.edb: absent columns take the catalog DefaultValue (R4)', async () => {
    const [r] = await rows('dissect/default.edb', 'default');
    expect(r.Id).toBe(1);
    expect(r.Bit).toBe(1);
    expect(r.UnsignedByte).toBe(69);
    expect(r.Short).toBe(0x1234);
    expect(r.Long).toBe(0x12345678);
    expect(r.Currency).toBe(0x123456789abcdef0n);
    expect(r.IEEESingle).toBe(1);
    expect(r.IEEEDouble).toBe(2);
    expect(r.DateTime).toBe('2022-10-04T00:00:00.000');
    expect(r.UnsignedLong).toBe(12345678);
    expect(r.LongLong).toBe(0xc001deadd00d);
    expect(r.GUID).toBe('c001d00d-dead-beef-face-feeddeadbeef');
    expect(r.UnsignedShort).toBe(0xf00d);
  });
});
