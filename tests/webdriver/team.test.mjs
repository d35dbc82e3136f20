// The real TokenKeeper window on a team's PostgreSQL server (scripts/with-postgres.sh), under
// Xvfb through tauri-driver: the team's vault is shown; the server stops and the window says so
// (since when, the last known state, read only) and refuses a change with why; the server comes
// back and the window returns to it by itself. Screenshots go to artifacts/webdriver/. Run by
// scripts/app-e2e.sh, after app.test.mjs (one app at a time).

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Builder, By, until } from 'selenium-webdriver';

import { appEnded } from './desktop.mjs';
import { shot, sleep, waitText } from './window.mjs';

const app = process.env.TOKENKEEPER_APP_BIN;
const mint = process.env.TOKENKEEPER_MINT_BIN;
const cli = process.env.TOKENKEEPER_CLI_BIN;
const admin = process.env.TOKENKEEPER_TEST_POSTGRES;
const serverCtl = process.env.TOKENKEEPER_TEST_POSTGRES_CTL;
const skip = !admin || !serverCtl;
if (skip) {
  assert.notEqual(process.env.TOKENKEEPER_REQUIRE_POSTGRES, '1', 'run through scripts/with-postgres.sh');
}

const work = mkdtempSync(join(tmpdir(), 'tk-webdriver-team-'));
// Away from app.test.mjs's tauri-driver (and WebKitWebDriver, one port above).
const driverPort = Number(process.env.TK_WEBDRIVER_PORT || 4444) + 10;
let driverProcess;
let driver;
let stopped = false;
let url;

/** The team's database on the test server: its URL (with the test role's password). */
function teamUrl() {
  execFileSync('psql', [admin, '-qc', 'CREATE DATABASE tk_window']);
  return admin.replace(/\/postgres\?/, '/tk_window?');
}

function ctl(what) {
  execFileSync(serverCtl, [what]);
  stopped = what === 'stop';
}

/** Whether the banner saying the server is away is in the window. */
async function bannerShown() {
  return (await driver.findElements(By.css('[data-testid="offline-banner"]'))).length > 0;
}

before(async () => {
  if (skip) return;
  url = teamUrl();
  const local = join(work, 'local.db');
  const file = (name) => join(work, name);
  execFileSync(mint, ['vpp', file('harbour.vpptoken'), '12', 'Acme Harbour']);
  execFileSync(mint, ['vpp', file('library.vpptoken'), '200', 'Beta Library']);
  for (const [client, token] of [['Acme Corp', 'harbour.vpptoken'], ['Beta Dental', 'library.vpptoken']]) {
    execFileSync(cli, ['--db', local, 'client', 'add', client]);
    execFileSync(cli, ['--db', local, 'import', file(token), '--client', client, '--yes']);
  }
  // Alice's key goes to the private keyring the app reads too.
  execFileSync(cli, ['--db', url, 'team', 'init', '--name', 'Alice', '--from', local]);
  driverProcess = spawn('tauri-driver', ['--port', String(driverPort), '--native-port', String(driverPort + 1)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, TOKENKEEPER_DB: url },
  });
  await sleep(1500);
  driver = await new Builder()
    .usingServer(`http://127.0.0.1:${driverPort}/`)
    .withCapabilities({ browserName: 'wry', 'tauri:options': { application: app } })
    .build();
});

after(async () => {
  if (stopped) ctl('start');
  await driver?.quit().catch(() => {});
  const left = await appEnded(app);
  if (left) console.log(`# ${left} app process(es) outlived the WebDriver session: killed`);
  driverProcess?.kill();
});

/** Waits up to `ms` for this computer's copy of the team vault (`team::local_copy_path`: the
 *  app-data folder's team-copies, a 16-digit name; `.copy-*` is one being written). */
async function copyTaken(ms) {
  const data = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  const dir = join(data, 'app.tokenkeeper.desktop', 'team-copies');
  const deadline = Date.now() + ms;
  for (;;) {
    if (existsSync(dir) && readdirSync(dir).some((f) => /^[0-9a-f]{16}\.db$/.test(f))) return true;
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
}

test('the team’s server stops: the window shows the last known state read only, says since when, refuses a change with why, and returns to the server by itself', { skip }, async () => {
  await waitText(driver, 'Acme Harbour', 30000);
  await waitText(driver, 'Beta Library');
  assert.equal(await bannerShown(), false, 'no banner while the server answers');
  await shot(driver, '20-team-server');

  // The scheduler keeps this computer's copy while the server answers (taken after its first
  // pass, which may wait on the desktop's notifications); the listener losing the server wakes
  // it, and the window moves to the copy. The server stops once the copy is there.
  assert.ok(await copyTaken(60000), 'the scheduler never took its copy of the team vault');
  ctl('stop');
  const banner = await driver.wait(until.elementLocated(By.css('[data-testid="offline-banner"]')), 40000, 'the banner never came');
  const said = await banner.getText();
  assert.match(said, /unreachable since/);
  assert.match(said, /last known state/);
  assert.match(said, /reconnects by itself/);
  assert.doesNotMatch(said, new RegExp(new URL(admin).password), 'no password in the window');
  await waitText(driver, 'Acme Harbour');
  await shot(driver, '21-team-server-away');

  // A change is refused, saying why and since when.
  await driver.findElement(By.xpath('//nav//a[contains(., "Clients")]')).click();
  await driver.wait(until.elementLocated(By.xpath('//button[normalize-space(.)="Add client"]')), 10000).click();
  const name = await driver.wait(until.elementLocated(By.css('dialog[open] input[type="text"]')), 10000);
  await name.sendKeys('Globex');
  await driver.findElement(By.css('dialog[open] button[type="submit"]')).click();
  const refusal = await driver.wait(until.elementLocated(By.css('dialog[open] [role="alert"]')), 15000, 'no refusal');
  assert.match(await refusal.getText(), /unreachable since .*reconnects by itself/s);
  await shot(driver, '22-team-server-away-refused');
  await driver.findElement(By.xpath('//dialog[@open]//button[normalize-space(.)="Cancel"]')).click();

  // Back: the banner goes by itself, and the change goes through.
  ctl('start');
  const deadline = Date.now() + 60000;
  while ((await bannerShown()) && Date.now() < deadline) await sleep(500);
  assert.equal(await bannerShown(), false, 'the banner stayed after the server came back');
  await driver.wait(until.elementLocated(By.xpath('//button[normalize-space(.)="Add client"]')), 10000).click();
  const again = await driver.wait(until.elementLocated(By.css('dialog[open] input[type="text"]')), 10000);
  await again.sendKeys('Globex');
  await driver.findElement(By.css('dialog[open] button[type="submit"]')).click();
  await waitText(driver, 'Globex', 15000);
  await shot(driver, '23-team-server-back');
  // On the server, for every member to see.
  const clients = execFileSync(cli, ['--db', url, 'client', 'list', '--json']).toString();
  assert.match(clients, /"Globex"/);
});
