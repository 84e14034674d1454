// Entry of the built CLI bundle (dist/node/cli.mjs).
import { main } from './node-cli';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`palimpsest: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
