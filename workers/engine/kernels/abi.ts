// Mirrors assembly/abi.ts (a test checks the two agree).
export const ABI_VERSION = 1;
export const ERR_BAD_LENGTH = -1;
export const ERR_BAD_PAGE_SIZE = -2;
export const ERR_OUT_OF_BOUNDS = -3;
export const WAL_FRAME_HDR = 24;
export const WAL_HDR = 32;
export const ESE_PAGE_GOOD = 0;
export const ESE_PAGE_UNINIT = 1;
export const ESE_PAGE_BAD = 2;
export const ESE_PAGE_CORRECTABLE = 3;
export const ESE_PAGE_WRONG_PGNO = 4;
