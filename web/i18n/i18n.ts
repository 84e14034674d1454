// Translation: English is the source language and the key (gettext style), Brazilian Portuguese is a table from
// English. `t('Drop files here')`, `t('{n} pages', { n })`, `tp(n, '{n} file', '{n} files')`. Format terms that
// come from data (issue codes, field names, page kinds, statuses) live in terms.ts as [English, Portuguese].
// test/web/i18n.test.ts checks that every string the code passes to t()/tp() has a Portuguese entry.

import { ptBR } from './pt-BR';
import { TERMS, type TermKey } from './terms';

export type Lang = 'en' | 'pt-BR';
export const LANGS: Lang[] = ['en', 'pt-BR'];

export type Params = Record<string, string | number>;

export interface I18n {
  lang: Lang;
  t(text: string, params?: Params): string;
  tp(n: number, one: string, other: string, params?: Params): string;
  /** A data term (issue code, field, kind…); falls back to the key itself when unknown. */
  term(key: string, params?: Params): string;
  num(n: number, opts?: Intl.NumberFormatOptions): string;
  bytes(n: number): string;
  date(ms: number | string | null | undefined): string;
}

export function langFromBrowser(langs: readonly string[] | undefined): Lang {
  for (const l of langs ?? []) {
    if (/^pt\b/i.test(l)) return 'pt-BR';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

const cache = new Map<Lang, I18n>();

export function i18n(lang: Lang): I18n {
  const hit = cache.get(lang);
  if (hit) return hit;
  const nf = new Intl.NumberFormat(lang);
  const fill = (s: string, p?: Params) =>
    p ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in p ? (typeof p[k] === 'number' ? nf.format(p[k] as number) : String(p[k])) : m)) : s;
  const tr = (s: string) => (lang === 'pt-BR' ? ptBR[s] ?? s : s);
  const plural = new Intl.PluralRules(lang);
  const df = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' });
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  const x: I18n = {
    lang,
    t: (s, p) => fill(tr(s), p),
    tp: (n, one, other, p) => fill(tr(plural.select(n) === 'one' ? one : other), { n, ...p }),
    term: (k, p) => {
      const e = TERMS[k as TermKey];
      return fill(e ? e[lang === 'pt-BR' ? 1 : 0] : k, p);
    },
    num: (n, o) => (o ? new Intl.NumberFormat(lang, o).format(n) : nf.format(n)),
    bytes: (n) => {
      if (n < 1024) return `${nf.format(n)} B`;
      let v = n / 1024;
      let i = 1;
      while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
      }
      return `${new Intl.NumberFormat(lang, { maximumFractionDigits: v < 10 ? 2 : 1 }).format(v)} ${units[i]}`;
    },
    date: (ms) => {
      if (ms === null || ms === undefined || ms === '') return '—';
      const d = new Date(ms);
      return Number.isNaN(d.getTime()) ? '—' : df.format(d);
    },
  };
  cache.set(lang, x);
  return x;
}
