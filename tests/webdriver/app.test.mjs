// The real TokenKeeper window under Xvfb, driven through tauri-driver and WebKitWebDriver: add a
// client, import a push certificate through the real GTK file picker, confirm, see it Active on
// the dashboard; pick a wrong file and see the message. A screenshot of each screen goes to
// artifacts/webdriver/. Run by scripts/app-e2e.sh (inside Xvfb, D-Bus and a private keyring).

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { Builder, By, until } from 'selenium-webdriver';

const root = resolve(import.meta.dirname, '../..');
const app = process.env.TOKENKEEPER_APP_BIN;
const mint = process.env.TOKENKEEPER_MINT_BIN;
const shots = join(root, 'artifacts', 'webdriver');
mkdirSync(shots, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'tk-webdriver-'));
const files = {
  push: join(work, 'MDM_Acme_Certificate.pem'),
  vpp: join(work, 'sToken_for_Main_Street.vpptoken'),
};

let driverProcess;
let driver;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function shot(name) {
  // Let the webview paint what the last step changed before taking its picture.
  await driver.executeAsyncScript('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(done));');
  await sleep(300);
  // The webview as WebDriver sees it, and the whole X screen (the real window with its frame).
  writeFileSync(join(shots, `${name}.png`), await driver.takeScreenshot(), 'base64');
  try {
    execFileSync('import', ['-window', 'root', join(shots, `${name}-screen.png`)]);
  } catch {
    // imagemagick missing: the webview picture is enough.
  }
}

async function waitText(text, timeout = 15000) {
  const el = await driver.wait(
    until.elementLocated(By.xpath(`//*[contains(normalize-space(.), ${JSON.stringify(text)}) and not(.//*[contains(normalize-space(.), ${JSON.stringify(text)})])]`)),
    timeout,
    `"${text}" never appeared`,
  );
  return el;
}

async function click(css) {
  const el = await driver.wait(until.elementLocated(By.css(css)), 15000, `${css} never appeared`);
  await driver.wait(until.elementIsVisible(el), 5000);
  await el.click();
  return el;
}

async function clickButton(name) {
  const el = await driver.wait(
    until.elementLocated(By.xpath(`//button[normalize-space(.)=${JSON.stringify(name)}] | //a[normalize-space(.)=${JSON.stringify(name)}]`)),
    15000,
    `button "${name}" never appeared`,
  );
  await el.click();
}

/** Answers the real GTK file picker: focus it, type the path, press Enter. */
async function pickInDialog(path) {
  const id = execFileSync('xdotool', ['search', '--sync', '--onlyvisible', '--name', 'Choose a credential file'], {
    timeout: 20000,
  })
    .toString()
    .trim()
    .split('\n')
    .pop();
  execFileSync('xdotool', ['windowfocus', '--sync', id]);
  await sleep(300);
  execFileSync('xdotool', ['key', '--window', id, 'ctrl+l']);
  await sleep(200);
  execFileSync('xdotool', ['type', '--window', id, '--delay', '5', path]);
  await sleep(200);
  execFileSync('xdotool', ['key', '--window', id, 'Return']);
}

before(async () => {
  assert.ok(app, 'TOKENKEEPER_APP_BIN must name the built app');
  assert.ok(mint, 'TOKENKEEPER_MINT_BIN must name the fixture minter');
  execFileSync(mint, ['push', files.push, '120']);
  execFileSync(mint, ['vpp', files.vpp, '200', 'Acme Inc']);
  driverProcess = spawn('tauri-driver', ['--port', '4444'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, TOKENKEEPER_DB: join(work, 'tokenkeeper.db') },
  });
  await sleep(1500);
  driver = await new Builder()
    .usingServer('http://127.0.0.1:4444/')
    .withCapabilities({ browserName: 'wry', 'tauri:options': { application: app } })
    .build();
});

after(async () => {
  await driver?.quit().catch(() => {});
  driverProcess?.kill();
});

test('add a client, import a push certificate, confirm, see it Active', async () => {
  await waitText('Nothing to watch yet');
  await shot('01-dashboard-empty');

  await clickButton('Add your first client');
  const name = await driver.wait(until.elementLocated(By.css('dialog[open] input[type="text"]')), 10000);
  await name.sendKeys('Acme Corp');
  await shot('02-add-client');
  await driver.findElement(By.xpath('//dialog[@open]//button[normalize-space(.)="Add client"]')).click();
  await waitText('No credentials yet');

  await clickButton('Open your clients');
  await driver.wait(until.elementLocated(By.xpath('//a[contains(., "Acme Corp")]')), 10000).click();
  await waitText('APNs push certificate');
  await shot('03-client-page');

  await click('[data-section="push_certificate"] [data-drop-zone] button');
  await pickInDialog(files.push);
  await driver.wait(until.elementLocated(By.css('[data-testid="wizard"][data-step="review"]')), 20000);
  await shot('04-confirm');
  await click('[data-testid="save"]');
  await driver.wait(until.elementLocated(By.css('[data-testid="wizard"][data-step="saved"]')), 20000);
  await shot('05-saved');
  await clickButton('Done');

  await driver.get('tauri://localhost/#/');
  await waitText('APNs certificate');
  const badge = await waitText('Active');
  assert.ok(await badge.isDisplayed());
  await shot('06-dashboard-active');
});

test('a wrong file on the APNs zone is named and routed', async () => {
  await driver.wait(until.elementLocated(By.xpath('//a[contains(., "Clients")]')), 10000).click();
  await driver.wait(until.elementLocated(By.xpath('//a[contains(., "Acme Corp")]')), 10000).click();
  await waitText('APNs push certificate');
  await click('[data-section="push_certificate"] [data-drop-zone] button');
  await pickInDialog(files.vpp);
  await waitText('This is an Apps and Books token');
  await shot('07-wrong-zone-routed');
});
