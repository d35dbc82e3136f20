// The real TokenKeeper window under Xvfb, driven through tauri-driver and WebKitWebDriver: add a
// client, import a push certificate through the real GTK file picker, confirm, see it Active on
// the dashboard; pick a wrong file and see the message; add the team's channels in Settings and
// send them a test message (one delivered, one failing); open in the desktop's dark and follow it
// to light. A screenshot of each screen goes to artifacts/webdriver/. Run by scripts/app-e2e.sh
// (inside Xvfb, D-Bus and a private keyring).

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Builder, By, until } from 'selenium-webdriver';

import { appEnded, closedPort, pickInDialog, startPortal, webProcessEnv } from './desktop.mjs';
import { shot as shotOf, shots, sleep, waitText as waitFor, windowGeometry } from './window.mjs';

const app = process.env.TOKENKEEPER_APP_BIN;
const mint = process.env.TOKENKEEPER_MINT_BIN;
const work = mkdtempSync(join(tmpdir(), 'tk-webdriver-'));
const cli = process.env.TOKENKEEPER_CLI_BIN;
const db = join(work, 'tokenkeeper.db');
const files = {
  push: join(work, 'MDM_Acme_Certificate.pem'),
  vpp: join(work, 'sToken_for_Main_Street.vpptoken'),
  // Expires in five days: a reminder is due as soon as it is stored.
  soon: join(work, 'sToken_for_Harbour.vpptoken'),
  // Opened with the app while it runs (second launch).
  opened: join(work, 'sToken_for_Riverside.vpptoken'),
  // Stored by the command line while the app runs.
  byCli: join(work, 'sToken_for_Lakeside.vpptoken'),
};
// Everything the app and its second launch share: the database, the bus, the keyring, the display.
const appEnv = { ...process.env, TOKENKEEPER_DB: db };

// TK_WEBDRIVER_PORT moves tauri-driver (and WebKitWebDriver, one port above) off 4444 when
// another run uses it on the same machine.
const driverPort = Number(process.env.TK_WEBDRIVER_PORT || 4444);
let driverProcess;
let driver;

async function shot(name) {
  await shotOf(driver, name);
}

async function waitText(text, timeout = 15000) {
  return waitFor(driver, text, timeout);
}

/** Opens a page of the app from scratch (a reload: no dialog left over from the last test). */
async function fresh(hash) {
  await driver.get(`tauri://localhost/${hash}`);
  await driver.navigate().refresh();
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

/** The tray's looks (icons/tray/draw.py): how many pixels of the badge colour the panel shows. */
const BADGE = { allWell: 'rgb(30,160,75)', attention: 'rgb(235,160,20)', critical: 'rgb(215,40,40)' };
function trayPixels(colour) {
  const file = join(shots, 'tray-now.png');
  execFileSync('import', ['-window', 'root', '-crop', windowGeometry('panel'), file]);
  const count = execFileSync('convert', [file, '-fuzz', '12%', '-fill', 'black', '+opaque', colour, '-fill', 'white', '-opaque', colour, '-format', '%[fx:round(mean*w*h)]', 'info:']);
  return Number(count.toString());
}

async function trayShows(colour) {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    if (trayPixels(colour) > 8) return true;
    await sleep(300);
  }
  return false;
}

/** Every `Notify` call on the session bus, as dbus-monitor prints them. */
let monitor;
let monitored = '';
const helpers = [];
let portal;

/** The notifications seen so far: [summary, body] pairs. */
function notifications() {
  const out = [];
  for (const block of monitored.split(/\n(?=method call)/)) {
    if (!/member=Notify\b/.test(block)) continue;
    const strings = [...block.matchAll(/^\s+string "((?:[^"\\]|\\.)*)"/gm)].map((m) => m[1]);
    // app_name, app_icon, summary, body, then the actions.
    out.push({ app: strings[0], summary: strings[2], body: strings[3] });
  }
  return out;
}

async function startApp() {
  driver = await new Builder()
    .usingServer(`http://127.0.0.1:${driverPort}/`)
    .withCapabilities({ browserName: 'wry', 'tauri:options': { application: app } })
    .build();
}

