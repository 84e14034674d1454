// Helpers for the ESE tests: fixture copies in temp folders (evidence fixtures are never modified), patches at
// known offsets, and the engine run in-process (LocalRunner) so that most tests need no worker startup.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { FIXTURES, tempDir } from '../helpers';
import '../../workers/engine/plugins';
import { inspectCase } from '../../workers/engine/case/inspect';
import { verifyReport } from '../../workers/engine/report/report';
import { LocalRunner } from '../../workers/engine/runner';
import { nodeOpener, nodeSha256, nodeKernelLoader } from '../../workers/hosts/node-io';
import { expandPaths } from '../../workers/hosts/node-cli';
import { shortChecksum } from '../../workers/engine/formats/ese/checksum';

export const ESE = path.join(FIXTURES, 'ese');

/** A temp folder holding copies of the named fixture files (gzip fixtures are unpacked). */
export function caseDir(files: Array<[string, string?]>): { dir: string; cleanup: () => void; p: (name: string) => string } {
  const t = tempDir('palimpsest-ese-');
  for (const [src, as] of files) {
    const from = path.join(ESE, src);
    const name = as ?? path.basename(src).replace(/\.gz$/, '');
    const to = path.join(t.dir, name);
    mkdirSync(path.dirname(to), { recursive: true });
    if (src.endsWith('.gz')) writeFileSync(to, gunzipSync(readFileSync(from)));
    else copyFileSync(from, to);
  }
  return { ...t, p: (name: string) => path.join(t.dir, name) };
}

/** Every file of a fixture folder. */
export function folderFiles(folder: string): Array<[string, string?]> {
  return readdirSync(path.join(ESE, folder)).sort().map((f) => [path.join(folder, f)] as [string]);
}

export function patchFile(file: string, offset: number, bytes: Uint8Array | number[]): void {
  const b = new Uint8Array(readFileSync(file));
  b.set(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes), offset);
  writeFileSync(file, b);
}

export function editFile(file: string, fn: (b: Uint8Array, dv: DataView) => void): void {
  const b = new Uint8Array(readFileSync(file));
  fn(b, new DataView(b.buffer, b.byteOffset, b.byteLength));
  writeFileSync(file, b);
}

/** Recomputes the short checksum (C1) of b[off, off+len) in place. */
export function restamp(b: Uint8Array, off: number, len: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(off, shortChecksum(b, off, len), true);
}

let loader: ReturnType<typeof nodeKernelLoader> | null = null;

/** The verify report of the given paths, computed in-process. */
// The report as plain JSON data (any: tests read the family-specific fields freely).
export async function verifyInProcess(paths: string[], opts: { hash?: boolean } = {}): Promise<any> {
  loader ??= nodeKernelLoader();
  const runner = new LocalRunner({ open: nodeOpener, kernels: loader, sha256: nodeSha256 });
  const model = await inspectCase(expandPaths(paths), nodeOpener, runner, { hash: opts.hash ?? false });
  return JSON.parse(JSON.stringify(verifyReport(model)));
}

export function fileOf(r: any, name: string): any {
  const f = r.files.find((x: any) => path.basename(x.path) === name);
  if (!f) throw new Error(`no file ${name} in report`);
  return f;
}

export const codes = (issues: Array<{ code: string }>): string[] => issues.map((i) => i.code);
