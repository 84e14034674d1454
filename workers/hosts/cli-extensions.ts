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
  /** False when the command never runs pool jobs: the CLI then does not start the workers ahead of time. */
  usesWorkers?: boolean;
  /** Extra options the command accepts (node:util parseArgs option descriptors), merged into the CLI's. */
  options?: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  run(ctx: CliContext): Promise<number>;
}

/** The extra options of every registered command, for parseArgs. */
export function extensionOptions(): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> {
  return Object.assign({}, ...cliExtensions.map((e) => e.options ?? {}));
}

export const cliExtensions: CliExtension[] = [];

/** Extra `verify --format NAME` renderers (e.g. `eseutil`): report → text. */
export const verifyFormats: Record<string, (report: import('../engine/report/report').VerifyReport) => string> = {};
