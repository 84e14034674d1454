// ESE column compression (FORMAT.md §6; ese-formats.md §8; MS-ESE compression.cxx). The scheme is the top 5 bits of
// the first byte:
//   C1 1 = 7-bit ASCII: header low 3 bits = (bits used in the last byte) − 1; the bytes after the header are a
//        little-endian stream of 7-bit characters; count = ((cb − 2) · 8 + bitsInLastByte) / 7
//   C2 2 = 7-bit Unicode: as C1, each 7-bit value widened to a UTF-16LE code unit (value, 0)
//   C3 3 = XPRESS: u16 uncompressed size at offset 1, then the "plain LZ77" stream of MS-XCA §2.3/2.4 (the ESE
//        _xpress coder built with CODING_DIRECT2: 32-bit flag words, 16-bit match tokens = 13-bit offset − 1, 3-bit
//        length − 3, length extensions in shared half-bytes, then a byte, then u16, then u32)
//   C4 4 = scrub: the value was wiped by ESE (orphaned LV chunk); there is no data to recover
//   C5 5 XPRESS9, 6 XPRESS10, 7 LZ4 and anything else are not decoded: reported as unsupported, never guessed
// Every decoder is bounded by the declared output size and by the input length; it never reads past its input.

export type DecompressResult =
  | { ok: true; bytes: Uint8Array; scheme: string }
  | { ok: false; reason: 'unsupported' | 'corrupt' | 'scrubbed'; scheme: string; message: string };

export const COMPRESSION_SCHEMES: Record<number, string> = {
  1: '7-bit ASCII',
  2: '7-bit Unicode',
  3: 'XPRESS',
  4: 'scrub',
  5: 'XPRESS9',
  6: 'XPRESS10',
  7: 'LZ4',
};

/** Hard bound on a decompressed value (XPRESS sizes are u16; 7-bit output is at most 2 · 8/7 of the input). */
const MAX_OUT = 1 << 20;

export function decompress(input: Uint8Array): DecompressResult {
  if (input.length === 0) return { ok: false, reason: 'corrupt', scheme: 'none', message: 'empty compressed value' };
  const id = input[0] >> 3;
  const scheme = COMPRESSION_SCHEMES[id] ?? `scheme ${id}`;
  switch (id) {
    case 1:
    case 2:
      return sevenBit(input, id === 2, scheme);
    case 3:
      return xpress(input, scheme);
    case 4:
      return { ok: false, reason: 'scrubbed', scheme, message: 'the value was scrubbed by ESE (compression scheme 4); no data remains' };
    default:
      return { ok: false, reason: 'unsupported', scheme, message: `compression scheme ${id} (${scheme}) is not supported; the value is kept compressed` };
  }
}

function sevenBit(input: Uint8Array, unicode: boolean, scheme: string): DecompressResult {
  // C1/C2
  if (input.length < 2) {
    return { ok: false, reason: 'corrupt', scheme, message: `${scheme} value of ${input.length} bytes is too short` };
  }
  const bitsLast = (input[0] & 7) + 1;
  const bits = (input.length - 2) * 8 + bitsLast;
  const count = Math.floor(bits / 7);
  const out = new Uint8Array(unicode ? count * 2 : count);
  let ib = 1;
  let bit = 0;
  for (let i = 0; i < count; i++) {
    let v: number;
    if (bit <= 1) v = (input[ib] >> bit) & 0x7f;
    else v = ((input[ib] | ((ib + 1 < input.length ? input[ib + 1] : 0) << 8)) >> bit) & 0x7f;
    if (unicode) out[2 * i] = v;
    else out[i] = v;
    bit += 7;
    if (bit >= 8) {
      bit -= 8;
      ib++;
    }
  }
  return { ok: true, bytes: out, scheme };
}

/** C3: MS-XCA plain LZ77 ("LZXpress"), bounded by the declared size at input[1..2]. */
export function xpress(input: Uint8Array, scheme = 'XPRESS'): DecompressResult {
  if (input.length < 3) return { ok: false, reason: 'corrupt', scheme, message: 'XPRESS value shorter than its 3-byte header' };
  const size = input[1] | (input[2] << 8);
  const r = lz77Plain(input, 3, size);
  if (typeof r === 'string') return { ok: false, reason: 'corrupt', scheme, message: r };
  return { ok: true, bytes: r, scheme };
}

/** Decodes MS-XCA plain LZ77 from input[start..] into exactly `size` bytes, or returns an error message. */
export function lz77Plain(input: Uint8Array, start: number, size: number): Uint8Array | string {
  if (size > MAX_OUT) return `declared size ${size} is too large`;
  const out = new Uint8Array(size);
  let ip = start;
  let op = 0;
  let flags = 0;
  let flagCount = 0;
  let halfByte = -1;
  const end = input.length;
  while (op < size) {
    if (flagCount === 0) {
      if (ip + 4 > end) return `input ends inside a flag word at ${ip} (${op} of ${size} bytes decoded)`;
      flags = (input[ip] | (input[ip + 1] << 8) | (input[ip + 2] << 16) | (input[ip + 3] << 24)) >>> 0;
      ip += 4;
      flagCount = 32;
    }
    flagCount--;
    if (((flags >>> flagCount) & 1) === 0) {
      if (ip >= end) return `input ends before literal ${op} of ${size}`;
      out[op++] = input[ip++];
      continue;
    }
    if (ip + 2 > end) return `input ends inside a match token at ${ip} (${op} of ${size} bytes decoded)`;
    const token = input[ip] | (input[ip + 1] << 8);
    ip += 2;
    let length = token & 7;
    const offset = (token >> 3) + 1;
    if (length === 7) {
      if (halfByte < 0) {
        if (ip >= end) return 'input ends inside a length extension';
        length = input[ip] & 0xf;
        halfByte = ip;
        ip++;
      } else {
        length = input[halfByte] >> 4;
        halfByte = -1;
      }
      if (length === 15) {
        if (ip >= end) return 'input ends inside a length extension';
        length = input[ip++];
        if (length === 255) {
          if (ip + 2 > end) return 'input ends inside a length extension';
          length = input[ip] | (input[ip + 1] << 8);
          ip += 2;
          if (length === 0) {
            if (ip + 4 > end) return 'input ends inside a length extension';
            length = (input[ip] | (input[ip + 1] << 8) | (input[ip + 2] << 16) | (input[ip + 3] << 24)) >>> 0;
            ip += 4;
          }
          if (length < 15 + 7) return `invalid match length ${length}`;
          length -= 15 + 7;
        }
        length += 15;
      }
      length += 7;
    }
    length += 3;
    if (offset > op) return `match offset ${offset} reaches before the start of the output at ${op}`;
    if (op + length > size) return `match of ${length} bytes at ${op} runs past the declared size ${size}`;
    for (let i = 0; i < length; i++, op++) out[op] = out[op - offset];
  }
  return out;
}
