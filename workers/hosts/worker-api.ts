// The object a worker exposes over comlink (both hosts). Errors become plain data so their code survives the
// boundary; typed arrays in results are transferred, not copied.

import * as Comlink from 'comlink';
import { jobs, transferablesOf, type JobContext, type JobName } from '../engine/jobs';
import { asPalimpsestError } from '../engine/errors';

export type WireResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; detail?: unknown } };

export function createWorkerApi(ctx: JobContext) {
  return {
    async run(name: string, args: unknown, progress?: (n: number) => void): Promise<WireResult> {
      const fn = (jobs as Record<string, (c: JobContext, a: unknown) => Promise<unknown>>)[name as JobName];
      try {
        if (!fn) throw new Error(`unknown job ${name}`);
        let last = 0;
        const onProgress = progress
          ? (n: number) => {
              // Throttle progress messages to ~every 16 MiB.
              if (n - last >= 16 << 20) {
                last = n;
                void progress(n);
              }
            }
          : undefined;
        const value = await fn({ ...ctx, progress: onProgress }, args);
        const res: WireResult = { ok: true, value };
        return Comlink.transfer(res, transferablesOf(value));
      } catch (e) {
        const err = asPalimpsestError(e);
        return { ok: false, error: { code: err.code, message: err.message, detail: err.detail } };
      }
    },
    /** Also loads the kernels, so a warmed worker starts its first job at full speed. */
    async ping(): Promise<string> {
      await ctx.kernels();
      return 'pong';
    },
  };
}
