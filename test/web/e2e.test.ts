// End to end in Debian Chromium (playwright-core), over both builds: the static site served on 127.0.0.1 and the
// single palimpsest.html opened from file://. Load the demo case and a case written by real SQLite, see the
// verdicts, rebuild, browse, run a query, download the database and check it with sqlite3 and SQLite's own
// recovery (case.json), switch language, reload and find the case in the history; a case worker that crashes
// mid-rebuild fails only that rebuild. Every request is recorded: none
// may leave the page. Screenshots go to test-results/web/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import http from 'node:http';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { ROOT, FIXTURES, tempDir, cli } from '../helpers';
import { shortChecksum } from '../../workers/engine/formats/ese/checksum';

const DIST = path.join(ROOT, 'dist', 'web');
const SHOTS = path.join(ROOT, 'test-results', 'web');
const DEMO_CASE = JSON.parse(readFileSync(path.join(FIXTURES, 'demo', 'case.json'), 'utf8'));
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

export function serve(dir: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const srv = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const p = path.join(dir, rel === '/' ? 'index.html' : rel);
    if (!p.startsWith(dir) || !existsSync(p)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(p)] ?? 'application/octet-stream' });
    res.end(readFileSync(p));
  });
  return new Promise((ok) =>
    srv.listen(0, '127.0.0.1', () => ok({ origin: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, close: () => new Promise((r) => srv.close(() => r())) })),
  );
}

const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

