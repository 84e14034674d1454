// Kernel entry points. Every export takes (ptr, len, ...) over host-owned memory and returns a status/count.
export { ABI_VERSION } from "./abi";
export { walChecksum, walFrameCheck, cksumvfsCheck } from "./sqlite";
export { esePageCheck, eseEccChecksum, eseXorChecksum } from "./ese";

/** First byte of the host scratch area (see layout.ts). */
export function scratchBase(): usize {
  return (__heap_base + 15) & ~<usize>15;
}

/** 1 when this instance was built with SIMD. */
export function hasSimd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}
