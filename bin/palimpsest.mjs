#!/usr/bin/env node
// Launcher: runs the built CLI (npm run build creates dist/node/cli.mjs).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'dist', 'node', 'cli.mjs');
if (!existsSync(cli)) {
  process.stderr.write('palimpsest: not built yet; run `npm run build` in ' + root + '\n');
  process.exit(2);
}
await import(pathToFileURL(cli).href);
