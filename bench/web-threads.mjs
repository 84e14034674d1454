// CPU time of every thread of every Chromium process (from /proc/<pid>/task/<tid>/stat, Linux only) during a raw
// File read (BYOB streams, three thirds at once, on the page's main thread) and during the app's verify of the same
// 1.16 GB WAL case (or ESE_FILE), three times each; threads of one kind are summed (e.g. all DedicatedWorker threads). Not part of
// `npm run bench`: `node bench/web-threads.mjs` after `npm run build` and a `npm run bench -- --only web`.
import { serve, launchChromium } from './browser.mjs';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dir = path.join(root, '.cache', 'bench', 'wal-1100mb');
// ESE_FILE=path/to/file.edb measures an ESE database instead of the WAL case.
const files = process.env.ESE_FILE ? [process.env.ESE_FILE] : ['mailbox.db', 'mailbox.db-wal'].map((f) => path.join(dir, f));
const srv = await serve(path.join(root, 'dist', 'web'));
const browser = await launchChromium();
const page = await (await browser.newContext()).newPage();
function snap() {
  const out = new Map();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    let cmd = '';
    try { cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8'); } catch { continue; }
    if (!cmd.includes('chromium')) continue;
    const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
    let tasks = [];
    try { tasks = readdirSync(`/proc/${p}/task`); } catch { continue; }
    for (const t of tasks) {
      try {
        const st = readFileSync(`/proc/${p}/task/${t}/stat`, 'utf8');
        const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        out.set(`${p}/${t}`, { key: `${type}:${name}`, cpu: Number(f[11]) + Number(f[12]) });
      } catch {}
    }
  }
  return out;
}
function diff(a, b) {
  const agg = new Map();
  for (const [k, v] of b) {
    const d = v.cpu - (a.get(k)?.cpu ?? 0);
    if (d > 0) agg.set(v.key, (agg.get(v.key) ?? 0) + d * 10);
  }
  return [...agg].sort((x, y) => y[1] - x[1]).map(([k, ms]) => `${k}=${ms}`).join('  ');
}
async function raw() {
  await page.goto(srv.origin + '/');
  await page.evaluate(() => { const i = document.createElement('input'); i.type = 'file'; i.multiple = true; i.id = 'raw'; document.body.appendChild(i); });
  await page.setInputFiles('#raw', files);
  await page.waitForTimeout(500);
  const a = snap();
  const s = await page.evaluate(async () => {
    const list = [...document.getElementById('raw').files];
    const drain = async (blob) => { const r = blob.stream().getReader({ mode: 'byob' }); let buf = new ArrayBuffer(1 << 20);
      for (;;) { const { done, value } = await r.read(new Uint8Array(buf)); if (done || !value) break; buf = value.buffer; } };
    const t0 = performance.now();
    for (const f of list) { const part = Math.ceil(f.size / 3); await Promise.all([0, 1, 2].map((i) => drain(f.slice(i * part, Math.min(f.size, (i + 1) * part))))); }
    return (performance.now() - t0) / 1000;
  });
  console.log(`raw read ${s.toFixed(3)} s, CPU ms by thread: ${diff(a, snap())}`);
}
async function verify() {
  await page.goto(srv.origin + '/');
  await page.getByTestId('file-input').waitFor({ state: 'attached' });
  await page.waitForTimeout(1000);
  await page.evaluate(() => {
    window.__b = { t0: 0, t1: 0 };
    document.querySelector('[data-testid=file-input]').addEventListener('change', () => (window.__b.t0 = performance.now()), { capture: true });
    new MutationObserver(() => { if (!window.__b.t1 && document.querySelector('[data-testid=verdict]')) window.__b.t1 = performance.now(); }).observe(document.body, { subtree: true, childList: true });
    const box = [...document.querySelectorAll('input[type=checkbox]')][0];
    if (box.checked) box.click();
  });
  const a = snap();
  await page.getByTestId('file-input').setInputFiles(files);
  await page.waitForFunction(() => window.__b.t1 > 0, null, { timeout: 60000, polling: 50 });
  const b = snap();
  const s = await page.evaluate(() => (window.__b.t1 - window.__b.t0) / 1000);
  console.log(`verify   ${s.toFixed(3)} s, CPU ms by thread: ${diff(a, b)}`);
}
for (let i = 0; i < 3; i++) { await raw(); await verify(); }
await browser.close(); srv.close();
