// Web app benchmark (a bench/*-bench.mjs module; `npm run bench -- --only web`, or `node bench/web-bench.mjs`).
// In the real browser (Debian Chromium, headless), on the >= 1 GB WAL written by real SQLite (make_big_wal.py):
//   raw read   the same File objects read in the same page: 8 MiB slices (Blob.arrayBuffer) one and 4 at a time,
//              and Blob streams (default reader, and BYOB reader into a reused 1 MiB buffer), one and two at a time
//              (each file in halves); before every verify round. The best of all methods and rounds is the
//              reference (the verify reads through BYOB streams, so streams count too)
//   verify     the app's own verify of db + WAL from the file input to the verdict, without and with SHA-256
//   main thread  the longest task (PerformanceObserver 'longtask', which reports tasks over 50 ms), the blocking
//              time of long animation frames, and the longest extra delay of a 10 ms timer during verify
//   memory     peak resident memory of all browser processes during verify, above the idle page
// Targets (issue 3): no main-thread task over 50 ms; verify >= 80% of raw read; memory far below the input size.
// This machine may be shared: before each measurement the bench waits (up to 2 minutes) until the CPUs are >= 90%
// idle for a second, and reports how idle they were, since other work distorts the ratio.
import { serve, launchChromium } from './browser.mjs';
import { existsSync, readFileSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
function ensureWal(sizeMb, log) {
  const dir = path.join(root, '.cache', 'bench', `wal-${sizeMb}mb`);
  const wal = path.join(dir, 'mailbox.db-wal');
  if (existsSync(wal) && statSync(wal).size >= sizeMb * 1024 * 1024) return dir;
  mkdirSync(path.dirname(dir), { recursive: true });
  log(`generating a ${sizeMb} MB WAL with real SQLite (cached in ${path.relative(root, dir)})`);
  const r = spawnSync('python3', [path.join(root, 'test', 'generators', 'make_big_wal.py'), '--out', dir, '--size-mb', String(sizeMb)], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('make_big_wal.py failed');
  return dir;
}

function cpuTimes() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) };
}

/** Waits until the CPUs are >= 90% idle over one second (at most maxMs); returns the idle fraction last seen. */
async function quiet(maxMs = 120_000) {
  const t0 = Date.now();
  let idle = 0;
  while (Date.now() - t0 < maxMs) {
    const a = cpuTimes();
    await new Promise((r) => setTimeout(r, 1000));
    const b = cpuTimes();
    idle = (b.idle - a.idle) / Math.max(1, b.total - a.total);
    if (idle >= 0.9) break;
  }
  return idle;
}

/** Process ids of all descendants of a process (the browser this script started), from /proc. */
function descendants(pid) {
  const kids = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  const out = [];
  const stack = [...(kids.get(pid) ?? [])];
  while (stack.length) {
    const p = stack.pop();
    out.push(p);
    stack.push(...(kids.get(p) ?? []));
  }
  return out;
}

/** Resident memory (KiB) of the given processes (cheap enough to sample while measuring). */
function rss(pids) {
  let total = 0;
  for (const p of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch { /* gone */ }
  }
  return total;
}

