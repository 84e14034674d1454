// Commands other format families add to the CLI (e.g. `export` for ESE), and extra --format renderers.
import type { CaseInput, CaseModel } from '../engine/case/model';
import type { WorkerPool } from '../pool/pool';

export interface CliContext {
  inputs: CaseInput[];
  values: Record<string, unknown>;
  json: boolean;
  pool: WorkerPool;
  inspect(hash: boolean): Promise<CaseModel>;
  out(s: string): void;
}

export interface CliExtension {
  command: string;
  usage: string;
  run(ctx: CliContext): Promise<number>;
}

export const cliExtensions: CliExtension[] = [];

/** Extra `verify --format NAME` renderers (e.g. `eseutil`): report → text. */
export const verifyFormats: Record<string, (report: import('../engine/report/report').VerifyReport) => string> = {};
