// Page-map colours (one per type code and one per status code) for the dark and light themes.
// Damage is the loudest colour in both; ordinary pages are quiet.
import { CELL_STATUS, CELL_TYPE, type CellStatusName, type CellTypeName } from '../../../workers/hosts/case-api';

type Pal = { status: Record<CellStatusName, string>; type: Record<CellTypeName, string>; background: string };

export const PALETTES: Record<'dark' | 'light', Pal> = {
  dark: {
    background: '#12161b',
    status: {
      ok: '#3e7a62', badChecksum: '#ff5a5f', damaged: '#ff9a3d', zero: '#2a3038', free: '#6b6a8c', newerInWal: '#4c9bff',
      rolledBack: '#b48cff', applied: '#46c08a', committed: '#2f6a98', uncommitted: '#e6b450', invalid: '#ff5a5f',
      afterBreak: '#b8504f', stale: '#59616d', unstamped: '#c9a35a', played: '#46c08a', notPlayed: '#7c8896', recordBad: '#ff5a5f',
      correctable: '#e6b450', wrongPgno: '#ff9a3d', uninitialized: '#2a3038', empty: '#2a3038', shadow: '#6b6a8c', logDamaged: '#ff5a5f',
      torn: '#e6b450', unscanned: '#4a5260', fill: '#232830',
    },
    type: {
      unknown: '#4a5260', zero: '#2a3038', tableInterior: '#3b7bd0', tableLeaf: '#6ea8f5', indexInterior: '#8560cf',
      indexLeaf: '#b191ee', overflow: '#2c9f96', freelistTrunk: '#8a7a55', freelistLeaf: '#a59873', ptrmap: '#c47bb8',
      lockByte: '#666d78', orphanBtree: '#e0893a', frame: '#4d7cad', commitFrame: '#86bdff', record: '#78a178',
      eseHeader: '#c47bb8', eseTrailer: '#c47bb8', eseEmpty: '#59616d', eseSpaceTree: '#8a7a55', eseLvLeaf: '#2c9f96', eseLvBranch: '#1f6f69',
      eseIndexLeaf: '#b191ee', eseIndexBranch: '#8560cf', eseDataLeaf: '#6ea8f5', eseDataBranch: '#3b7bd0', logHeader: '#c47bb8', logSegment: '#4d7cad',
    },
  },
  light: {
    background: '#ffffff',
    status: {
      ok: '#7fbf9f', badChecksum: '#d92d2d', damaged: '#e07000', zero: '#e4e7ec', free: '#a9a6c9', newerInWal: '#2f7ae5',
      rolledBack: '#8b5cf6', applied: '#23935e', committed: '#8fb5dc', uncommitted: '#d49a00', invalid: '#d92d2d',
      afterBreak: '#b04a48', stale: '#a5adb8', unstamped: '#b08a2e', played: '#23935e', notPlayed: '#a5adb8', recordBad: '#d92d2d',
      correctable: '#d49a00', wrongPgno: '#e07000', uninitialized: '#e4e7ec', empty: '#e4e7ec', shadow: '#a9a6c9', logDamaged: '#d92d2d',
      torn: '#d49a00', unscanned: '#c5ccd5', fill: '#eef0f3',
    },
    type: {
      unknown: '#a5adb8', zero: '#e4e7ec', tableInterior: '#2f6fd0', tableLeaf: '#7aaaf0', indexInterior: '#6b46c1',
      indexLeaf: '#a68be8', overflow: '#1f968c', freelistTrunk: '#8a7a55', freelistLeaf: '#b9ad8a', ptrmap: '#b35fa6',
      lockByte: '#7b838f', orphanBtree: '#d9771f', frame: '#5b8cc0', commitFrame: '#2f6fd0', record: '#5f935f',
      eseHeader: '#b35fa6', eseTrailer: '#b35fa6', eseEmpty: '#a5adb8', eseSpaceTree: '#8a7a55', eseLvLeaf: '#1f968c', eseLvBranch: '#176e67',
      eseIndexLeaf: '#a68be8', eseIndexBranch: '#6b46c1', eseDataLeaf: '#7aaaf0', eseDataBranch: '#2f6fd0', logHeader: '#b35fa6', logSegment: '#5b8cc0',
    },
  },
};

/** #rrggbb → 0xAABBGGRR (ImageData order on little-endian machines). */
export function rgba32(hex: string): number {
  const v = parseInt(hex.slice(1), 16);
  const r = (v >> 16) & 255;
  const g = (v >> 8) & 255;
  const b = v & 255;
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** A 256-entry lookup from cell code to packed colour. */
export function lookup(theme: 'dark' | 'light', by: 'status' | 'type'): Uint32Array {
  const p = PALETTES[theme];
  const out = new Uint32Array(256).fill(rgba32(p.type.unknown));
  if (by === 'status') for (const [k, v] of Object.entries(CELL_STATUS)) out[v] = rgba32(p.status[k as CellStatusName]);
  else for (const [k, v] of Object.entries(CELL_TYPE)) out[v] = rgba32(p.type[k as CellTypeName]);
  return out;
}

/** When several cells share one pixel, the most telling one shows: damage first, ordinary pages last. */
export const PRIORITY_STATUS: Uint8Array = (() => {
  const p = new Uint8Array(256);
  const order: CellStatusName[] = [
    'ok', 'fill', 'zero', 'uninitialized', 'empty', 'unscanned', 'free', 'stale', 'shadow', 'committed', 'unstamped', 'notPlayed', 'applied', 'played',
    'rolledBack', 'newerInWal', 'uncommitted', 'correctable', 'torn', 'afterBreak', 'damaged', 'wrongPgno', 'invalid', 'recordBad', 'logDamaged',
    'badChecksum',
  ];
  order.forEach((k, i) => (p[CELL_STATUS[k]] = i + 1));
  return p;
})();

export const PRIORITY_TYPE: Uint8Array = (() => {
  const p = new Uint8Array(256);
  const types: CellTypeName[] = [
    'zero', 'unknown', 'freelistLeaf', 'freelistTrunk', 'lockByte', 'ptrmap', 'overflow', 'tableLeaf', 'indexLeaf', 'tableInterior', 'indexInterior', 'frame',
    'record', 'commitFrame', 'orphanBtree', 'eseEmpty', 'eseSpaceTree', 'eseLvLeaf', 'eseLvBranch', 'eseDataLeaf', 'eseIndexLeaf', 'eseDataBranch',
    'eseIndexBranch', 'eseTrailer', 'eseHeader', 'logSegment', 'logHeader',
  ];
  types.forEach((k, i) => (p[CELL_TYPE[k]] = i + 1));
  return p;
})();
