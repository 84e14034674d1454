// UI sub-store: which view is shown, and short notices (read out by a polite live region).
import { signal, type ReadonlySignal } from '@preact/signals';

export const TABS = ['start', 'evidence', 'integrity', 'timeline', 'rebuild', 'browse', 'export', 'history'] as const;
export type Tab = (typeof TABS)[number];

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export interface UiStore {
  tab: ReadonlySignal<Tab>;
  notices: ReadonlySignal<Notice[]>;
  show(tab: Tab): void;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

export function createUi(initial: Tab = 'start'): UiStore {
  const tab = signal<Tab>(initial);
  const notices = signal<Notice[]>([]);
  let next = 1;
  return {
    tab, notices,
    show(t) {
      tab.value = t;
    },
    notify(kind, text) {
      const n = { id: next++, kind, text };
      notices.value = [...notices.value.slice(-3), n];
      if (kind === 'info') setTimeout(() => (notices.value = notices.value.filter((x) => x !== n)), 6000);
    },
    dismiss(id) {
      notices.value = notices.value.filter((n) => n.id !== id);
    },
  };
}
