// Constants shared with TypeScript (workers/engine/kernels/abi.ts mirrors them; a test checks they agree).

export const ABI_VERSION: i32 = 1;

/** Status codes returned by kernels. Non-negative values are results (counts, flags). */
export const ERR_BAD_LENGTH: i32 = -1;
export const ERR_BAD_PAGE_SIZE: i32 = -2;
export const ERR_OUT_OF_BOUNDS: i32 = -3;

/** WAL frame header size and WAL header size (sqlite wal.c WAL_FRAME_HDRSIZE / WAL_HDRSIZE). */
export const WAL_FRAME_HDR: i32 = 24;
export const WAL_HDR: i32 = 32;
