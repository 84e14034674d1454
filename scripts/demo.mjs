// npm run demo — serves the built web app (dist/web) on 127.0.0.1 with `vite preview`, opened on the built-in demo
// case (?demo=1). Prints the address; tries to open a browser when one is available and carries on when none is.
import { preview } from 'vite';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist', 'web');
if (!existsSync(path.join(dist, 'index.html'))) {
  console.error('demo: the web app is not built (dist/web/index.html is missing); run `npm run build` first');
  process.exit(2);
}

const server = await preview({ root, configFile: path.join(root, 'vite.config.ts'), mode: 'web', preview: { host: '127.0.0.1', port: 4173, open: false }, logLevel: 'warn' });
const base = server.resolvedUrls?.local?.[0] ?? 'http://127.0.0.1:4173/';
const url = `${base}?demo=1`;
console.log(`Palimpsest is running at ${url}`);
console.log(`The same app as one offline file: ${pathToFileURL(path.join(dist, 'palimpsest.html')).href}?demo=1`);
console.log('Press Ctrl+C to stop.');

// Open a browser if there is one; a headless machine simply keeps the printed address.
const opener = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
if (process.env.PALIMPSEST_NO_OPEN !== '1') {
  try {
    const child = spawn(opener[0], opener[1], { stdio: 'ignore', detached: true });
    child.on('error', () => console.log('(no browser could be opened here; open the address above yourself)'));
    child.unref();
  } catch {
    console.log('(no browser could be opened here; open the address above yourself)');
  }
}

const stop = () => server.httpServer.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
