// Finds the English strings the web app passes to t() and tp() (the keys of the Portuguese table).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) {
      if (n !== 'build' && n !== 'i18n') out.push(...sourceFiles(p));
    } else if (/\.(ts|tsx)$/.test(n) && !n.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** String literal at s[i] ('…' or "…"), or null. */
function literal(s: string, i: number): { value: string; end: number } | null {
  const q = s[i];
  if (q !== "'" && q !== '"') return null;
  let v = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') {
      v += s[j + 1];
      j++;
    } else if (c === q) return { value: v, end: j + 1 };
    else if (c === '\n') return null;
    else v += c;
  }
  return null;
}

export interface Found {
  strings: string[];
  /** Calls whose text argument is not a literal (they cannot be checked). */
  dynamic: string[];
}

export function findStrings(files: string[]): Found {
  const strings = new Set<string>();
  const dynamic: string[] = [];
  const call = /(?:\bt|\.value)\.(t|tp)\(/g;
  for (const f of files) {
    const s = readFileSync(f, 'utf8');
    for (const m of s.matchAll(call)) {
      let i = m.index! + m[0].length;
      const skipWs = () => {
        while (/\s/.test(s[i])) i++;
      };
      skipWs();
      if (m[1] === 'tp') {
        // tp(n, one, other, …): skip the first argument (up to the first top-level comma).
        let depth = 0;
        for (; i < s.length; i++) {
          const c = s[i];
          if (c === '(' || c === '[' || c === '{') depth++;
          else if (c === ')' || c === ']' || c === '}') depth--;
          else if (c === ',' && depth === 0) break;
        }
        i++;
        for (let k = 0; k < 2; k++) {
          skipWs();
          const l = literal(s, i);
          if (!l) {
            dynamic.push(`${path.basename(f)}: ${s.slice(m.index!, m.index! + 60)}`);
            break;
          }
          strings.add(l.value);
          i = l.end;
          skipWs();
          if (s[i] === ',') i++;
        }
      } else {
        const l = literal(s, i);
        if (l) strings.add(l.value);
        else dynamic.push(`${path.basename(f)}: ${s.slice(m.index!, m.index! + 60)}`);
      }
    }
  }
  return { strings: [...strings].sort(), dynamic };
}
