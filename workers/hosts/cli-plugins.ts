// CLI commands and --format renderers contributed by format families; imported once by node-cli.ts.
import '../engine/plugins';
import './ese-cli';
import './ese-export-cli';

import './sqlite-carve-cli';
export {};
