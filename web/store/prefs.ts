// Preferences sub-store: language, theme, hashing, page-map colouring, and whether evidence bytes may be kept in
// this browser (off unless the user opts in). Persisted under the key `prefs`.
import { signal, type ReadonlySignal } from '@preact/signals';
import type { KV } from './kv';
import { LANGS, type Lang } from '../i18n/i18n';

export type Theme = 'system' | 'dark' | 'light';
export type MapColour = 'status' | 'type';

export interface PrefsData {
  lang: Lang;
  theme: Theme;
  hash: boolean;
  mapColour: MapColour;
  keepEvidence: boolean;
}

export interface PrefsStore {
  lang: ReadonlySignal<Lang>;
  theme: ReadonlySignal<Theme>;
  hash: ReadonlySignal<boolean>;
  mapColour: ReadonlySignal<MapColour>;
  keepEvidence: ReadonlySignal<boolean>;
  load(): Promise<void>;
  setLang(l: Lang): void;
  setTheme(t: Theme): void;
  setHash(on: boolean): void;
  setMapColour(c: MapColour): void;
  setKeepEvidence(on: boolean): void;
}

export function createPrefs(kv: KV, defaults: PrefsData): PrefsStore {
  const lang = signal(defaults.lang);
  const theme = signal(defaults.theme);
  const hash = signal(defaults.hash);
  const mapColour = signal(defaults.mapColour);
  const keepEvidence = signal(defaults.keepEvidence);
  const save = () =>
    void kv.set('prefs', { lang: lang.value, theme: theme.value, hash: hash.value, mapColour: mapColour.value, keepEvidence: keepEvidence.value } satisfies PrefsData).catch(() => undefined);
  return {
    lang, theme, hash, mapColour, keepEvidence,
    async load() {
      const p = await kv.get<Partial<PrefsData>>('prefs').catch(() => undefined);
      if (!p) return;
      if (p.lang && LANGS.includes(p.lang)) lang.value = p.lang;
      if (p.theme === 'system' || p.theme === 'dark' || p.theme === 'light') theme.value = p.theme;
      if (typeof p.hash === 'boolean') hash.value = p.hash;
      if (p.mapColour === 'status' || p.mapColour === 'type') mapColour.value = p.mapColour;
      if (typeof p.keepEvidence === 'boolean') keepEvidence.value = p.keepEvidence;
    },
    setLang(l) { lang.value = l; save(); },
    setTheme(t) { theme.value = t; save(); },
    setHash(on) { hash.value = on; save(); },
    setMapColour(c) { mapColour.value = c; save(); },
    setKeepEvidence(on) { keepEvidence.value = on; save(); },
  };
}