function oracle(db: string): { integrity_check: string; logical_sha256: string; tables: Record<string, { count: number }> } {
  const r = spawnSync('python3', [path.join(ROOT, 'test/generators/oracle.py'), 'describe', db], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

function sqlite3(db: string, sql: string): string {
  const r = spawnSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

interface Build {
  name: 'served' | 'file';
  url: string;
  /** Where requests may go: the page's own files (and blob: URLs of its workers and downloads). */
  allowed: (u: string) => boolean;
  generated: string;
}

describe('web app in Chromium', () => {
  const tmp = tempDir('palimpsest-e2e-');
  let server: { origin: string; close: () => Promise<void> };
  let ctx: BrowserContext;
  const requests: Array<{ build: string; url: string }> = [];
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'index.html')) || !existsSync(path.join(DIST, 'palimpsest.html'))) {
      const b = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT, encoding: 'utf8' });
      expect(b.status, b.stderr).toBe(0);
    }
    mkdirSync(SHOTS, { recursive: true });
    // Two cases written by real SQLite for this run (the generator records what SQLite itself recovers).
    const g = spawnSync('python3', [path.join(ROOT, 'test/generators/make_sqlite_cases.py'), '--out', tmp.dir, '--only', 'bitflip-mid-wal,hot-journal'], { encoding: 'utf8' });
    expect(g.status, g.stderr + g.stdout).toBe(0);
    server = await serve(DIST);
    ctx = await chromium.launchPersistentContext(path.join(tmp.dir, 'profile'), {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1440, height: 900 },
      colorScheme: 'dark',
      locale: 'en-US',
    });
  });

  afterAll(async () => {
    await ctx?.close();
    await server?.close();
    tmp.cleanup();
  });

  const builds = (): Build[] => [
    { name: 'served', url: `${server.origin}/`, allowed: (u) => u.startsWith(server.origin + '/') || u.startsWith('blob:'), generated: 'bitflip-mid-wal' },
    { name: 'file', url: pathToFileURL(path.join(DIST, 'palimpsest.html')).href, allowed: (u) => u === pathToFileURL(path.join(DIST, 'palimpsest.html')).href || u.startsWith('blob:'), generated: 'hot-journal' },
  ];

  async function open(b: Build): Promise<Page> {
    const page = await ctx.newPage();
    page.on('request', (r) => requests.push({ build: b.name, url: r.url() }));
    page.on('pageerror', (e) => pageErrors.push(`${b.name}: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${b.name}: ${m.text()}`);
    });
    await page.goto(b.url);
    await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`)));
    return page;
  }

  const shot = (page: Page, b: Build, name: string) => page.screenshot({ path: path.join(SHOTS, `${b.name}-${name}.png`) });

  async function downloadDb(page: Page, b: Build, name: string): Promise<string> {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-db').click()]);
    expect(dl.suggestedFilename()).toBe('mailbox.db');
    const out = path.join(tmp.dir, `${b.name}-${name}-mailbox.db`);
    await dl.saveAs(out);
    return out;
  }

  for (const which of ['served', 'file'] as const) {
    it(`${which}: demo case — verdict, page map, hex, timeline, rebuild, download, browse, query`, async () => {
      const b = builds().find((x) => x.name === which)!;
      const page = await open(b);
      await expect.poll(() => page.title()).toBe('Palimpsest');
      const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
      expect(csp).toContain("connect-src 'none'");
      // The policy is in force: the page itself cannot open a connection.
      const blocked = await page.evaluate(async (u) => fetch(u).then(() => 'fetched', (e) => `blocked: ${e}`), server.origin + '/index.html');
      expect(blocked).toMatch(/^blocked/);
      await shot(page, b, '1-start');

      await page.getByTestId('demo-case').click();
      await expect.poll(() => page.getByTestId('verdict').textContent(), { timeout: 30_000 }).toBe('restorable');
      await page.locator('canvas').waitFor();
      await shot(page, b, '2-integrity');

      // Hex view of a page map cell, with the field under the cursor named.
      const box = (await page.locator('canvas').boundingBox())!;
      await page.mouse.click(box.x + 4, box.y + 4);
      await page.locator('.hex-row').first().waitFor();
      await page.locator('.hex-row').first().locator('.hb').nth(0).hover();
      await expect.poll(() => page.locator('.hex-status').textContent()).toMatch(/Header string/);
      await page.locator('.hex').scrollIntoViewIfNeeded();
      await shot(page, b, '3-hex');

      await page.getByTestId('nav-timeline').click();
      await page.locator('.tl-commit').first().waitFor();
      await page.evaluate(() => document.querySelector('main')!.scrollTo(0, 0));
      await shot(page, b, '4-timeline');

      await page.getByTestId('nav-rebuild').click();
      await page.getByTestId('rebuild').click();
      await expect.poll(() => page.getByTestId('integrity').textContent(), { timeout: 30_000 }).toBe('ok');
      await shot(page, b, '5-rebuild');
      const db = await downloadDb(page, b, 'demo');
      expect(sqlite3(db, 'PRAGMA integrity_check')).toBe('ok');
      // Byte for byte what SQLite's own checkpoint of the evidence writes, and the same rows as its recovery.
      expect(sha256(db)).toBe(DEMO_CASE.liveFilesExpected.checkpointed_db_sha256_rollback);
      expect(oracle(db).logical_sha256).toBe(DEMO_CASE.liveFilesExpected.logical_sha256);

      await page.getByTestId('nav-browse').click();
      await page.locator('.mail-item').first().waitFor();
      await page.locator('.mail-pane h2').waitFor();
      await shot(page, b, '6-browse-mail');
      // Recovered messages: the rebuilt database's free space and every WAL of the family searched, each message
      // compared with this state (the list itself is checked against real SQLite in recovered.test.ts).
      await page.getByTestId('show-recovered').click();
      await page.getByTestId('recover').click();
      const wals = DEMO_CASE.journalFolderCase.generations.length;
      await expect.poll(() => page.getByTestId('recovered-summary').textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^\\d+ recovered messages · ${wals + 1} of ${wals + 1} sources searched`));
      const n = Number(/^(\d+)/.exec((await page.getByTestId('recovered-summary').textContent())!)![1]);
      expect(n).toBeGreaterThan(0);
      expect(await page.getByTestId('show-recovered').textContent()).toMatch(new RegExp(`Recovered ${n}$`));
      await expect.poll(() => page.getByTestId('recovered-status').textContent()).toMatch(/^(deleted|other version)/);
      await shot(page, b, '6b-browse-recovered');
      // The download while they are shown is of them: one CSV row per recovered message (read by Python's csv).
      const [dr] = await Promise.all([page.waitForEvent('download'), page.getByTestId('recovered-csv').click()]);
      expect(dr.suggestedFilename()).toBe('messages.recovered.csv');
      const rows = spawnSync('python3', ['-c', 'import csv,sys\nr=list(csv.DictReader(open(sys.argv[1], newline="")))\nprint(len(r), len({x["status"] for x in r}), all(x["found_at"] for x in r))', await dr.path()], { encoding: 'utf8' });
      expect(rows.stdout.trim()).toBe(`${n} 2 True`);
      await page.getByRole('tab', { name: 'SQL console' }).click();
      await page.locator('#sql').fill('SELECT folder_id, count(*) AS n FROM messages GROUP BY folder_id ORDER BY folder_id');
      await page.getByTestId('run-sql').click();
      const want = sqlite3(db, 'SELECT count(*) FROM (SELECT folder_id FROM messages GROUP BY folder_id)');
      await expect.poll(() => page.getByTestId('query-status').textContent()).toMatch(new RegExp(`^${want} rows?`));
      await shot(page, b, '7-console');
      await page.close();
    });

    it(`${which}: a case written by real SQLite — verdict as the CLI says, rebuild equals SQLite's recovery`, async () => {
      const b = builds().find((x) => x.name === which)!;
      const dir = path.join(tmp.dir, b.generated, 'inputs');
      const expected = JSON.parse(readFileSync(path.join(tmp.dir, b.generated, 'case.json'), 'utf8')).expected;
      const cliVerdict = cli(['verify', dir, '--json', '--no-hash']).json.verdict;
      const page = await open(b);
      await page.getByTestId('file-input').setInputFiles(readdirSync(dir).map((n) => path.join(dir, n)));
      await expect.poll(() => page.getByTestId('verdict').textContent(), { timeout: 30_000 }).toBe(cliVerdict);
      await page.locator('canvas').waitFor();
      await shot(page, b, `8-${b.generated}`);
      // The SHA-256 of the evidence follow the verdict; the exported list is what sha256sum computes (`-c` checks it).
      await page.getByTestId('nav-evidence').click();
      await expect.poll(() => page.getByTestId('hash-status').getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export hash list (sha256sum)' }).click()]);
      const list = readFileSync(await dl.path(), 'utf8');
      expect(list.trim().split('\n').length).toBe(readdirSync(dir).length);
      const check = spawnSync('sha256sum', ['-c', '--strict', '-'], { cwd: dir, input: list, encoding: 'utf8' });
      expect(check.status).toBe(0);
      expect(check.stdout).toMatch(/^(\S+: OK\n)+$/);
      await shot(page, b, `8-${b.generated}-evidence`);
      await page.getByTestId('nav-rebuild').click();
      await page.getByTestId('rebuild').click();
      await expect.poll(() => page.getByTestId('integrity').textContent(), { timeout: 30_000 }).toBe('ok');
      const db = await downloadDb(page, b, b.generated);
      expect(sqlite3(db, 'PRAGMA integrity_check')).toBe('ok');
      const d = oracle(db);
      expect(d.logical_sha256).toBe(expected.logical_sha256);
      expect(d.tables).toEqual(expected.tables);
      // Deleted records in the rebuilt database: what `palimpsest deleted` finds in the downloaded file.
      const carved = cli(['deleted', db, '--json']).json as { files: Array<Record<string, unknown>> };
      await page.getByTestId('rebuilt-deleted').locator('summary').click();
      await page.getByTestId('rebuilt-deleted').getByTestId('carve').click();
      await page.getByTestId('rebuilt-deleted').getByTestId('deleted-summary').waitFor({ timeout: 30_000 });
      const [dj] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rebuilt-deleted').getByTestId('deleted-json').click()]);
      expect(dj.suggestedFilename()).toBe('rebuilt-mailbox.db.deleted.json');
      const inPage = JSON.parse(readFileSync(await dj.path(), 'utf8')) as { files: Array<Record<string, unknown>> };
      expect({ ...inPage.files[0], path: null }).toEqual({ ...carved.files[0], path: null });
      await page.close();
    });

    it(`${which}: deleted records of a mailbox.db written by real SQLite — the same rows as the CLI, found at the same bytes`, async () => {
      const b = builds().find((x) => x.name === which)!;
      const dir = path.join(tmp.dir, `deleted-${which}`);
      const g = spawnSync('python3', [path.join(ROOT, 'test/generators/make_deleted_case.py'), '--out', dir, '--seed', '11'], { encoding: 'utf8' });
      expect(g.status, g.stderr).toBe(0);
      const db = path.join(dir, 'mailbox.db');
      const fromCli = cli(['deleted', db, '--json']).json as { files: Array<Record<string, unknown>> };
      const page = await open(b);
      await page.getByTestId('file-input').setInputFiles([db]);
      await page.getByTestId('verdict').waitFor({ timeout: 30_000 });
      await page.getByTestId('nav-integrity').click();
      await page.getByTestId('carve').click();
      await page.getByTestId('deleted-summary').waitFor({ timeout: 30_000 });
      const n = (fromCli.files[0].records as Array<{ table: string }>).filter((r) => r.table !== 'sqlite_schema').length;
      expect(await page.getByTestId('deleted-summary').textContent()).toMatch(new RegExp(`^${n} deleted records`));
      await page.getByTestId('deleted-panel').scrollIntoViewIfNeeded();
      await shot(page, b, '22-deleted-records');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('deleted-json').click()]);
      expect(dl.suggestedFilename()).toBe('mailbox.db.deleted.json');
      const fromPage = JSON.parse(readFileSync(await dl.path(), 'utf8')) as { files: Array<Record<string, unknown>> };
      expect({ ...fromPage.files[0], path: null }).toEqual({ ...fromCli.files[0], path: null });
      // A record's "found at" opens its page in the hex view at its first byte.
      await page.locator('[data-testid=deleted-table] button').first().click();
      await page.locator('section.hex').waitFor();
      await shot(page, b, '22-deleted-hex');
      // The same database in WAL mode: the WAL's frames hold rows the latest state does not (K9), as the CLI lists them.
      const wdir = path.join(tmp.dir, `deleted-wal-${which}`);
      const gw = spawnSync('python3', [path.join(ROOT, 'test/generators/make_deleted_case.py'), '--out', wdir, '--seed', '11', '--wal'], { encoding: 'utf8' });
      expect(gw.status, gw.stderr).toBe(0);
      const walCli = (cli(['deleted', path.join(wdir, 'mailbox.db'), path.join(wdir, 'mailbox.db-wal'), '--json']).json as { files: Array<Record<string, unknown>> }).files.find((f) => f.frames)!;
      await page.getByTestId('nav-start').click();
      await page.getByTestId('file-input').setInputFiles([path.join(wdir, 'mailbox.db'), path.join(wdir, 'mailbox.db-wal')]);
      await page.getByTestId('verdict').waitFor({ timeout: 30_000 });
      await page.getByTestId('nav-integrity').click();
      await page.locator('.file-btn', { hasText: 'mailbox.db-wal' }).click();
      await page.getByTestId('carve').click();
      await page.getByTestId('deleted-summary').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('deleted-summary').textContent()).toMatch(/rows the latest state does not hold/);
      await page.getByTestId('deleted-panel').scrollIntoViewIfNeeded();
      await shot(page, b, '23-wal-rows');
      const [dw] = await Promise.all([page.waitForEvent('download'), page.getByTestId('deleted-json').click()]);
      const walPage = JSON.parse(readFileSync(await dw.path(), 'utf8')) as { files: Array<Record<string, unknown>> };
      expect({ ...walPage.files[0], path: null }).toEqual({ ...walCli, path: null });
      await page.close();
    });

    it(`${which}: switches language, and after a reload finds the cases in the history`, async () => {
      const b = builds().find((x) => x.name === which)!;
      const page = await open(b);
      try {
        await page.getByTestId('language').selectOption('pt-BR');
        await expect.poll(() => page.getByTestId('nav-evidence').textContent()).toContain('Evidências');
        // <html lang> follows in an effect after the render.
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('pt-BR');
        // The choice is saved in IndexedDB asynchronously: reload once it is there (on a busy machine it can lag).
        const savedLang = () =>
          page.evaluate(() => new Promise<string | null>((res) => {
            const r = indexedDB.open('palimpsest');
            r.onerror = () => res(null);
            r.onsuccess = () => {
              try {
                const g = r.result.transaction('kv', 'readonly').objectStore('kv').get('prefs');
                g.onsuccess = () => res((g.result as { lang?: string } | undefined)?.lang ?? null);
                g.onerror = () => res(null);
              } catch {
                res(null);
              }
            };
          }));
        await expect.poll(savedLang, { timeout: 10_000 }).toBe('pt-BR');
        await page.reload();
        await expect.poll(() => page.getByTestId('nav-history').textContent()).toContain('Histórico');
        await page.getByTestId('nav-history').click();
        const list = page.getByTestId('history-list');
        await expect.poll(() => list.textContent()).toContain('Caso de demonstração');
        expect(await list.textContent()).toContain('mailbox.db +1');
        await shot(page, b, '9-history-pt-BR');
      } finally {
        // Back to English for the next tests (the preference is stored in this browser profile), even on failure.
        await page.getByTestId('language').selectOption('en');
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
        // Stored, not only shown: a reload reads the preference back.
        await expect.poll(async () => {
          await page.reload();
          return page.getByTestId('nav-evidence').textContent();
        }, { timeout: 10_000 }).toContain('Evidence');
        await page.close();
      }
    });
  }

  // The real SRUM folder (database, logs, checkpoint, flush map, reserve logs), as the CLI sees it from its folder.
  const SRUM = path.join(FIXTURES, 'ese', 'srum-rathbun');
  const srumFiles = () => readdirSync(SRUM).filter((n) => n !== 'PROVENANCE.md').sort();

  for (const which of ['served', 'file'] as const) {
    it(`${which}: ESE case — verdict, page map, hex, eseutil text, plan checklist, open as SQLite, browse, query, download`, async () => {
      const b = builds().find((x) => x.name === which)!;
      const page = await open(b);
      const names = srumFiles();
      const cliVerdict = cli(['verify', ...names, '--json', '--no-hash'], { cwd: SRUM }).json.verdict;
      await page.getByTestId('file-input').setInputFiles(names.map((n) => path.join(SRUM, n)));
      await expect.poll(() => page.getByTestId('verdict').textContent(), { timeout: 30_000 }).toBe(cliVerdict);
      expect(cliVerdict).toBe('restorable');
      // The plan checklist: the engine's verdict and steps; a step ticked from the keyboard.
      const plan = page.getByTestId('ese-plan');
      await expect.poll(() => plan.getByTestId('ese-plan-verdict').textContent()).toBe('Point-in-time restore ready');
      const boxes = plan.locator('input[type="checkbox"]');
      expect(await boxes.count()).toBe(4);
      await boxes.nth(0).focus();
      await page.keyboard.press('Space');
      await expect.poll(() => plan.textContent()).toContain('1 of 4 done');
      await shot(page, b, '10-ese-plan');

      // The page map of SRUDB.dat (opened first): hover names the page and its status; a click opens it in hex.
      const canvas = page.locator('canvas');
      await canvas.scrollIntoViewIfNeeded();
      const box = (await canvas.boundingBox())!;
      await page.mouse.move(box.x + 4, box.y + 4);
      await expect.poll(() => page.locator('.tooltip').textContent()).toMatch(/^page -1 · Database header page · OK/);
      await shot(page, b, '11-ese-pagemap');
      await page.mouse.click(box.x + 4, box.y + 4);
      await page.locator('.hex-row').first().waitFor();
      await page.locator('.hex-row').first().locator('.hb').nth(4).hover();
      await expect.poll(() => page.locator('.hex-status').textContent()).toMatch(/Magic \(0x89ABCDEF\) = 0x89abcdef/);
      await page.locator('.hex').scrollIntoViewIfNeeded();
      await shot(page, b, '12-ese-hex');

      // The eseutil view: the CLI's `verify --format eseutil` text (run from the folder, so paths agree), except the
      // closing line's elapsed time.
      await page.getByTestId('case-panel-ese-eseutil').locator('summary').click();
      const text = (await page.getByTestId('eseutil-text').textContent())!;
      const cliText = cli(['verify', ...names, '--format', 'eseutil', '--no-hash'], { cwd: SRUM }).stdout.trimEnd();
      const body = (x: string) => x.split('\n').slice(0, -1).join('\n');
      expect(text.split('\n').at(-1)).toMatch(/^Operation completed successfully in [\d.]+ seconds\.$/);
      expect(body(text)).toBe(body(cliText));
      expect(text).toContain('192 pages seen');
      await page.getByTestId('eseutil-text').scrollIntoViewIfNeeded();
      await shot(page, b, '13-ese-eseutil');

      // Open as SQLite: the engine's export in the sql worker, then Browse, the console and the download. The served
      // build also recovers the deleted records (FORMAT.md E8), as `export --deleted` does.
      const withDeleted = which === 'served';
      if (withDeleted) await page.getByTestId('ese-recover-deleted-panel').check();
      await page.getByTestId('ese-open-sqlite').click();
      await expect.poll(() => page.getByTestId('ese-integrity').textContent(), { timeout: 60_000 }).toBe('ok');
      await shot(page, b, '14-ese-sqlite');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-sqlite').click()]);
      expect(dl.suggestedFilename()).toBe('SRUDB.sqlite');
      const mine = path.join(tmp.dir, `${b.name}-SRUDB.sqlite`);
      await dl.saveAs(mine);
      expect(sqlite3(mine, 'PRAGMA integrity_check')).toBe('ok');
      const theirs = path.join(tmp.dir, `${b.name}-cli-SRUDB.sqlite`);
      const exp = cli(['export', 'SRUDB.dat', '--out', theirs, '--json', ...(withDeleted ? ['--deleted'] : [])], { cwd: SRUM });
      expect(exp.code, exp.stderr).toBe(0);
      const tables = (db: string) => sqlite3(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").split('\n');
      expect(tables(mine)).toEqual(tables(theirs));
      for (const t of tables(theirs)) {
        const q = `SELECT count(*) FROM "${t.replace(/"/g, '""')}"`;
        expect(sqlite3(mine, q), t).toBe(sqlite3(theirs, q));
      }
      expect(exp.json.tables.find((x: any) => x.name === 'SruDbIdMapTable').rows).toBe(288);
      expect(tables(mine).includes('MSysObjects__deleted')).toBe(withDeleted);
      if (withDeleted) expect(sqlite3(mine, 'SELECT count(*) FROM MSysObjects__deleted')).toBe('20');
      expect(await page.getByTestId('ese-result').textContent()).toContain(withDeleted ? '41 deleted records recovered' : '41 deleted records not recovered');

      await page.getByTestId('ese-browse').click();
      await page.locator('.tbl-btn', { hasText: 'SruDbIdMapTable' }).click();
      await expect.poll(() => page.locator('.table-bar').textContent()).toContain('288 rows');
      await page.locator('.dt-row').first().waitFor();
      await shot(page, b, '15-ese-browse');
      await page.getByRole('tab', { name: 'SQL console' }).click();
      await page.locator('#sql').fill('SELECT source_table, count(*) AS n FROM _palimpsest_provenance GROUP BY source_table ORDER BY source_table');
      await page.getByTestId('run-sql').click();
      const want = sqlite3(mine, 'SELECT count(DISTINCT source_table) FROM _palimpsest_provenance');
      await expect.poll(() => page.getByTestId('query-status').textContent()).toMatch(new RegExp(`^${want} rows?`));
      await shot(page, b, '16-ese-console');

      // The case report names the exported database with the SHA-256 of the very bytes downloaded, and carries the
      // restore plan as the CLI makes it.
      await page.getByTestId('nav-export').click();
      const [rj] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-json').click()]);
      const repJson = JSON.parse(readFileSync(await rj.path(), 'utf8'));
      expect(repJson.eseExport.output).toEqual({ name: 'SRUDB.sqlite', bytes: readFileSync(mine).length, sha256: sha256(mine) });
      expect(repJson.eseExport.tables.find((x: { name: string }) => x.name === 'SruDbIdMapTable').rows).toBe(288);
      const cliPlan = cli(['verify', ...names, '--json', '--no-hash'], { cwd: SRUM }).json.esePlan;
      expect(repJson.esePlans.map((p: { verdict: string; steps: unknown[] }) => [p.verdict, p.steps])).toEqual(cliPlan.map((p: { verdict: string; steps: unknown[] }) => [p.verdict, p.steps]));
      const [rh] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-html').click()]);
      const html = readFileSync(await rh.path(), 'utf8');
      expect(html).toContain(sha256(mine));
      expect(html).toContain('Point-in-time restore ready');
      writeFileSync(path.join(SHOTS, `${b.name}-ese-report.html`), html);

      if (which === 'served') {
        // A broken chain: Last Consistent at generation 5, log 6 and the checkpoint gone. Not ready; the missing
        // generation and the error recovery would end in are shown.
        const dir = path.join(tmp.dir, 'srum-broken');
        mkdirSync(dir, { recursive: true });
        for (const n of names) if (n !== 'SRU.chk' && n !== 'SRU00006.log') copyFileSync(path.join(SRUM, n), path.join(dir, n));
        const db = new Uint8Array(readFileSync(path.join(dir, 'SRUDB.dat')));
        const dv = new DataView(db.buffer);
        for (const c of [0, 4096]) {
          dv.setInt32(c + 60, 5, true);
          dv.setUint32(c, shortChecksum(db, c, 4096), true);
        }
        writeFileSync(path.join(dir, 'SRUDB.dat'), db);
        const brokenVerdict = cli(['verify', dir, '--json', '--no-hash']).json.verdict;
        await page.getByTestId('nav-start').click();
        await page.getByTestId('file-input').setInputFiles(readdirSync(dir).map((n) => path.join(dir, n)));
        await expect.poll(() => page.getByTestId('verdict').textContent(), { timeout: 30_000 }).toBe(brokenVerdict);
        expect(brokenVerdict).toBe('restorable-with-loss');
        await expect.poll(() => page.getByTestId('ese-expected-error').textContent()).toContain('-1216 (JET_errAttachedDatabaseMismatch)');
        expect(await page.getByTestId('ese-plan-missing').textContent()).toContain('0x6');
        expect(await page.getByTestId('ese-missing').textContent()).toContain('SRU00006.log');
        await page.evaluate(() => document.querySelector('main')!.scrollTo(0, 0));
        await shot(page, b, '17-ese-not-ready');
        unlinkSync(path.join(dir, 'SRUDB.dat'));
      }
      await page.close();
    });
  }

  // The rarer real ESE files: a Windows 11 database with 16 KiB pages and legacy (7.3704) logs with LRCHECKSUM
  // records. The page must say what the CLI says, line for line.
  for (const which of ['served', 'file'] as const) {
    it(`${which}: 16 KiB pages and legacy logs — same verdict and eseutil text as the CLI, page and sector maps`, async () => {
      const b = builds().find((x) => x.name === which)!;
      const t = tempDir();
      try {
        const src: Array<[string, string]> = [['go-ese/qmgr.db.gz', 'qmgr.db'], ['legacy-windows-mail/edb.log.gz', 'edb.log'], ['legacy-windows-mail/edb00001.log.gz', 'edb00001.log']];
        for (const [from, to] of src) writeFileSync(path.join(t.dir, to), gunzipSync(readFileSync(path.join(FIXTURES, 'ese', from))));
        const names = src.map(([, to]) => to).sort();
        const page = await open(b);
        const cliVerdict = cli(['verify', ...names, '--json', '--no-hash'], { cwd: t.dir }).json.verdict;
        await page.getByTestId('file-input').setInputFiles(names.map((n) => path.join(t.dir, n)));
        await expect.poll(() => page.getByTestId('verdict').textContent(), { timeout: 30_000 }).toBe(cliVerdict);
        await page.getByTestId('case-panel-ese-eseutil').locator('summary').click();
        const text = (await page.getByTestId('eseutil-text').textContent())!;
        const cliText = cli(['verify', ...names, '--format', 'eseutil', '--no-hash'], { cwd: t.dir }).stdout.trimEnd();
        const body = (x: string) => x.split('\n').slice(0, -1).join('\n');
        expect(body(text)).toBe(body(cliText));
        expect(text).toContain('cbDbPage: 16384');
        expect(text).toContain('LRCHECKSUM records (legacy format): 6 verified; shadow sector: valid');
        await page.locator('.file-btn', { hasText: 'qmgr.db' }).click();
        await expect.poll(() => page.locator('.file-detail').textContent()).toContain('80 pages');
        await shot(page, b, '20-ese-16k-pages');
        await page.locator('.file-btn', { hasText: /^edb\.log/ }).click();
        await expect.poll(() => page.locator('.file-detail').textContent()).toContain('6 verified, 0 bad; shadow sector: valid');
        // After the data, ESE's fill pattern (L17): its own colour and legend in the sector map.
        const detail = (await page.locator('.file-detail').textContent())!;
        expect(detail).toMatch(/4,?019 sectors of ESE's fill pattern/);
        expect(detail).toContain("Unused (ESE's fill pattern)");
        await shot(page, b, '21-ese-legacy-log');
        await page.close();
      } finally {
        t.cleanup();
      }
    });
  }

  // A worker that crashes while it holds a job. What the page sees of a crashed Web Worker is: its messages go
  // unanswered, it is gone, and an `error` event fires on the Worker object. The test wraps the page's Worker class
  // (before the app loads) so that, on request, the case worker's next message is swallowed, the worker is
  // terminated and that event is fired: the real bridge, store and views must fail only the rebuild, say so, and do
  // the next rebuild in a fresh case worker (which inspects the evidence again).
  it('served: a case worker that crashes mid-job fails only that job; the page stays usable', async () => {
    const b = builds().find((x) => x.name === 'served')!;
    const page = await ctx.newPage();
    page.on('request', (r) => requests.push({ build: b.name, url: r.url() }));
    page.on('pageerror', (e) => pageErrors.push(`${b.name}: ${e.message}`));
    await page.addInitScript(() => {
      const Native = window.Worker;
      const w = window as unknown as { Worker: typeof Worker; __crashNext?: string; __workersStarted?: Record<string, number> };
      w.__workersStarted = {};
      w.Worker = class extends Native {
        private readonly crashName: string;
        constructor(url: string | URL, opts?: WorkerOptions) {
          super(url, opts);
          this.crashName = opts?.name ?? '';
          w.__workersStarted![this.crashName] = (w.__workersStarted![this.crashName] ?? 0) + 1;
        }
        postMessage(...args: unknown[]): void {
          if (w.__crashNext && w.__crashNext === this.crashName) {
            w.__crashNext = undefined;
            this.terminate();
            setTimeout(() => this.dispatchEvent(new ErrorEvent('error', { message: 'Uncaught RangeError: injected crash', cancelable: true })), 5);
            return;
          }
          (Native.prototype.postMessage as (...a: unknown[]) => void).apply(this, args);
        }
      };
    });
    await page.goto(b.url);
    await page.getByTestId('demo-case').click();
    await expect.poll(() => page.getByTestId('verdict').textContent(), { timeout: 30_000 }).toBe('restorable');
    await page.getByTestId('nav-rebuild').click();
    await expect.poll(() => page.getByTestId('rebuild').isEnabled()).toBe(true);
    // The preview (what a rebuild applies) has come back: the case worker is idle.
    await page.getByText('Rebuild of the latest state').waitFor({ timeout: 10_000 });
    const started = await page.evaluate(() => (window as unknown as { __workersStarted: Record<string, number> }).__workersStarted['palimpsest-case']);
    expect(started).toBe(1);

    await page.evaluate(() => ((window as unknown as { __crashNext?: string }).__crashNext = 'palimpsest-case'));
    await page.getByTestId('rebuild').click();
    await expect.poll(() => page.locator('.notices').textContent(), { timeout: 10_000 }).toMatch(/A worker crashed; only this job failed: .*injected crash/);
    expect(await page.getByTestId('integrity').count()).toBe(0);
    // The rest of the page still works: the verdict stands, other views open.
    expect(await page.getByTestId('verdict').textContent()).toBe('restorable');
    await shot(page, b, '18-worker-crashed');

    await page.getByTestId('rebuild').click();
    await expect.poll(() => page.getByTestId('integrity').textContent(), { timeout: 30_000 }).toBe('ok');
    expect(await page.evaluate(() => (window as unknown as { __workersStarted: Record<string, number> }).__workersStarted['palimpsest-case'])).toBe(2);
    const db = await downloadDb(page, b, 'after-crash');
    expect(sha256(db)).toBe(DEMO_CASE.liveFilesExpected.checkpointed_db_sha256_rollback);
    await shot(page, b, '19-rebuilt-after-crash');
    await page.close();
  });

  it('made no request outside the page, broke no policy, threw no error', () => {
    const served = requests.filter((r) => r.build === 'served');
    const file = requests.filter((r) => r.build === 'file');
    expect(served.length).toBeGreaterThan(0);
    expect(file.length).toBeGreaterThan(0);
    const b = builds();
    const outside = requests.filter((r) => !b.find((x) => x.name === r.build)!.allowed(r.url.replace(/\?.*$/, '')));
    expect(outside).toEqual([]);
    // The single file loads nothing but itself and its workers' blob URLs.
    expect(file.filter((r) => r.url.startsWith('file:')).every((r) => r.url.startsWith(b[1].url))).toBe(true);
    // The only violations are the fetches the test tried on purpose (once per build).
    const deliberate = `${server.origin}/index.html`;
    expect(cspViolations.filter((v) => !v.includes(deliberate))).toEqual([]);
    expect(cspViolations.length).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });
});
