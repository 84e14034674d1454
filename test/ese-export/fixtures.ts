// ESE export fixtures: gzip-compressed real databases under test/fixtures/ese-export/<case>/ (see each PROVENANCE.md).
import { readFileSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURES } from '../helpers';

export const ESE_FIXTURES = path.join(FIXTURES, 'ese-export');

/** Every database fixture, as case/file (without .gz). */
export const DATABASES = [
  'dissect/basic.edb', 'dissect/binary.edb', 'dissect/default.edb', 'dissect/index.edb', 'dissect/multi.edb',
  'dissect/text.edb', 'dissect/SRUDB.dat', 'dissect/Current.mdb', 'ese_parser/test.edb', 'ese_parser/decompress_test.edb',
  'ese_parser/decompress_test2.edb', 'plaso/Catalog1.edb', 'srum-rathbun/SRUDB.dat', 'srum-aptsimulator/SRUDB.dat',
  'windows-search/Windows.edb', 'windows-mail/WindowsMail.MSMessageStore',
] as const;

const cache = new Map<string, Uint8Array>();

/** The unpacked bytes of a fixture (case/file). */
export function fixtureBytes(name: string): Uint8Array {
  let b = cache.get(name);
  if (!b) {
    b = new Uint8Array(gunzipSync(readFileSync(path.join(ESE_FIXTURES, `${name}.gz`))));
    cache.set(name, b);
  }
  return b;
}

let dir: string | null = null;

/** The fixture unpacked to a file in a per-process temp dir (for esedbexport and the CLI). */
export function fixtureFile(name: string): string {
  if (!dir) {
    dir = mkdtempSync(path.join(tmpdir(), 'palimpsest-ese-'));
    const d = dir;
    process.on('exit', () => rmSync(d, { recursive: true, force: true }));
  }
  const file = path.join(dir, name.replace(/\//g, '__'));
  if (!existsSync(file)) writeFileSync(file, fixtureBytes(name));
  return file;
}

/** Writes bytes (e.g. a damaged copy) to a temp file and returns its path. */
export function tempFile(name: string, bytes: Uint8Array): string {
  fixtureFile(DATABASES[0]);
  const file = path.join(dir!, name);
  writeFileSync(file, bytes);
  return file;
}
