// Sufficient contrast (WCAG 2 AA, 4.5:1 for text): the theme colours in web/styles.css, in both themes.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers';

const css = readFileSync(path.join(ROOT, 'web', 'styles.css'), 'utf8');

function theme(selector: string): Record<string, string> {
  const i = css.indexOf(selector);
  const block = css.slice(css.indexOf('{', i) + 1, css.indexOf('}', i));
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2]]));
}

function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
const ratio = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

describe('contrast', () => {
  for (const [name, sel] of [['dark', ":root[data-theme='dark']"], ['light', ":root[data-theme='light']"]] as const) {
    it(`${name} theme: text colours on their backgrounds reach 4.5:1`, () => {
      const t = theme(sel);
      const pairs: Array<[string, string]> = [
        ['text', 'bg'], ['text', 'panel'], ['text', 'panel-2'], ['text', 'panel-3'], ['muted', 'bg'], ['muted', 'panel'], ['muted', 'panel-2'],
        ['accent', 'panel'], ['ok', 'ok-bg'], ['warn', 'warn-bg'], ['err', 'err-bg'], ['text', 'accent-bg'], ['text', 'hl'], ['info', 'panel'],
        // ESE: generation chips, step actions, failing-page chips and the plan's error line (text on status backgrounds).
        ['text', 'ok-bg'], ['text', 'warn-bg'], ['text', 'err-bg'], ['info', 'accent-bg'],
      ];
      for (const [fg, bg] of pairs) {
        expect(t[fg], fg).toBeDefined();
        expect(t[bg], bg).toBeDefined();
        expect(ratio(t[fg], t[bg]), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    });
  }
});
