// "1 error, 3 warnings, 1 note": issue counts with each noun in its plural form for the language.
import type { I18n } from '../i18n/i18n';

export function issueCounts(t: I18n, errors: number, warnings: number, notes: number): string {
  return [t.tp(errors, '{n} error', '{n} errors'), t.tp(warnings, '{n} warning', '{n} warnings'), t.tp(notes, '{n} note', '{n} notes')].join(', ');
}