before(async () => {
  assert.ok(app, 'TOKENKEEPER_APP_BIN must name the built app');
  assert.ok(mint, 'TOKENKEEPER_MINT_BIN must name the fixture minter');
  execFileSync(mint, ['push', files.push, '120']);
  execFileSync(mint, ['vpp', files.vpp, '200', 'Acme Inc']);
  execFileSync(mint, ['vpp', files.soon, '5', 'Acme Harbour']);
  execFileSync(mint, ['vpp', files.opened, '300', 'Acme Riverside']);
  execFileSync(mint, ['vpp', files.byCli, '3', 'Beta Lakeside']);
  // The notification server a desktop would run (D-Bus activation would start it without the
  // display), and a system tray to hold TokenKeeper's icon in the screenshots.
  for (const [cmd, args] of [['dunst', []], ['trayer', ['--edge', 'top', '--align', 'right', '--widthtype', 'request', '--height', '28', '--transparent', 'false', '--tint', '0x404040']]]) {
    const p = spawn(cmd, args, { stdio: 'ignore' });
    p.on('error', () => {});
    helpers.push(p);
  }
  // The desktop's settings portal, saying dark before the window opens (the first test turns
  // it light for the others).
  portal = await startPortal(1);
  helpers.push(portal);
  monitor = spawn('dbus-monitor', ['--session', "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  monitor.stdout.on('data', (d) => (monitored += d.toString()));
  driverProcess = spawn('tauri-driver', ['--port', String(driverPort), '--native-port', String(driverPort + 1)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: appEnv,
  });
  await sleep(1500);
  await startApp();
});

after(async () => {
  await driver?.quit().catch(() => {});
  const left = await appEnded(app);
  if (left) console.log(`# ${left} app process(es) outlived the WebDriver session: killed`);
  driverProcess?.kill();
  monitor?.kill();
  for (const p of helpers) p.kill();
});

test("the window opens in the desktop's dark and follows the desktop to light (src-tauri/src/theme.rs)", async () => {
  const dark = () => driver.executeScript("return matchMedia('(prefers-color-scheme: dark)').matches");
  await waitText('Nothing to watch yet');
  assert.equal(await dark(), true, 'the portal said dark before the window showed');
  await shot('00-dark');
  portal.stdin.write('2\n');
  await driver.wait(async () => !(await dark()), 10000, 'the window stayed dark after the portal said light');
  portal.stdin.write('1\n');
  await driver.wait(dark, 10000, 'the window stayed light after the portal said dark');
  portal.stdin.write('0\n');
  await driver.wait(async () => !(await dark()), 10000, 'no preference is light');
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
  // The tray (trayer holds the icon under Xvfb) says all is well: green badge, no amber.
  assert.ok(await trayShows(BADGE.allWell), 'the tray icon shows the all-well badge');
  assert.equal(trayPixels(BADGE.attention), 0);
});


test('without a GPU the window is drawn without compositing (src-tauri/src/rendering.rs)', () => {
  const gpu = existsSync('/dev/dri') && readdirSync('/dev/dri').some((n) => n.startsWith('renderD'));
  const decided = process.env.WEBKIT_DISABLE_COMPOSITING_MODE !== undefined || process.env.TOKENKEEPER_COMPOSITING !== undefined;
  const env = webProcessEnv(app);
  if (!gpu && !decided && process.env.LIBGL_ALWAYS_SOFTWARE === undefined) assert.equal(env.get('WEBKIT_DISABLE_COMPOSITING_MODE'), '1');
  if (gpu && !decided && process.env.LIBGL_ALWAYS_SOFTWARE === undefined) assert.equal(env.get('WEBKIT_DISABLE_COMPOSITING_MODE'), undefined);
});

test("the page's code is optimised only once it runs hot (src-tauri/src/jit.rs)", () => {
  const switches = ['JSC_thresholdForOptimizeAfterWarmUp', 'JSC_thresholdForOptimizeAfterLongWarmUp', 'JSC_thresholdForOptimizeSoon'];
  const env = webProcessEnv(app);
  if (switches.some((name) => process.env[name] !== undefined)) {
    for (const name of switches) assert.equal(env.get(name), process.env[name]);
  } else {
    for (const name of switches) assert.equal(env.get(name), '20000', name);
  }
});

test('a wrong file on the APNs zone is named and routed', async () => {
  // A client with nothing yet, so its APNs zone is the empty one with its file picker.
  await fresh('#/clients');
  await clickButton('Add client');
  const name = await driver.wait(until.elementLocated(By.css('dialog[open] input[type="text"]')), 10000);
  await name.sendKeys('Beta Corp');
  await driver.findElement(By.xpath('//dialog[@open]//button[normalize-space(.)="Add client"]')).click();
  await driver.wait(until.elementLocated(By.xpath('//a[contains(., "Beta Corp")]')), 10000).click();
  await waitText('APNs push certificate');
  await click('[data-section="push_certificate"] [data-drop-zone] button');
  await pickInDialog(files.vpp);
  await waitText('This is an Apps and Books token');
  await shot('07-wrong-zone-routed');
});

test('a reminder due now arrives as a native notification, and not again after a restart', async () => {
  await fresh('#/clients/Acme%20Corp');
  await waitText('Apps and Books tokens');
  await click('[data-section="content_token"] [data-drop-zone] button');
  await pickInDialog(files.soon);
  await driver.wait(until.elementLocated(By.css('[data-testid="wizard"][data-step="review"]')), 20000);
  await click('[data-testid="save"]');
  await driver.wait(until.elementLocated(By.css('[data-testid="wizard"][data-step="saved"]')), 20000);
  await clickButton('Done');

  // Saving rang the scheduler: the reminder goes out at once, through the session bus.
  const deadline = Date.now() + 20000;
  while (!notifications().some((n) => n.summary.includes('Acme Corp')) && Date.now() < deadline) await sleep(200);
  const sent = notifications();
  assert.equal(sent.length, 1, `one notification: ${JSON.stringify(sent)}`);
  assert.equal(sent[0].app, 'TokenKeeper');
  assert.match(sent[0].summary, /Acme Corp/);
  assert.match(sent[0].summary, /Apps and Books/);
  assert.match(sent[0].body, /renew/i);
  assert.ok(await trayShows(BADGE.attention), 'the tray icon turns to attention');
  await driver.get('tauri://localhost/#/events');
  await waitText('notification sent');
  await shot('08-notification-logged');

  // Restart the app on the same database: the reminder was already sent.
  await driver.quit();
  // The first app gone before the second starts (else the second hands over to it and exits).
  if (await appEnded(app)) console.log('# the app outlived its WebDriver session: killed');
  await startApp();
  await waitText('Dashboard');
  await waitText('Harbour');
  await sleep(3000);
  assert.equal(notifications().length, 1, `no repeat after a restart: ${JSON.stringify(notifications())}`);
});

test('a file opened with a second launch goes to the running window, which asks to confirm it', async () => {
  await fresh('#/');
  await waitText('Dashboard');
  const second = spawn(app, [files.opened], { env: appEnv, stdio: 'ignore' });
  const code = await new Promise((resolveExit, reject) => {
    const timer = setTimeout(() => reject(new Error('the second launch did not hand over and exit')), 20000);
    second.on('exit', (c) => {
      clearTimeout(timer);
      resolveExit(c);
    });
  });
  assert.equal(code, 0, 'the second instance exits once the first has the file');
  // No client holds this organisation yet: the running window asks whose it is, then confirms.
  await waitText('Riverside');
  await shot('09-opened-file-whose-is-it');
  await driver.wait(until.elementLocated(By.xpath('//dialog[@open]//label[contains(., "Acme Corp")]//input[@type="radio"]')), 10000).click();
  await clickButton('Continue');
  await driver.wait(until.elementLocated(By.css('[data-testid="wizard"][data-step="review"]')), 20000);
  await shot('10-opened-file-confirm');
});

test('a change made by the command line wakes the running app: its reminder follows within a minute', async () => {
  assert.ok(cli, 'TOKENKEEPER_CLI_BIN must name the tokenkeeper command line');
  const before = notifications().length;
  execFileSync(cli, ['import', '--db', db, '--client', 'Beta Corp', files.byCli], { env: appEnv });
  // No bell rings for another process: the scheduler notices the database's data version at its
  // next look, at most a minute away.
  const deadline = Date.now() + 90000;
  while (!notifications().some((n) => n.summary.includes('Beta Corp')) && Date.now() < deadline) await sleep(500);
  const beta = notifications().slice(before);
  assert.equal(beta.length, 1, `one notification for the new token: ${JSON.stringify(beta)}`);
  assert.match(beta[0].summary, /Beta Corp/);
  // And the window reloads on its own.
  await waitText('Lakeside', 20000);
  await shot('11-changed-by-the-command-line');
});

async function typeInto(css, text) {
  const el = await driver.wait(until.elementLocated(By.css(css)), 10000, `${css} never appeared`);
  await el.clear();
  await el.sendKeys(text);
}

test('Settings → Channels: a webhook added through the form, an e-mail channel from the command line; a test delivered, one failing; no secret in the window', async () => {
  assert.ok(cli, 'TOKENKEEPER_CLI_BIN must name the tokenkeeper command line');
  // A webhook receiver on this computer, and an SMTP port nobody listens on.
  const posts = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      posts.push({ url: req.url, headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise((ok) => receiver.listen(0, '127.0.0.1', () => ok(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (receiver.address());
  const smtpPort = await closedPort();
  const token = 'webdriver-SECRET-token-5150';
  const signing = 'webdriver-SECRET-signing-1984';
  const password = 'webdriver-SECRET-password-2112';
  try {
    execFileSync(
      cli,
      ['channel', 'add', 'NOC e-mail', '--db', db, '--smtp', `smtp://alerts@127.0.0.1:${smtpPort}`, '--from', 'tokenkeeper@msp.example', '--to', 'noc@msp.example,dana@msp.example'],
      { env: { ...appEnv, TOKENKEEPER_SMTP_PASSWORD: password } },
    );

    await fresh('#/settings');
    await driver.wait(until.elementLocated(By.css('[data-name="NOC e-mail"]')), 15000, 'the channel added by the command line is listed');
    await click('[data-testid="add-channel"]');
    await click('[data-testid="channel-kind-webhook"]');
    await typeInto('[data-testid="channel-name"]', 'Ticketing');
    await typeInto('[data-testid="channel-url"]', `http://127.0.0.1:${port}/hooks/${token}`);
    await typeInto('[data-testid="channel-signing-key"]', signing);
    await click('[data-testid="channel-save"]');
    await driver.wait(until.elementLocated(By.css('[data-name="Ticketing"]')), 15000, 'the webhook channel is listed');
    assert.equal(await driver.findElement(By.css('[data-name="Ticketing"] [data-testid="channel-target"]')).getText(), `http://127.0.0.1:${port}`);

    // The webhook delivers, signed; the e-mail fails twice and shows as failing, with why.
    await click('[data-name="Ticketing"] [data-testid="channel-test"]');
    await driver.wait(until.elementLocated(By.css('[data-name="Ticketing"][data-condition="working"]')), 30000, 'the webhook test is delivered');
    const test = posts.find((p) => p.url === `/hooks/${token}`);
    assert.ok(test, `the receiver got the test: ${JSON.stringify(posts.map((p) => p.url))}`);
    assert.match(String(test.headers['x-tokenkeeper-signature']), /\S/);
    for (let attempt = 1; attempt <= 2; attempt++) {
      await click('[data-name="NOC e-mail"] [data-testid="channel-test"]');
      await driver.wait(until.elementLocated(By.css('[data-name="NOC e-mail"] [data-testid="channel-test-result"]')), 30000);
      await driver.wait(until.elementLocated(By.css('[data-name="NOC e-mail"] [data-testid="channel-test"]:not([disabled])')), 30000);
    }
    await driver.wait(until.elementLocated(By.css('[data-name="NOC e-mail"][data-condition="failing"]')), 30000, 'the e-mail channel shows as failing');
    const failure = await driver.findElement(By.css('[data-name="NOC e-mail"] [data-testid="channel-test-result"]')).getText();
    assert.match(failure, /^Failing: \d+ attempts in a row failed\.\s+The test message to "NOC e-mail" failed: /);

    const source = await driver.getPageSource();
    for (const secret of [token, signing, password]) assert.ok(!source.includes(secret), `the window shows ${secret}`);
    // The picture shows the channels alone: the toasts dismissed, the desktop's notifications
    // (the scheduler's reminders) closed, the section at the top of the window.
    await driver.executeScript(`
      for (const b of document.querySelectorAll('.toasts button[aria-label="Dismiss"]')) b.click();
      document.querySelector('[data-testid="channels"]').scrollIntoView({ block: 'start' });
      document.scrollingElement.scrollBy(0, -16);
      for (const el of document.querySelectorAll('main, .main, [data-scroll]')) el.scrollBy?.(0, -16);
    `);
    try {
      execFileSync('dunstctl', ['close-all']);
    } catch {
      // No dunst control here: the notification stays in the picture.
    }
    await shot('12-settings-channels');
  } finally {
    receiver.close();
  }
});