async function measure(page, files, hash, browserPid) {
  await page.goto(page.url().split('?')[0]);
  await page.getByTestId('file-input').waitFor({ state: 'attached' });
  // A user takes a moment to pick files; the app starts its workers meanwhile.
  await page.waitForTimeout(1000);
  await page.evaluate((h) => {
    window.__bench = { longtasks: [], maxGap: 0, t0: 0, t1: 0 };
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__bench.longtasks.push({ start: e.startTime, ms: e.duration }); }).observe({ type: 'longtask', buffered: false });
    // Long animation frames (Chrome): blockingDuration counts the parts of tasks beyond 50 ms within a frame.
    window.__bench.loaf = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__bench.loaf.push({ at: e.startTime - window.__bench.t0, blocking: e.blockingDuration }); }).observe({ type: 'long-animation-frame', buffered: false });
    let last = performance.now();
    window.__bench.timer = setInterval(() => {
      const now = performance.now();
      if (window.__bench.t0 && !window.__bench.t1) window.__bench.maxGap = Math.max(window.__bench.maxGap, now - last - 10);
      last = now;
    }, 10);
    const input = document.querySelector('[data-testid=file-input]');
    input.addEventListener('change', () => (window.__bench.t0 = performance.now()), { capture: true });
    new MutationObserver(() => {
      if (!window.__bench.t1 && document.querySelector('[data-testid=verdict]')) window.__bench.t1 = performance.now();
      // The SHA-256 of the evidence follow the verdict (seen in the Evidence view).
      if (!window.__bench.t2 && document.querySelector('[data-testid=hash-status][data-state=done]')) window.__bench.t2 = performance.now();
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    // The hashing preference is a checkbox on the start page.
    const box = [...document.querySelectorAll('input[type=checkbox]')][0];
    if (box.checked !== h) box.click();
  }, hash);
  const pids = descendants(browserPid);
  const base = rss(pids);
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, rss(pids))), 200);
  await page.getByTestId('file-input').setInputFiles(files);
  await page.waitForFunction(() => window.__bench.t1 > 0, null, { timeout: 600_000, polling: 100 });
  if (hash) {
    await page.getByTestId('nav-evidence').click();
    await page.waitForFunction(() => window.__bench.t2 > 0, null, { timeout: 600_000, polling: 100 });
  }
  clearInterval(sampler);
  const r = await page.evaluate(() => {
    clearInterval(window.__bench.timer);
    const { t0, t1, t2, longtasks, maxGap } = window.__bench;
    const end = t2 || t1;
    const during = longtasks.filter((t) => t.start >= t0 - 1 && t.start <= end);
    const frames = window.__bench.loaf.filter((f) => f.at >= -1 && f.at <= end - t0);
    return {
      s: (t1 - t0) / 1000, hashedS: t2 ? (t2 - t0) / 1000 : NaN, longest: Math.max(0, ...during.map((t) => t.ms)), count: during.length, maxGap,
      frameBlocking: Math.max(0, ...frames.map((f) => f.blocking)), verdict: document.querySelector('[data-testid=verdict]').textContent,
    };
  });
  // The engine's own time (the app's "checked in X s"), to tell engine from page overhead.
  const checked = await page.waitForFunction(() => /checked in ([\d.]+) s/.exec(document.body.textContent ?? '')?.[1] ?? null, null, { timeout: 10_000 }).then((h) => h.jsonValue()).catch(() => null);
  r.engineS = checked === null ? NaN : Number(checked);
  return { ...r, peakMiB: (peak - base) / 1024 };
}

async function addRawInput(page, files) {
  // A bench-only file input in the same page (made again after each verify, which reloads the page).
  await page.evaluate(() => {
    const i = document.createElement('input');
    i.type = 'file';
    i.multiple = true;
    i.id = 'bench-raw';
    i.style.display = 'none';
    document.body.appendChild(i);
  });
  await page.setInputFiles('#bench-raw', files);
}

