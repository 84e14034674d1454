// Checks the system tools the tests use (real SQLite as the oracle, Chromium for the browser tests, libesedb as the
// ESE second opinion). As root with apt-get, installs what is missing; otherwise says exactly what to install.
import { spawnSync } from 'node:child_process';

const tools = [
  { cmd: 'sqlite3', pkg: 'sqlite3', check: ['sqlite3', ['--version']] },
  { cmd: 'chromium', pkg: 'chromium', check: ['chromium', ['--version']] },
  { cmd: 'esedbinfo', pkg: 'libesedb-utils', check: ['sh', ['-c', 'command -v esedbinfo']] },
  { cmd: 'python3', pkg: 'python3', check: ['python3', ['-c', 'import sqlite3']] },
];
const ok = (c) => spawnSync(c.check[0], c.check[1], { stdio: 'ignore' }).status === 0;
let missing = tools.filter((t) => !ok(t));
if (missing.length) {
  const pkgs = missing.map((t) => t.pkg);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (root && apt) {
    console.log(`installing ${pkgs.join(' ')} (apt-get)`);
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', ...pkgs], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    missing = missing.filter((t) => !ok(t));
  }
  if (missing.length) {
    console.error(`missing test tools: ${missing.map((t) => t.cmd).join(', ')}. Install with: sudo apt-get install -y ${missing.map((t) => t.pkg).join(' ')}`);
    process.exit(1);
  }
}
