// Shared test helpers: kernels from build/, the built worker pool, temp dirs, running the built CLI.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kernels } from '../workers/engine/kernels/kernels';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

export async function loadKernels(which: 'simd' | 'scalar'): Promise<Kernels> {
  const scalar = readFileSync(path.join(ROOT, 'build', 'kernels.wasm'));
  const simd = readFileSync(path.join(ROOT, 'build', 'kernels-simd.wasm'));
  return Kernels.load({ scalar, simd }, { forceScalar: which === 'scalar' });
}

export function tempDir(prefix = 'palimpsest-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

export function cli(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'palimpsest.mjs'), ...args], {
    cwd: opts.cwd ?? ROOT, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, maxBuffer: 256 << 20,
  });
  let json: any = null;
  if (args.includes('--json')) {
    try { json = JSON.parse(r.stdout); } catch { json = null; }
  }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json };
}

/** Deterministic PRNG (mulberry32) for random buffers and mutation tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(n: number, r: () => number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (r() * 256) | 0;
  return b;
}