/** Raw read rates (bytes/s) of the files in the page, by method. */
async function rawRead(page, files) {
  if (!(await page.$('#bench-raw'))) await addRawInput(page, files);
  return page.evaluate(async () => {
    const list = [...document.getElementById('bench-raw').files];
    const total = list.reduce((a, f) => a + f.size, 0);
    const chunk = 8 << 20;
    const timed = async (fn) => {
      const t0 = performance.now();
      try {
        for (const f of list) await fn(f);
      } catch {
        return NaN;
      }
      return total / ((performance.now() - t0) / 1000);
    };
    const slices = (width) => (f) => {
      let next = 0;
      const lane = async () => {
        while (next < f.size) {
          const at = next;
          next += chunk;
          const b = await f.slice(at, Math.min(f.size, at + chunk)).arrayBuffer();
          if (b.byteLength === 0) break;
        }
      };
      return Promise.all(Array.from({ length: width }, lane));
    };
    const drain = async (blob) => {
      const r = blob.stream().getReader();
      for (;;) if ((await r.read()).done) break;
    };
    // A BYOB read of a Blob stream can stall for good in Chromium 156 (see workers/hosts/browser-io.ts): such a
    // round of that method counts as no result.
    const drainByob = async (blob) => {
      const r = blob.stream().getReader({ mode: 'byob' });
      let buf = new ArrayBuffer(1 << 20);
      for (;;) {
        let timer;
        const stalled = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('stalled')), 3000)));
        const { done, value } = await Promise.race([r.read(new Uint8Array(buf)), stalled]).finally(() => clearTimeout(timer));
        if (done || !value) break;
        buf = value.buffer;
      }
    };
    const streams = (width, byob) => (f) => {
      const part = Math.ceil(f.size / width);
      return Promise.all(Array.from({ length: width }, (_, i) => (byob ? drainByob : drain)(f.slice(i * part, Math.min(f.size, (i + 1) * part)))));
    };
    return {
      total,
      slices1: await timed(slices(1)), slices4: await timed(slices(4)),
      stream1: await timed(streams(1)), stream2: await timed(streams(2)),
      byob1: await timed(streams(1, true)), byob2: await timed(streams(2, true)), byob3: await timed(streams(3, true)),
    };
  });
}

