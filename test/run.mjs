// Runs every test (vitest: kernels, engine, CLI, fuzz, web end-to-end) and prints one plain summary line:
//   N passed, N failed
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outDir = path.join(root, 'test-results');
mkdirSync(outDir, { recursive: true });
const jsonOut = path.join(outDir, 'vitest.json');
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const extra = process.argv.slice(2);
const r = spawnSync(process.execPath, [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonOut}`, ...extra], {
  cwd: root,
  stdio: 'inherit',
  env: process.stdout.isTTY ? process.env : { ...process.env, NO_COLOR: '1' },
});
let passed = 0;
let failed = 0;
if (existsSync(jsonOut)) {
  const j = JSON.parse(readFileSync(jsonOut, 'utf8'));
  passed = j.numPassedTests ?? 0;
  // Failed tests, plus test files that failed without a failing test (import or setup errors).
  const brokenFiles = (j.testResults ?? []).filter((t) => t.status === 'failed' && !(t.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  failed = (j.numFailedTests ?? 0) + brokenFiles;
}
if (r.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && r.status === 0 ? 0 : 1);
