// Constants shared with TypeScript (workers/engine/kernels/abi.ts mirrors them; a test checks they agree).

export const ABI_VERSION: i32 = 1;

/** Status codes returned by kernels. Non-negative values are results (counts, flags). */
export const ERR_BAD_LENGTH: i32 = -1;
export const ERR_BAD_PAGE_SIZE: i32 = -2;
export const ERR_OUT_OF_BOUNDS: i32 = -3;

/** WAL frame header size and WAL header size (sqlite wal.c WAL_FRAME_HDRSIZE / WAL_HDRSIZE). */
export const WAL_FRAME_HDR: i32 = 24;
export const WAL_HDR: i32 = 32;

/** ESE page verdicts written by esePageCheck (workers/engine/formats/ese/checksum.ts PAGE_STATUS mirrors them). */
export const ESE_PAGE_GOOD: i32 = 0;
export const ESE_PAGE_UNINIT: i32 = 1;
export const ESE_PAGE_BAD: i32 = 2;
export const ESE_PAGE_CORRECTABLE: i32 = 3;
export const ESE_PAGE_WRONG_PGNO: i32 = 4;