export async function run({ log = console.error, quick = false, rounds = 3 } = {}) {
  const dist = path.join(root, 'dist', 'web');
  if (!existsSync(path.join(dist, 'index.html'))) throw new Error('dist/web is missing: run npm run build');
  const sizeMb = quick ? 300 : 1100;
  const dir = ensureWal(sizeMb, log);
  const files = ['mailbox.db', 'mailbox.db-wal'].map((f) => path.join(dir, f));
  spawnSync('cat', files, { stdio: ['ignore', 'ignore', 'ignore'] }); // page cache
  const srv = await serve(dist);
  const browser = await launchChromium();
  const pid = process.pid;
  const rows = [];
  try {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${srv.origin}/`);
    await rawRead(page, files); // warm-up
    const gb = (x) => (x / 1e9).toFixed(2);
    const nohash = [];
    const withHash = [];
    const raws = [];
    const idles = [];
    const max = (...xs) => Math.max(...xs.filter((x) => Number.isFinite(x)));
    const best = (r) => max(r.slices1, r.slices4, r.stream1, r.stream2, r.byob1, r.byob2, r.byob3);
    for (let i = 0; i < rounds; i++) {
      idles.push(await quiet());
      raws.push(await rawRead(page, files));
      const r = raws.at(-1);
      log(`raw read round ${i + 1}: slices ${gb(r.slices1)} / ${gb(r.slices4)} (4 at a time), streams ${gb(r.stream1)} / ${gb(r.stream2)} (2 at a time), BYOB streams ${gb(r.byob1)} / ${gb(r.byob2)} / ${gb(r.byob3)} GB/s (1 / 2 / 3 at a time; CPUs ${(idles.at(-1) * 100).toFixed(0)}% idle before)`);
      idles.push(await quiet());
      nohash.push({ ...(await measure(page, files, false, pid)), raw: best(r) });
      log(`verify (no hash) round ${i + 1}: ${nohash.at(-1).s.toFixed(2)} s (engine ${nohash.at(-1).engineS.toFixed(2)} s) = ${((r.total / nohash.at(-1).s / best(r)) * 100).toFixed(0)}% of this round's best raw read, longest task ${nohash.at(-1).longest.toFixed(0)} ms, timer gap ${nohash.at(-1).maxGap.toFixed(0)} ms, +${nohash.at(-1).peakMiB.toFixed(0)} MiB, ${nohash.at(-1).verdict} (CPUs ${(idles.at(-1) * 100).toFixed(0)}% idle before)`);
      if ((!quick || i === 0) && !process.env.WEB_BENCH_NO_SHA) {
        idles.push(await quiet());
        withHash.push(await measure(page, files, true, pid));
        log(`verify (SHA-256) round ${i + 1}: verdict ${withHash.at(-1).s.toFixed(2)} s, hashes ${withHash.at(-1).hashedS.toFixed(2)} s, longest task ${withHash.at(-1).longest.toFixed(0)} ms, +${withHash.at(-1).peakMiB.toFixed(0)} MiB (CPUs ${(idles.at(-1) * 100).toFixed(0)}% idle before)`);
      }
    }
    const raw = { total: raws[0].total, seq: max(...raws.map((r) => r.slices1)), par: max(...raws.map((r) => r.slices4)), s1: max(...raws.map((r) => r.stream1)), s2: max(...raws.map((r) => r.stream2)), b1: max(...raws.map((r) => r.byob1)), b2: max(...raws.map((r) => r.byob2)), b3: max(...raws.map((r) => r.byob3)) };
    const rawBest = max(raw.seq, raw.par, raw.s1, raw.s2, raw.b1, raw.b2, raw.b3);
    const ratios = nohash.map((x) => raw.total / x.s / x.raw).sort((a, b) => a - b);
    const medRatio = ratios[Math.floor(ratios.length / 2)];
    const med = (xs, k) => [...xs].map((x) => x[k]).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const vs = med(nohash, 's');
    const hs = withHash.length ? med(withHash, 's') : NaN;
    const hh = withHash.length ? med(withHash, 'hashedS') : NaN;
    const worst = Math.max(...[...nohash, ...withHash].map((x) => x.longest));
    const gap = Math.max(...[...nohash, ...withHash].map((x) => x.maxGap));
    const blocking = Math.max(...[...nohash, ...withHash].map((x) => x.frameBlocking));
    const mem = Math.max(...[...nohash, ...withHash].map((x) => x.peakMiB));
    rows.push({ name: 'Web raw File read in the page (best of slices / streams, all rounds)', value: rawBest / 1e9, unit: 'GB/s', note: `${gb(raw.total)} GB: 8 MiB slices ${gb(raw.seq)} one / ${gb(raw.par)} 4 at a time, streams ${gb(raw.s1)} one / ${gb(raw.s2)} 2 at a time, BYOB streams ${gb(raw.b1)} one / ${gb(raw.b2)} 2 / ${gb(raw.b3)} 3 at a time` });
    rows.push({ name: 'Web verify (structure, no SHA-256), input to verdict', value: vs, unit: 's', note: `${gb(raw.total / vs)} GB/s = ${((raw.total / vs / rawBest) * 100).toFixed(0)}% of the best raw read; median per round (vs that round's best raw read) ${(medRatio * 100).toFixed(0)}% (target ≥ 80%)` });
    if (withHash.length) rows.push({ name: 'Web verify with SHA-256 of every file: verdict, then all hashes', value: hs, unit: 's', note: `verdict ${hs.toFixed(2)} s; every SHA-256 in ${hh.toFixed(2)} s = ${gb(raw.total / hh)} GB/s (they follow the verdict)` });
    rows.push({ name: 'Web main thread: longest task during verify', value: worst, unit: 'ms', note: `0 = none over 50 ms (target ≤ 50); long-animation-frame blocking ${blocking.toFixed(0)} ms; longest 10 ms-timer delay ${gap.toFixed(0)} ms` });
    rows.push({ name: 'Web browser memory above the idle page during verify (peak)', value: mem, unit: 'MiB', note: `input ${(raw.total / 2 ** 20).toFixed(0)} MiB` });
    rows.push({ name: 'Web bench: CPUs idle before measurements (lowest)', value: Math.min(...idles) * 100, unit: '%', note: 'below 90% = other work was running; numbers are less reliable' });
    await ctx.close();
  } finally {
    await browser.close();
    srv.close();
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const rows = await run({ quick, rounds: quick ? 1 : 3 });
  for (const r of rows) console.log(`| ${r.name} | ${typeof r.value === 'number' ? r.value.toFixed(3) : r.value} ${r.unit} | ${r.note} |`);
}
