// The only things the engine throws. Data problems in evidence are Issues, not errors; these are for misuse,
// cancellation and I/O failures. Every error is plain-data serialisable via toJSON for worker boundaries.

export type ErrorCode =
  | 'usage'
  | 'io'
  | 'cancelled'
  | 'unsupported'
  | 'kernel'
  | 'worker-crashed'
  | 'out-of-memory'
  | 'internal';

export class PalimpsestError extends Error {
  readonly code: ErrorCode;
  readonly detail?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = 'PalimpsestError';
    this.code = code;
    this.detail = detail;
  }
  toJSON() {
    return { name: this.name, code: this.code, message: this.message, detail: this.detail };
  }
}

export function isPalimpsestError(e: unknown): e is PalimpsestError {
  return e instanceof Error && (e as PalimpsestError).name === 'PalimpsestError' && typeof (e as PalimpsestError).code === 'string';
}

/** Turns anything thrown into a PalimpsestError (for reporting across a worker boundary). */
export function asPalimpsestError(e: unknown): PalimpsestError {
  if (e instanceof PalimpsestError) return e;
  if (e && typeof e === 'object' && (e as { name?: string }).name === 'PalimpsestError') {
    const o = e as { code: ErrorCode; message: string; detail?: Record<string, unknown> };
    return new PalimpsestError(o.code, o.message, o.detail);
  }
  if (e instanceof RangeError && /memory|allocation|Array buffer/i.test(e.message)) {
    return new PalimpsestError('out-of-memory', e.message);
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new PalimpsestError('internal', msg);
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new PalimpsestError('cancelled', 'The operation was cancelled');
}
