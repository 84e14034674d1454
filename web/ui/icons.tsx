// Small line icons (24×24, currentColor). Decorative: callers give the accessible name.
import type { JSX } from 'preact';

const paths: Record<string, JSX.Element> = {
  logo: <><path d="M5 3h10l4 4v14H5z" /><path d="M8 8h5M8 12h8M8 16h6" opacity=".5" /><path d="M15 3v4h4" /></>,
  start: <><path d="M12 16V4M7 9l5-5 5 5" /><path d="M4 15v4h16v-4" /></>,
  evidence: <><path d="M6 3h8l4 4v14H6z" /><path d="M9 12h6M9 16h6" /></>,
  integrity: <><path d="M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6z" /><path d="M8.5 12l2.5 2.5 4.5-5" /></>,
  timeline: <><path d="M3 12h18" /><circle cx="6" cy="12" r="2" /><circle cx="13" cy="12" r="2" /><path d="M19 9l2 3-2 3-2-3z" /></>,
  rebuild: <><path d="M4 12a8 8 0 0 1 14-5.3L20 9" /><path d="M20 4v5h-5" /><path d="M20 12a8 8 0 0 1-14 5.3L4 15" /><path d="M4 20v-5h5" /></>,
  browse: <><ellipse cx="12" cy="6" rx="7" ry="3" /><path d="M5 6v12c0 1.7 3.1 3 7 3s7-1.3 7-3V6" /><path d="M5 12c0 1.7 3.1 3 7 3s7-1.3 7-3" /></>,
  export: <><path d="M12 4v12M7 11l5 5 5-5" /><path d="M4 20h16" /></>,
  history: <><path d="M3 12a9 9 0 1 0 3-6.7L3 8" /><path d="M3 3v5h5" /><path d="M12 7v5l3 2" /></>,
  ok: <><circle cx="12" cy="12" r="9" /><path d="M8 12.5l2.5 2.5L16 9.5" /></>,
  warn: <><path d="M12 3l10 18H2z" /><path d="M12 10v4M12 17.5v.5" /></>,
  error: <><circle cx="12" cy="12" r="9" /><path d="M9 9l6 6M15 9l-6 6" /></>,
  info: <><circle cx="12" cy="12" r="9" /><path d="M12 11v6M12 7.5v.5" /></>,
  folder: <><path d="M3 6h6l2 2h10v11H3z" /></>,
  file: <><path d="M6 3h8l4 4v14H6z" /><path d="M14 3v4h4" /></>,
  play: <><path d="M7 4l13 8-13 8z" /></>,
  stop: <><rect x="6" y="6" width="12" height="12" rx="1" /></>,
  close: <><path d="M6 6l12 12M18 6L6 18" /></>,
  lock: <><rect x="5" y="11" width="14" height="10" rx="2" /><path d="M8 11V8a4 4 0 0 1 8 0v3" /></>,
  sun: <><circle cx="12" cy="12" r="4" /><path d="M12 2v2M12 20v2M2 12h2M20 12h2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" /></>,
  moon: <><path d="M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5z" /></>,
  chevronLeft: <><path d="M15 5l-7 7 7 7" /></>,
  chevronRight: <><path d="M9 5l7 7-7 7" /></>,
  mail: <><rect x="3" y="5" width="18" height="14" rx="2" /><path d="M3 7l9 6 9-6" /></>,
  table: <><rect x="3" y="4" width="18" height="16" rx="1" /><path d="M3 9h18M3 14h18M9 4v16" /></>,
  terminal: <><rect x="3" y="4" width="18" height="16" rx="2" /><path d="M7 9l3 3-3 3M12 15h5" /></>,
  copy: <><rect x="8" y="8" width="12" height="12" rx="2" /><path d="M16 8V4H4v12h4" /></>,
  trash: <><path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13" /></>,
};

export function Icon({ name, size = 18, class: cls }: { name: keyof typeof paths | string; size?: number; class?: string }) {
  return (
    <svg class={`icon ${cls ?? ''}`} width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
      {paths[name] ?? null}
    </svg>
  );
}
