// A virtualized table of SQL rows: sticky sortable header, fixed row height, rows fetched by the caller as they
// come into view (onRange). Keyboard: the grid is focusable; arrows move the selected row.
import type { SqlCell } from '../../../workers/hosts/sql-service';
import { VirtualList } from '../../ui/VirtualList';
import { useT } from '../../store/store';

export const ROW_H = 28;

export function cellText(v: SqlCell | undefined): string {
  if (v === undefined) return '';
  if (v === null) return 'NULL';
  if (typeof v === 'object') return `BLOB ${v.blob} B`;
  return String(v);
}

export function columnWidths(columns: string[], sample: Array<SqlCell[] | undefined>): number[] {
  return columns.map((c, j) => {
    let len = c.length;
    let n = 0;
    let sum = 0;
    for (const r of sample) {
      if (!r) continue;
      sum += Math.min(60, cellText(r[j]).length);
      n++;
    }
    if (n) len = Math.max(len, Math.ceil(sum / n) + 2);
    return Math.max(72, Math.min(360, len * 7.6 + 22));
  });
}

export interface DataTableProps {
  columns: string[];
  count: number;
  row: (i: number) => SqlCell[] | undefined;
  onRange?: (from: number, to: number) => void;
  sort?: { column: string; desc: boolean } | null;
  onSort?: (column: string) => void;
  selected?: number | null;
  onSelect?: (i: number) => void;
  label: string;
  /** Changes when rows arrive (re-render trigger). */
  version?: number;
}

export function DataTable(p: DataTableProps) {
  const t = useT();
  const sample: Array<SqlCell[] | undefined> = [];
  for (let i = 0; i < Math.min(p.count, 50); i++) sample.push(p.row(i));
  const widths = columnWidths(p.columns, sample);
  const rowNumW = Math.max(48, String(p.count).length * 8 + 20);
  const total = rowNumW + widths.reduce((a, b) => a + b, 0);
  const sel = p.selected ?? null;
  const header = (
    <div class="dt-head" role="row" aria-rowindex={1} style={{ width: `${total}px` }}>
      <span class="dt-num" role="columnheader" style={{ width: `${rowNumW}px` }}>#</span>
      {p.columns.map((c, j) => {
        const sorted = p.sort?.column === c ? (p.sort.desc ? 'descending' : 'ascending') : 'none';
        return (
          <span key={c + j} role="columnheader" aria-sort={sorted} style={{ width: `${widths[j]}px` }}>
            {p.onSort ? (
              <button type="button" class="dt-sort" onClick={() => p.onSort!(c)} title={t.t('Sort by {c}', { c })}>
                {c}
                <span class="dt-arrow" aria-hidden="true">{sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : ''}</span>
              </button>
            ) : (
              c
            )}
          </span>
        );
      })}
    </div>
  );
  return (
    <VirtualList
      class="dt"
      count={p.count}
      rowHeight={ROW_H}
      header={header}
      headerHeight={ROW_H + 2}
      width={total}
      role="grid"
      label={p.label}
      tabIndex={0}
      extra={{ 'aria-rowcount': p.count + 1, 'aria-colcount': p.columns.length + 1 }}
      scrollToIndex={sel}
      onRange={p.onRange}
      onKeyDown={(e) => {
        if (!p.onSelect) return;
        const d: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 };
        if (e.key in d) {
          e.preventDefault();
          p.onSelect(Math.max(0, Math.min(p.count - 1, (sel ?? -1) + d[e.key])));
        }
      }}
      render={(i, style) => {
        const r = p.row(i);
        return (
          <div key={i} class={`dt-row${i === sel ? ' sel' : ''}${i % 2 ? ' odd' : ''}`} style={style} role="row" aria-rowindex={i + 2} aria-selected={i === sel} onClick={() => p.onSelect?.(i)}>
            <span class="dt-num" role="rowheader" style={{ width: `${rowNumW}px` }}>{i + 1}</span>
            {p.columns.map((_, j) => {
              const v = r?.[j];
              const txt = r ? cellText(v) : '';
              const cls = v === null ? 'null' : typeof v === 'number' ? 'n' : v && typeof v === 'object' ? 'blob' : '';
              return (
                <span key={j} role="gridcell" class={cls} style={{ width: `${widths[j]}px` }} title={v && typeof v === 'object' ? `${txt}: ${v.hex}…` : txt.length > 40 ? txt.slice(0, 500) : undefined}>
                  {r ? txt : <span class="loading-cell" />}
                </span>
              );
            })}
          </div>
        );
      }}
    />
  );
}
