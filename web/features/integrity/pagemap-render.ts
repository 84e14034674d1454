// Drawing the page map: cells laid out in rows, painted straight into an RGBA pixel buffer (no per-cell canvas
// calls, so a million pages paint in a few milliseconds). Pure; the component owns the canvas.
//
// Layout rules:
//   L1 cells are square, `cell` device pixels, with a 1-pixel gap once cells are 4 pixels or more
//   L2 `auto` picks the largest cell (up to 22 px) whose picture fits `maxHeight`; 1 px when nothing fits (then the
//      picture is taller than maxHeight and scrolls)
//   L3 the picture is never taller than MAX_CANVAS pixels: cells shrink, and past 1 px several cells share a pixel
//      (`per` > 1; the most severe — highest priority — code wins)

export const MAX_CANVAS = 16000;

export interface Layout {
  count: number;
  cell: number;
  gap: number;
  /** Cells per pixel column group (L3); 1 normally. */
  per: number;
  cols: number;
  rows: number;
  width: number;
  height: number;
}

export function layoutFor(count: number, width: number, maxHeight: number, cellPref: number | 'auto'): Layout {
  const w = Math.max(1, Math.floor(width));
  const fit = (cell: number): Layout => {
    const gap = cell >= 4 ? 1 : 0;
    const cols = Math.max(1, Math.floor((w + gap) / (cell + gap)));
    const rows = Math.max(1, Math.ceil(count / cols));
    return { count, cell, gap, per: 1, cols, rows, width: w, height: rows * (cell + gap) - gap };
  };
  let l: Layout;
  if (cellPref === 'auto') {
    l = fit(1);
    for (let c = 22; c >= 1; c--) {
      const t = fit(c);
      if (t.height <= maxHeight) {
        l = t;
        break;
      }
    }
  } else l = fit(Math.max(1, Math.min(64, Math.floor(cellPref))));
  if (l.height > MAX_CANVAS) {
    // L3
    const base = fit(1);
    const per = Math.ceil(base.rows / MAX_CANVAS);
    const rows = Math.ceil(count / (base.cols * per));
    l = { count, cell: 1, gap: 0, per, cols: base.cols, rows, width: w, height: rows };
  }
  return l;
}

/** Cell index under pixel (x, y), or -1 (gaps and the empty tail are not cells). With per > 1, the first cell. */
export function cellAt(l: Layout, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= l.width || y >= l.height) return -1;
  const step = l.cell + l.gap;
  const c = Math.floor(x / step);
  const r = Math.floor(y / step);
  if (c >= l.cols || x - c * step >= l.cell || y - r * step >= l.cell) return -1;
  const i = (r * l.cols + c) * l.per;
  return i < l.count ? i : -1;
}

/** Top-left pixel of a cell. */
export function cellPos(l: Layout, i: number): { x: number; y: number } {
  const j = Math.floor(i / l.per);
  const step = l.cell + l.gap;
  return { x: (j % l.cols) * step, y: Math.floor(j / l.cols) * step };
}

/**
 * Paints codes[i] through colours into px (width × height, packed RGBA). `priority` ranks codes when cells share a
 * pixel (L3). Returns px.
 */
export function paint(l: Layout, codes: Uint8Array, colours: Uint32Array, background: number, px: Uint32Array, priority?: Uint8Array): Uint32Array {
  px.fill(background);
  const W = l.width;
  const step = l.cell + l.gap;
  const n = l.count;
  if (l.per === 1 && l.cell === 1) {
    for (let i = 0; i < n; i++) px[Math.floor(i / l.cols) * W + (i % l.cols)] = colours[codes[i]];
    return px;
  }
  if (l.per > 1) {
    const groups = Math.ceil(n / l.per);
    for (let g = 0; g < groups; g++) {
      let best = codes[g * l.per];
      const end = Math.min(n, (g + 1) * l.per);
      for (let i = g * l.per + 1; i < end; i++) if ((priority?.[codes[i]] ?? 0) > (priority?.[best] ?? 0)) best = codes[i];
      px[Math.floor(g / l.cols) * W + (g % l.cols)] = colours[best];
    }
    return px;
  }
  for (let i = 0; i < n; i++) {
    const x0 = (i % l.cols) * step;
    const y0 = Math.floor(i / l.cols) * step;
    const c = colours[codes[i]];
    for (let y = y0; y < y0 + l.cell; y++) {
      const row = y * W;
      px.fill(c, row + x0, row + x0 + l.cell);
    }
  }
  return px;
}
