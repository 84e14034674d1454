// The built-in demo case: the files of test/fixtures/demo/ (a journal folder made by real SQLite; see its
// PROVENANCE.md), embedded in the bundle so the demo works offline and in the single-file build. This module is
// loaded on demand (its own chunk in the static site).

const files = import.meta.glob('../../test/fixtures/demo/**/*', { query: '?bytes', import: 'default', eager: true }) as Record<string, Uint8Array>;

/** Shown modification time of the demo files (the generator's workload clock, 2025-03-01). */
const DEMO_TIME = Date.UTC(2025, 2, 1, 12, 0, 0);

export interface DemoFile {
  path: string;
  bytes: Uint8Array;
}

/** Evidence files only (not the fixture's notes), with paths relative to the case folder. */
export function demoFiles(): DemoFile[] {
  const out: DemoFile[] = [];
  for (const [k, bytes] of Object.entries(files)) {
    const rel = k.replace(/^.*\/test\/fixtures\/demo\//, '');
    if (/(^|\/)(PROVENANCE\.md|README\.md|case\.json|expected[^/]*)$/i.test(rel) || /\.(md|json|txt)$/i.test(rel)) continue;
    out.push({ path: rel.replace(/^(.*\/)?inputs\//, ''), bytes });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export function demoAsFiles(): Array<{ file: File; path: string }> {
  return demoFiles().map((d) => ({ path: d.path, file: new File([d.bytes as BlobPart], d.path.split('/').pop()!, { lastModified: DEMO_TIME }) }));
}
