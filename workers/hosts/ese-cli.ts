// ESE additions to the CLI: `verify --format eseutil` prints eseutil's /mh, /k, /ml and /mk text and the restore
// plan (workers/engine/formats/ese/eseutil.ts) from the same verify report that --json prints.
import { verifyFormats } from './cli-extensions';
import { eseutilText } from '../engine/formats/ese/eseutil';

verifyFormats.eseutil = eseutilText;
