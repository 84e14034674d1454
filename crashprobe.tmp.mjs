import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
const page = await browser.newPage();
page.on('console', (m) => { if (m.text().startsWith('DBG')) console.log(m.text().slice(0, 200)); });
await page.addInitScript(() => {
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      const name = a[1]?.name;
      this.addEventListener('error', (e) => console.log('DBG error from', name, e.message, performance.now().toFixed(0)));
      this.addEventListener('message', (e) => console.log('DBG msg from', name, JSON.stringify(e.data).slice(0, 100), performance.now().toFixed(0)));
    }
  };
});
await page.goto(pathToFileURL('/work/main/dist/web/palimpsest.html').href);
await page.getByTestId('demo-case').click();
await page.waitForFunction(() => document.querySelector('[data-testid=verdict]')?.textContent === 'restorable', null, { timeout: 30000 });
await page.getByTestId('nav-rebuild').click();
await page.waitForTimeout(1000);
let cw;
for (const w of page.workers()) if ((await w.evaluate(() => self.name)) === 'palimpsest-case') cw = w;
await cw.evaluate(() => self.addEventListener('message', () => { self.postMessage = () => undefined; throw new Error('injected crash'); }));
console.log('--- click');
await page.getByTestId('rebuild').click();
await page.waitForTimeout(2500);
console.log((await page.locator('main').textContent()).slice(0, 250));
await browser.close();
