// A virtualized list: only the rows in view (plus a margin) exist in the DOM, so 100,000+ rows scroll smoothly.
// Fixed row height. Past MAX_PX of content the scroll range is compressed (a browser caps element heights), and
// rows are placed relative to the scroll position.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

const MAX_PX = 8_000_000;

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  /** Rendered above the rows inside the scroller (sticky header). */
  header?: ComponentChildren;
  headerHeight?: number;
  /** Content width (enables horizontal scrolling); default 100%. */
  width?: number;
  overscan?: number;
  render: (i: number, style: JSX.CSSProperties) => ComponentChildren;
  onRange?: (from: number, to: number) => void;
  /** Bring this row into view when it changes. */
  scrollToIndex?: number | null;
  class?: string;
  role?: string;
  label?: string;
  extra?: Record<string, unknown>;
  onKeyDown?: (e: KeyboardEvent) => void;
  tabIndex?: number;
}

export function VirtualList(p: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [vh, setVh] = useState(400);
  const rh = p.rowHeight;
  const hh = p.headerHeight ?? 0;
  const full = p.count * rh;
  const total = Math.min(full, MAX_PX);
  const scale = full > MAX_PX ? (full - vh) / Math.max(1, total - vh) : 1;
  const offset = top * scale;
  const over = p.overscan ?? 6;
  const first = Math.max(0, Math.floor(offset / rh) - over);
  const last = Math.min(p.count, Math.ceil((offset + vh) / rh) + over);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setVh(Math.max(1, el.clientHeight - hh)));
    ro.observe(el);
    setVh(Math.max(1, el.clientHeight - hh));
    return () => ro.disconnect();
  }, [hh]);

  useEffect(() => {
    p.onRange?.(Math.max(0, Math.floor(offset / rh)), Math.min(p.count, Math.ceil((offset + vh) / rh) + 1));
  }, [first, last, p.count]);

  useEffect(() => {
    const el = ref.current;
    const i = p.scrollToIndex;
    if (!el || i === null || i === undefined || i < 0) return;
    const y = i * rh;
    if (y < offset) el.scrollTop = y / scale;
    else if (y + rh > offset + vh) el.scrollTop = (y + rh - vh) / scale;
  }, [p.scrollToIndex]);

  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    rows.push(p.render(i, { position: 'absolute', top: `${hh + top + (i * rh - offset)}px`, height: `${rh}px`, left: 0, right: p.width ? undefined : 0, width: p.width ? `${p.width}px` : undefined }));
  }
  return (
    <div
      ref={ref}
      class={`vlist ${p.class ?? ''}`}
      role={p.role as JSX.AriaRole}
      aria-label={p.label}
      tabIndex={p.tabIndex}
      onKeyDown={p.onKeyDown}
      onScroll={(e) => setTop((e.currentTarget as HTMLDivElement).scrollTop)}
      {...(p.extra ?? {})}
    >
      {p.header}
      <div class="vlist-space" style={{ height: `${total}px`, width: p.width ? `${p.width}px` : undefined }} />
      {rows}
    </div>
  );
}
