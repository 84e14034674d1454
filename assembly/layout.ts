// Memory map of the kernel instance (documented here, owned by the host).
//
//   [0, __heap_base)          static data of the module (tiny; no runtime allocation: --runtime stub)
//   [__heap_base, ...)        host scratch area. The host (workers/engine/kernels.ts) grows memory with
//                             `memory.grow` and lays out, per call, an input region followed by an output region.
//
// Kernels never allocate and never throw: they take (ptr, len, ...) and return a status or count.
// A negative return value is an argument error (see abi.ts); the host turns it into a typed error.

export const SCRATCH_ALIGN: u32 = 16;
