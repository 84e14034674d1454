// The CLI contract outside scripts rely on: usage errors exit 2 with a message, evidence is never an output, text
// and --json agree, and an empty or unknown input is "nothing usable".
import { describe, it, expect } from 'vitest';
import { writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { cli, tempDir, FIXTURES } from '../helpers';

const PLASO = path.join(FIXTURES, 'sqlite/plaso');

describe('CLI contract', () => {
  it('usage errors exit 2', () => {
    expect(cli([]).code).toBe(2);
    expect(cli(['frobnicate', PLASO]).code).toBe(2);
    expect(cli(['verify']).code).toBe(2);
    expect(cli(['rebuild', PLASO]).stderr).toMatch(/--out/);
    expect(cli(['rebuild', PLASO, '--out', '/tmp/x.db', '--until', 'yesterday']).code).toBe(2);
    expect(cli(['verify', '/nonexistent/path']).code).toBe(2);
    expect(cli(['verify', PLASO, '--workers', '0']).code).toBe(2);
  });

  it('--help prints the usage and exits 0', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/palimpsest verify PATH/);
  });

  it('refuses to write the output over an input', () => {
    const t = tempDir();
    try {
      const db = path.join(t.dir, 'wal_database.db');
      copyFileSync(path.join(PLASO, 'wal_database.db'), db);
      copyFileSync(path.join(PLASO, 'wal_database.db-wal'), db + '-wal');
      const before = createHash('sha256').update(readFileSync(db)).digest('hex');
      const r = cli(['rebuild', t.dir, '--out', db]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/never overwritten/);
      expect(createHash('sha256').update(readFileSync(db)).digest('hex')).toBe(before);
    } finally {
      t.cleanup();
    }
  });

  it('files that are neither SQLite nor ESE are nothing usable (exit 2), and are listed as unknown', () => {
    const t = tempDir();
    try {
      writeFileSync(path.join(t.dir, 'notes.txt'), 'not a database\n');
      const r = cli(['verify', t.dir, '--json']);
      expect(r.code).toBe(2);
      expect(r.json.verdict).toBe('not-restorable');
      expect(r.json.files[0].kind).toBe('unknown');
    } finally {
      t.cleanup();
    }
  });

  it('text and --json tell the same verdict and hashes', () => {
    const j = cli(['verify', PLASO, '--json']);
    const t = cli(['verify', PLASO]);
    expect(j.code).toBe(t.code);
    expect(t.stdout).toMatch(/Verdict: RESTORABLE/);
    for (const f of j.json.files) expect(t.stdout).toContain(f.sha256);
  });
});
