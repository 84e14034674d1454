// A/B of two web builds in one headless Chromium (not part of `npm run bench`): alternates verifies of the 1.16 GB
// WAL bench case (or an ESE file) between two built dist/web folders and prints each round and the medians, so a
// change can be judged against the machine's drift (the raw read speed of this VM moves ±20% from minute to minute).
//   node bench/web-ab.mjs DIR_A DIR_B [PAIRS=10] [wal|ese]     (ese: ESE_FILE=path/to/file.edb)
// Build each side with `npm run build` and copy dist/web away first. The WAL case comes from `npm run bench -- --only web`.
import { serve, launchChromium } from './browser.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const [, , dirA, dirB, pairsArg, which = 'wal'] = process.argv;
if (!dirA || !dirB) {
  console.error('usage: node bench/web-ab.mjs DIR_A DIR_B [PAIRS] [wal|ese]');
  process.exit(2);
}
const pairs = Number(pairsArg ?? 10);
const walDir = path.join(root, '.cache', 'bench', 'wal-1100mb');
const files = which === 'ese' ? [process.env.ESE_FILE] : ['mailbox.db', 'mailbox.db-wal'].map((f) => path.join(walDir, f));
const srvs = { A: await serve(path.resolve(dirA)), B: await serve(path.resolve(dirB)) };
const browser = await launchChromium();
const page = await (await browser.newContext()).newPage();

/** One verify from the file input to the verdict (no SHA-256): wall seconds and the app's own engine time. */
async function verify(origin) {
  await page.goto(`${origin}/`);
  await page.getByTestId('file-input').waitFor({ state: 'attached' });
  await page.waitForTimeout(800);
  await page.evaluate(() => {
    window.__ab = { t0: 0, t1: 0 };
    document.querySelector('[data-testid=file-input]').addEventListener('change', () => (window.__ab.t0 = performance.now()), { capture: true });
    new MutationObserver(() => {
      if (!window.__ab.t1 && document.querySelector('[data-testid=verdict]')) window.__ab.t1 = performance.now();
    }).observe(document.body, { subtree: true, childList: true });
    const box = [...document.querySelectorAll('input[type=checkbox]')][0];
    if (box.checked) box.click();
  });
  await page.getByTestId('file-input').setInputFiles(files);
  await page.waitForFunction(() => window.__ab.t1 > 0, null, { timeout: 120_000, polling: 50 });
  const s = await page.evaluate(() => (window.__ab.t1 - window.__ab.t0) / 1000);
  const engine = Number(await page.waitForFunction(() => /checked in ([\d.]+) s/.exec(document.body.textContent ?? '')?.[1] ?? null).then((h) => h.jsonValue()));
  return { s, engine };
}

const res = { A: [], B: [] };
try {
  await verify(srvs.A.origin); // warm-up (page cache, browser)
  for (let i = 0; i < pairs; i++) {
    for (const k of i % 2 ? ['B', 'A'] : ['A', 'B']) {
      const r = await verify(srvs[k].origin);
      res[k].push(r);
      console.log(`${k} ${r.s.toFixed(3)} s (engine ${r.engine.toFixed(2)} s)`);
    }
  }
} finally {
  await browser.close();
  srvs.A.close();
  srvs.B.close();
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const k of ['A', 'B']) {
  const s = res[k].map((r) => r.s);
  console.log(`${k}: median ${med(s).toFixed(3)} s, mean ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(3)} s, engine median ${med(res[k].map((r) => r.engine)).toFixed(3)} s`);
}
