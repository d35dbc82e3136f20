import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { Builder, By, until } from 'selenium-webdriver';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const db = '/tmp/prof/probe.db';
copyFileSync(process.env.TOKENKEEPER_BENCH_DB, db);
const d = spawn('tauri-driver', ['--port', '4445', '--native-port', '4446'], { stdio: 'ignore', env: { ...process.env, TOKENKEEPER_DB: db } });
await sleep(800);
const driver = await new Builder().usingServer('http://127.0.0.1:4445/').withCapabilities({ browserName: 'wry', 'tauri:options': { application: process.env.TOKENKEEPER_APP_BIN } }).build();
await driver.wait(until.elementLocated(By.css('[data-testid="credential-list"] a.row')), 60000, undefined, 10);
await sleep(3000);
const out = await driver.executeAsyncScript(`
  const done = arguments[arguments.length - 1];
  (async () => {
  const texts = ['c', 'cl', 'cli', 'clie', 'client 00', 'client 004', 'client 0042', 'client 004', 'client', 'dental', 'com.apple', ''];
  const micro = {};
  let t = performance.now(); for (let i = 0; i < 200; i++) (1234 + i).toLocaleString(); micro.toLocaleString = (performance.now() - t) / 200;
  const f = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  t = performance.now(); for (let i = 0; i < 200; i++) f.format(new Date(2027, 1, 1 + i)); micro.dateFormat = (performance.now() - t) / 200;
  const fontCost = (family, weight) => { const el = document.createElement('div'); el.textContent = 'Client 0042 · Push certificate ' + weight; el.style.cssText = 'position:absolute;font-family:' + family + ';font-weight:' + weight; document.body.append(el); const t0 = performance.now(); void el.offsetWidth; const t1 = performance.now(); el.remove(); return +(t1 - t0).toFixed(1); };
  micro.systemUi = [100, 200, 300].map((w) => fontCost('system-ui, sans-serif', w));
  micro.sansSerif = [100, 200, 300].map((w) => fontCost('sans-serif', w));
  micro.dejavu = [100, 200, 300].map((w) => fontCost('"DejaVu Sans"', w));
  micro.fontFamily = getComputedStyle(document.body).fontFamily;
  const inv = window.__TAURI_INTERNALS__.invoke;
  const ipc = async (search, limit) => { const xs = []; for (let i = 0; i < 10; i++) { const t0 = performance.now(); await inv('dashboard', { query: { tab: 'all', search, offset: 0, limit }, fresh: false }); xs.push(performance.now() - t0); } xs.sort((a, b) => a - b); return +xs[5].toFixed(1); };
  micro.ipc = { empty90: await ipc('', 90), empty30: await ipc('', 30), client004_90: await ipc('client 004', 90), none: await ipc('zzzz', 90), settings: await (async () => { const t0 = performance.now(); await inv('get_settings'); return performance.now() - t0; })() };
  let ipcStart = 0, ipcEnd = 0;
  window.__TAURI_INTERNALS__.invoke = (...a) => { if (a[0] === 'dashboard') ipcStart = performance.now(); return inv(...a).then((r) => { if (a[0] === 'dashboard') ipcEnd = performance.now(); return r; }); };
  (async () => {
    const input = document.getElementById('search');
    const rows = [];
    for (let round = 0; round < 3; round++) for (const text of texts) {
      await new Promise((ok) => setTimeout(ok, 60));
      let domAt = 0;
      const panel = document.getElementById('credentials-panel');
      const mo = new MutationObserver(() => { if (!domAt && document.getElementById('credentials-panel')?.dataset.search === text) domAt = performance.now(); });
      mo.observe(document.querySelector('main'), { subtree: true, attributes: true, childList: true, characterData: true });
      const start = performance.now();
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const dispatched = performance.now();
      while (document.getElementById('credentials-panel')?.dataset.search !== text) await new Promise((ok) => { const ch = new MessageChannel(); ch.port1.onmessage = () => ok(); ch.port2.postMessage(null); });
      const seen = performance.now();
      void document.querySelector('[data-testid="credential-list"]')?.offsetHeight;
      const laid = performance.now();
      mo.disconnect();
      rows.push({ text, input: dispatched - start, ipcSent: ipcStart - start, ipcBack: ipcEnd - start, dom: domAt - start, seen: seen - start, total: laid - start, layout: laid - seen });
    }
    return { micro, rows };
  })().then(done, (e) => done(String(e)));
  })().catch((e) => done(String(e)));`);
console.log(JSON.stringify(out.micro));
const keys = ['input', 'ipcSent', 'ipcBack', 'dom', 'seen', 'total', 'layout'];
const med = (k) => { const xs = out.rows.map((r) => r[k]).sort((a, b) => a - b); return xs[Math.floor(xs.length / 2)].toFixed(1); };
console.log('medians:', keys.map((k) => `${k} ${med(k)}`).join(', '));
for (const r of out.rows.slice(0, 12)) console.log(JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? +v.toFixed(1) : v]))));
await driver.quit();
d.kill();
