// Every visible string is translated: each string the code passes to t()/tp() has a Portuguese entry with the
// same {placeholders}, the table has no leftovers, every term has both languages, and every issue code the engine
// raises on the fixtures has a title.
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { findStrings, sourceFiles } from './strings';
import { ptBR } from '../../web/i18n/pt-BR';
import { TERMS } from '../../web/i18n/terms';
import { i18n, langFromBrowser } from '../../web/i18n/i18n';
import { ROOT, FIXTURES } from '../helpers';
import { localCaseService, pickedFrom, wireInputs } from './helpers';
import { unwire } from '../../web/bridge/worker-handle';
import { caseIssues } from '../../web/features/integrity/issues';
import { issueCounts } from '../../web/ui/counts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  const found = findStrings(sourceFiles(path.join(ROOT, 'web')));

  it('finds the strings (and every call passes a literal)', () => {
    expect(found.dynamic).toEqual([]);
    expect(found.strings.length).toBeGreaterThan(200);
  });

  it('has a Brazilian Portuguese entry for every string, with the same placeholders, and no leftovers', () => {
    const missing = found.strings.filter((s) => !(s in ptBR));
    expect(missing).toEqual([]);
    const unused = Object.keys(ptBR).filter((k) => !found.strings.includes(k));
    expect(unused).toEqual([]);
    for (const [en, pt] of Object.entries(ptBR)) {
      expect(placeholders(pt), en).toEqual(placeholders(en));
      expect(pt.trim().length, en).toBeGreaterThan(0);
    }
  });

  it('has both languages for every term', () => {
    for (const [k, [en, pt]] of Object.entries(TERMS)) {
      expect(en.length, k).toBeGreaterThan(0);
      expect(pt.length, k).toBeGreaterThan(0);
      expect(placeholders(pt), k).toEqual(placeholders(en));
    }
  });

  it('fills placeholders with numbers formatted for the language, and picks plural forms', () => {
    expect(i18n('en').tp(1, '{n} file', '{n} files')).toBe('1 file');
    expect(i18n('en').tp(12345, '{n} file', '{n} files')).toBe('12,345 files');
    expect(i18n('pt-BR').tp(12345, '{n} file', '{n} files')).toBe('12.345 arquivos');
    expect(i18n('pt-BR').tp(1, '{n} file', '{n} files')).toBe('1 arquivo');
    expect(i18n('pt-BR').bytes(1536)).toBe('1,5 KiB');
    expect(i18n('pt-BR').term('verdict.restorable-with-loss')).toBe('Restaurável com perda');
    expect(i18n('en').term('no.such.term')).toBe('no.such.term');
    expect(issueCounts(i18n('en'), 1, 0, 1)).toBe('1 error, 0 warnings, 1 note');
    expect(issueCounts(i18n('en'), 2, 1, 4)).toBe('2 errors, 1 warning, 4 notes');
    expect(issueCounts(i18n('pt-BR'), 2, 1, 4)).toBe('2 erros, 1 aviso, 4 notas');
  });

  it('defaults to the browser language', () => {
    expect(langFromBrowser(['pt-BR', 'en'])).toBe('pt-BR');
    expect(langFromBrowser(['pt-PT'])).toBe('pt-BR');
    expect(langFromBrowser(['de-DE', 'en-GB'])).toBe('en');
    expect(langFromBrowser(['fr'])).toBe('en');
    expect(langFromBrowser(undefined)).toBe('en');
  });

  it('has a title for every issue code raised on the fixtures', async () => {
    const codes = new Set<string>();
    const dirs: string[] = [];
    const walk = (d: string) => {
      const names = readdirSync(d);
      if (names.some((n) => statSync(path.join(d, n)).isFile() && !/\.(md|txt|json)$|README/.test(n))) dirs.push(d);
      for (const n of names) if (statSync(path.join(d, n)).isDirectory()) walk(path.join(d, n));
    };
    walk(path.join(FIXTURES, 'sqlite'));
    if (existsSync(path.join(FIXTURES, 'ese'))) walk(path.join(FIXTURES, 'ese'));
    const cases = [pickedFrom(path.join(FIXTURES, 'demo')), ...dirs.map((d) => pickedFrom(d, /(PROVENANCE\.md|case\.json|README(\.md)?|expected[^/]*)$/).filter((f) => !f.path.includes('/')))];
    for (const files of cases) {
      if (!files.length) continue;
      const v = unwire(await localCaseService().inspect('inspect', wireInputs(files), { hash: false }));
      for (const i of caseIssues(v.report)) codes.add(i.code);
    }
    expect(codes.size).toBeGreaterThan(8);
    expect(codes.has('sqlite.wal.torn-frame')).toBe(true);
    const untitled = [...codes].filter((c) => !(`issue.${c}` in TERMS));
    expect(untitled).toEqual([]);
  });
});
