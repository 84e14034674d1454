// Shared small components: verdict badge, progress bar with cancel, empty states, error boxes, copyable hashes.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Icon } from './icons';
import { useT } from '../store/store';
import type { AppError } from '../store/clients';
import type { Progress as ProgressEvent } from '../../workers/hosts/case-api';

const VERDICT_ICON: Record<string, string> = { restorable: 'ok', 'restorable-with-loss': 'warn', 'not-restorable': 'error' };

export function VerdictBadge({ verdict, testid, large }: { verdict: string; testid?: string; large?: boolean }) {
  const t = useT();
  return (
    <span class={`verdict verdict-${verdict}${large ? ' verdict-large' : ''}`}>
      <Icon name={VERDICT_ICON[verdict] ?? 'info'} size={large ? 22 : 16} />
      <span class="verdict-label">{t.term(`verdict.${verdict}`)}</span>
      <code class="verdict-code" data-testid={testid}>{verdict}</code>
    </span>
  );
}

export function ProgressBar({ progress, label, onCancel }: { progress: ProgressEvent | null; label?: string; onCancel?: () => void }) {
  const t = useT();
  const frac = progress && progress.total > 0 ? Math.min(1, progress.done / progress.total) : null;
  const what = label ?? (progress ? t.term(`phase.${progress.phase}`) : '');
  const amount = progress && progress.phase !== 'open' && progress.total > 0 ? `${t.bytes(progress.done)} / ${t.bytes(progress.total)}` : progress ? `${t.num(progress.done)} / ${t.num(progress.total)}` : '';
  return (
    <div class="progress" role="group" aria-label={what}>
      <div class="progress-text">
        <span class="progress-what">{what}</span>
        {progress?.file ? <span class="progress-file mono" title={progress.file}>{progress.file}</span> : null}
        <span class="progress-amount">{amount}{frac !== null ? ` · ${Math.floor(frac * 100)}%` : ''}</span>
      </div>
      <div class="progress-track" role="progressbar" aria-label={what} aria-valuemin={0} aria-valuemax={100} aria-valuenow={frac === null ? undefined : Math.floor(frac * 100)}>
        {/* Scaled, not resized: a transform animates on the compositor, while animating width would lay the page out
            again every frame on the main thread, the thread that also feeds the workers' File reads. */}
        <div class={`progress-fill${frac === null ? ' indeterminate' : ''}`} style={frac === null ? undefined : { transform: `scaleX(${frac})` }} />
      </div>
      {onCancel ? (
        <button type="button" class="btn btn-small" onClick={onCancel}>
          <Icon name="stop" size={14} /> {t.t('Cancel')}
        </button>
      ) : null}
    </div>
  );
}

export function ErrorBox({ error, title }: { error: AppError; title?: string }) {
  const t = useT();
  return (
    <div class="errorbox" role="alert">
      <Icon name="error" />
      <div>
        <strong>{title ?? t.term(`error.${error.code}`)}</strong>
        <p class="detail">{error.message}</p>
      </div>
    </div>
  );
}

export function Empty({ icon, title, children }: { icon?: string; title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      {icon ? <Icon name={icon} size={28} /> : null}
      <h2>{title}</h2>
      {children ? <div class="empty-body">{children}</div> : null}
    </div>
  );
}

/** Shortens a long name in the middle, keeping its end (where journal-folder names differ). */
export function midEllipsis(s: string, max: number): string {
  if (s.length <= max) return s;
  const tail = Math.ceil((max - 1) * 0.7);
  return `${s.slice(0, max - 1 - tail)}…${s.slice(s.length - tail)}`;
}

export function Hash({ value, full }: { value: string | null; full?: boolean }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  if (!value) return <span class="muted">{t.t('not computed')}</span>;
  return (
    <span class="hash">
      <code title={value} class={full ? 'hash-full' : ''}>{full ? value : `${value.slice(0, 16)}…${value.slice(-8)}`}</code>
      <button
        type="button"
        class="btn-icon"
        aria-label={t.t('Copy SHA-256')}
        title={t.t('Copy SHA-256')}
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }, () => undefined);
        }}
      >
        <Icon name={copied ? 'ok' : 'copy'} size={14} />
      </button>
    </span>
  );
}

export function SeverityIcon({ severity }: { severity: string }) {
  const t = useT();
  return (
    <span class={`sev sev-${severity}`} title={t.term(`severity.${severity}`)}>
      <Icon name={severity === 'error' ? 'error' : severity === 'warning' ? 'warn' : 'info'} size={15} />
      <span class="sr-only">{t.term(`severity.${severity}`)}</span>
    </span>
  );
}
