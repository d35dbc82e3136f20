import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { Builder, By, until } from 'selenium-webdriver';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const db = '/tmp/prof/probe.db';
for (let run = 0; run < Number(process.env.RUNS || 2); run++) {
  copyFileSync(process.env.TOKENKEEPER_BENCH_DB, db);
  const d = spawn('tauri-driver', ['--port', '4445', '--native-port', '4446'], { stdio: 'ignore', env: { ...process.env, TOKENKEEPER_DB: db } });
  await sleep(800);
  const driver = await new Builder().usingServer('http://127.0.0.1:4445/').withCapabilities({ browserName: 'wry', 'tauri:options': { application: process.env.TOKENKEEPER_APP_BIN } }).build();
  await driver.wait(until.elementLocated(By.css('[data-testid="credential-list"] a.row')), 60000, undefined, 10);
  await sleep(1500);
  const out = await driver.executeScript(`return [
    ...performance.getEntriesByType('resource').map(e => [e.name.slice(0, 60), Math.round(e.startTime), Math.round(e.responseEnd)]),
    ...performance.getEntriesByType('mark').map(e => [e.name, Math.round(e.startTime)]),
    ...performance.getEntriesByType('paint').map(e => [e.name, Math.round(e.startTime)]),
    ['nav', JSON.stringify(performance.getEntriesByType('navigation')[0]?.toJSON?.() ?? {})]]`);
  for (const r of out) console.log(r.join('  '));
  await driver.quit();
  d.kill();
  await sleep(500);
}
