// Hex view of one page, frame, record or header, with the field under the cursor named (fields.ts).
import { useMemo } from 'preact/hooks';
import { useStore, useT } from '../../store/store';
import { VirtualList } from '../../ui/VirtualList';
import { Icon } from '../../ui/icons';
import { ErrorBox } from '../../ui/widgets';
import { fieldAt } from './fields';
import type { HexField, HexUnit } from '../../../workers/hosts/case-api';

const ROW = 16;
const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const printable = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·');

export function fieldName(f: HexField, t: ReturnType<typeof useT>): string {
  return t.term(f.key, { n: f.n ?? 0 });
}

export function HexView() {
  const s = useStore();
  const t = useT();
  const u = s.integrity.hex.value;
  const err = s.integrity.hexError.value;
  const cur = s.integrity.hexByte.value;
  if (!u) return err ? <ErrorBox error={err} /> : null;
  return <HexUnitView u={u} cur={cur} />;
}

function HexUnitView({ u, cur }: { u: HexUnit; cur: number }) {
  const s = useStore();
  const t = useT();
  const field = fieldAt(u.fields, cur);
  const chain = useMemo(() => u.fields.filter((f) => f.start <= cur && cur < f.end).sort((a, b) => a.depth - b.depth), [u, cur]);
  const rows = Math.ceil(u.bytes.length / ROW);
  const unitName = t.term(`unit.${u.unit}`);
  const move = (d: number) => s.integrity.setHexByte(cur + d);
  const onKey = (e: KeyboardEvent) => {
    const m: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: ROW, ArrowUp: -ROW, PageDown: ROW * 16, PageUp: -ROW * 16 };
    if (e.key in m) {
      e.preventDefault();
      move(m[e.key]);
    } else if (e.key === 'Home') {
      e.preventDefault();
      s.integrity.setHexByte(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      s.integrity.setHexByte(u.bytes.length - 1);
    }
  };
  const b = u.bytes[cur];
  const first = u.first ?? 1;
  const single = u.unit === 'header' && u.count <= first;
  return (
    <section class="hex" aria-labelledby="hex-title">
      <header class="hex-head">
        <h3 id="hex-title">
          {t.t('Hex view')}: <span class="mono">{u.path}</span> — {unitName} {single ? '' : t.num(u.index)}
          {!single ? <span class="muted"> / {t.num(u.count)}</span> : null}
        </h3>
        <div class="hex-actions">
          <button type="button" class="btn btn-small" disabled={single || u.index <= first} onClick={() => void s.integrity.stepHex(-1)} aria-label={t.t('Previous {unit}', { unit: unitName })}>
            <Icon name="chevronLeft" size={14} />
          </button>
          <button type="button" class="btn btn-small" disabled={single || u.index >= u.count} onClick={() => void s.integrity.stepHex(1)} aria-label={t.t('Next {unit}', { unit: unitName })}>
            <Icon name="chevronRight" size={14} />
          </button>
          <button type="button" class="btn btn-small" onClick={() => s.integrity.closeHex()} aria-label={t.t('Close the hex view')}>
            <Icon name="close" size={14} />
          </button>
        </div>
      </header>
      <p class="hex-status mono" aria-live="polite">
        <span>{t.t('offset')} 0x{(u.offset + cur).toString(16)}</span>
        <span> · {t.t('byte')} 0x{hex2(b ?? 0)}</span>
        {field ? (
          <span class="hex-field">
            {' · '}
            {chain.map((f, i) => (
              <span key={i}>
                {i ? ' › ' : ''}
                {fieldName(f, t)}
              </span>
            ))}
            {field.value ? <b> = {field.value}</b> : null}
          </span>
        ) : (
          <span class="muted"> · {t.t('no named field here')}</span>
        )}
      </p>
      <div class="hex-body">
        <VirtualList
          class="hex-grid mono"
          count={rows}
          rowHeight={20}
          role="grid"
          label={t.t('Bytes of {unit} {n}', { unit: unitName, n: u.index })}
          tabIndex={0}
          onKeyDown={onKey}
          scrollToIndex={Math.floor(cur / ROW)}
          extra={{ 'aria-rowcount': rows }}
          render={(r, style) => {
            const cells = [];
            const chars = [];
            for (let k = 0; k < ROW; k++) {
              const i = r * ROW + k;
              if (i >= u.bytes.length) break;
              const inField = field && i >= field.start && i < field.end;
              const cls = `${inField ? 'hl' : ''}${i === cur ? ' cur' : ''}`;
              cells.push(
                <span key={k} class={`hb ${cls}`} onMouseEnter={() => s.integrity.setHexByte(i)} onClick={() => s.integrity.setHexByte(i)}>
                  {hex2(u.bytes[i])}
                </span>,
              );
              chars.push(<span key={k} class={`ha ${cls}`}>{printable(u.bytes[i])}</span>);
            }
            return (
              <div key={r} class="hex-row" style={style} role="row" aria-rowindex={r + 1}>
                <span class="ho">{(u.offset + r * ROW).toString(16).padStart(8, '0')}</span>
                <span class="hbs">{cells}</span>
                <span class="has">{chars}</span>
              </div>
            );
          }}
        />
        <div class="hex-fields">
          <h4>{t.t('Fields')}</h4>
          {u.fields.length ? (
            <VirtualList
              class="field-list"
              count={u.fields.length}
              rowHeight={24}
              role="list"
              label={t.t('Fields')}
              render={(i, style) => {
                const f = u.fields[i];
                const active = f === field;
                return (
                  <button
                    type="button"
                    key={i}
                    role="listitem"
                    class={`field-row${active ? ' active' : ''}`}
                    style={{ ...style, paddingLeft: `${8 + f.depth * 14}px` }}
                    onClick={() => s.integrity.setHexByte(f.start)}
                  >
                    <span class="fname">{fieldName(f, t)}</span>
                    <span class="fval mono">{f.value}</span>
                  </button>
                );
              }}
            />
          ) : (
            <p class="muted small">{t.t('No fields are named for this content.')}</p>
          )}
        </div>
      </div>
    </section>
  );
}
