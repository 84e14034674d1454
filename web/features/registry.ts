// Per-kind detail panels for the Integrity view. A file kind (SQLite here; ESE from its own feature) registers
// panels that show what is special about its files; the view shows every panel whose `kinds` match the file.
// Case panels show what spans files (ESE log sets, restore plans, eseutil text) when `when(view)` holds.
import type { ComponentType } from 'preact';
import type { FileReport, VerifyReport } from '../../workers/engine/report/report';
import type { CaseView } from '../../workers/hosts/case-api';
import type { I18n } from '../i18n/i18n';

export interface KindPanelProps {
  file: FileReport;
  index: number;
  report: VerifyReport;
  view: CaseView;
}

export interface KindPanel {
  id: string;
  kinds: string[];
  title: (t: I18n) => string;
  component: ComponentType<KindPanelProps>;
}

const panels: KindPanel[] = [];

export function registerKindPanel(p: KindPanel): void {
  if (!panels.some((x) => x.id === p.id)) panels.push(p);
}

export function panelsFor(kind: string): KindPanel[] {
  return panels.filter((p) => p.kinds.includes(kind));
}

export interface CasePanelProps {
  view: CaseView;
}

export interface CasePanel {
  id: string;
  title: (t: I18n) => string;
  when: (view: CaseView) => boolean;
  /** Shown expanded at first (default true). */
  open?: boolean;
  component: ComponentType<CasePanelProps>;
}

const casePanels: CasePanel[] = [];

export function registerCasePanel(p: CasePanel): void {
  if (!casePanels.some((x) => x.id === p.id)) casePanels.push(p);
}

export function casePanelsFor(view: CaseView): CasePanel[] {
  return casePanels.filter((p) => p.when(view));
}
