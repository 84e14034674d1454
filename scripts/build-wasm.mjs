// Builds the kernels twice with asc: a SIMD build and a scalar fallback (the host picks one with
// WebAssembly.validate). Output: build/kernels.wasm, build/kernels-simd.wasm.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const require = createRequire(import.meta.url);
const asc = path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
mkdirSync(path.join(root, 'build'), { recursive: true });
for (const target of ['scalar', 'simd']) {
  execFileSync(process.execPath, [asc, '--config', 'asconfig.json', '--target', target], { cwd: root, stdio: 'inherit' });
}
console.log('kernels: build/kernels.wasm, build/kernels-simd.wasm');
