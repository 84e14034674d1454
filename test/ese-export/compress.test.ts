// compress.ts: the 7-bit decoders against a reference packer written from compression.cxx (ErrCompress7Bit*_), the
// XPRESS decoder against the MS-XCA §3.1 worked examples, and every decoder against random and truncated input.
import { describe, it, expect } from 'vitest';
import { decompress, lz77Plain } from '../../workers/engine/formats/ese/edb/compress';
import { rng, randomBytes } from '../helpers';

/** Reference twin: packs 7-bit values LSB-first after a header byte (scheme << 3 | bitsInLastByte − 1). */
function pack7(values: number[], scheme: 1 | 2): Uint8Array {
  const bits = values.length * 7;
  const out = new Uint8Array(1 + Math.ceil(bits / 8));
  values.forEach((v, i) => {
    for (let b = 0; b < 7; b++) if (v & (1 << b)) out[1 + ((i * 7 + b) >> 3)] |= 1 << ((i * 7 + b) & 7);
  });
  const last = bits % 8 || 8;
  out[0] = (scheme << 3) | (last - 1);
  return out;
}

const bytes = (...xs: number[]) => new Uint8Array(xs);

describe('7-bit compression (C1, C2)', () => {
  it('decodes ASCII packed by the reference twin, for every length 1..300', () => {
    const r = rng(7);
    for (let n = 1; n <= 300; n++) {
      const vals = Array.from({ length: n }, () => (r() * 128) | 0);
      const d = decompress(pack7(vals, 1));
      expect(d.ok).toBe(true);
      if (d.ok) expect(Array.from(d.bytes)).toEqual(vals);
    }
  });

  it('decodes Unicode to UTF-16LE code units (value, 0)', () => {
    const vals = Array.from('Record          0', (c) => c.charCodeAt(0));
    const d = decompress(pack7(vals, 2));
    expect(d.ok && new TextDecoder('utf-16le').decode(d.bytes)).toBe('Record          0');
    expect(d.ok && d.bytes.length).toBe(34);
  });

  it('rejects a value too short for its header', () => {
    expect(decompress(bytes(0x08)).ok).toBe(false);
    expect(decompress(new Uint8Array(0)).ok).toBe(false);
  });
});

describe('XPRESS plain LZ77 (C3), MS-XCA §3.1', () => {
  it('26 literals', () => {
    const input = bytes(0x18, 26, 0, 0x3f, 0, 0, 0, ...Array.from('abcdefghijklmnopqrstuvwxyz', (c) => c.charCodeAt(0)));
    const d = decompress(input);
    expect(d.ok && new TextDecoder().decode(d.bytes)).toBe('abcdefghijklmnopqrstuvwxyz');
  });

  it('"abc" × 100: one match with half-byte, byte and u16 length extensions', () => {
    const d = decompress(bytes(0x18, 44, 1, 0xff, 0xff, 0xff, 0x1f, 0x61, 0x62, 0x63, 0x17, 0x00, 0x0f, 0xff, 0x26, 0x01));
    expect(d.ok && new TextDecoder().decode(d.bytes)).toBe('abc'.repeat(100));
  });

  it('a shared half-byte serves two matches', () => {
    // 'ab' then two matches of length 7+3+5 and 7+3+2 at offset 2: half-byte 0x25 gives 5 (low) then 2 (high).
    const input = bytes(0xff, 0xff, 0xff, 0x3f, 0x61, 0x62, 0x0f, 0x00, 0x25, 0x0f, 0x00);
    const out = lz77Plain(input, 0, 2 + 15 + 12);
    expect(typeof out === 'string' ? out : new TextDecoder().decode(out)).toBe('ab'.repeat(14) + 'a');
  });

  it('reports offsets before the output start, overlong matches and truncated input instead of reading past it', () => {
    expect(typeof lz77Plain(bytes(0x00, 0x00, 0x00, 0x80, 0x17, 0x00), 0, 10)).toBe('string');
    expect(typeof lz77Plain(bytes(0x00, 0x00, 0x00, 0x20, 0x61, 0x62, 0x63, 0x17, 0x00, 0x0f, 0xff, 0x26, 0x01), 0, 20)).toBe('string');
    expect(typeof lz77Plain(bytes(0x00, 0x00, 0x00, 0x00, 0x61), 0, 5)).toBe('string');
    expect(decompress(bytes(0x18, 0x10)).ok).toBe(false);
  });
});

describe('unsupported and scrubbed schemes (C4, C5)', () => {
  it.each([
    [5, 'XPRESS9'],
    [6, 'XPRESS10'],
    [7, 'LZ4'],
    [9, 'scheme 9'],
  ])('scheme %i is reported as unsupported (%s)', (id, name) => {
    const d = decompress(bytes(id << 3, 1, 2, 3));
    expect(d).toMatchObject({ ok: false, reason: 'unsupported', scheme: name });
  });

  it('scheme 4 is a scrubbed value', () => {
    expect(decompress(bytes(4 << 3, 0x5a, 0x5a))).toMatchObject({ ok: false, reason: 'scrubbed' });
  });
});

describe('random input never throws and never overruns', () => {
  it('10,000 random buffers through every scheme', () => {
    const r = rng(1234);
    for (let i = 0; i < 10_000; i++) {
      const b = randomBytes(1 + ((r() * 200) | 0), r);
      b[0] = (b[0] & 0x07) | ((((r() * 8) | 0) & 7) << 3);
      const d = decompress(b);
      if (d.ok) {
        if (b[0] >> 3 === 3) expect(d.bytes.length).toBe(b[1] | (b[2] << 8));
        else expect(d.bytes.length).toBeLessThanOrEqual(2 * Math.ceil((b.length * 8) / 7));
      } else {
        expect(typeof d.message).toBe('string');
      }
    }
  });
});
