// What the browser flows need: the built UI served from ui/dist, Debian's Chromium driven by
// playwright-core, and Tauri's IPC mocked in the page (the ESM build of @tauri-apps/api/mocks,
// turned into an init script) over the fake backend.

import { readFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
export const uiDir = resolve(here, '..');
export const distDir = join(uiDir, 'dist');
export const artifactsDir = resolve(uiDir, '..', 'artifacts', 'ui');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** Serves ui/dist on a free loopback port. */
export async function serve(dir = distDir) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    if (path.endsWith('/')) path += 'index.html';
    const file = join(dir, path);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(() => ok(undefined))) };
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

let initScript = null;

/** The IPC mock and the fake backend as one script that runs before the app in every page. */
async function mockScript() {
  if (initScript) return initScript;
  const mocksPath = fileURLToPath(import.meta.resolve('@tauri-apps/api/mocks'));
  const esm = await readFile(mocksPath, 'utf8');
  const exported = /export\s*\{([^}]*)\};?\s*$/m;
  const names = exported.exec(esm)?.[1];
  if (!names) throw new Error(`unexpected shape of ${mocksPath}: no export list`);
  const mocks = `(function(){${esm.replace(exported, '')}\nwindow.__TAURI_MOCKS__ = {${names}};})();`;
  const fake = await Promise.all(['fake-apple.js', 'fake-bulk.js', 'fake-backend.js'].map((f) => readFile(join(here, f), 'utf8'))).then((parts) => parts.join('\n'));
  initScript = `${mocks}\n${fake}\n(function(){
    const config = window.__TK_CONFIG__ || {};
    window.__TAURI_MOCKS__.mockWindows('main');
    window.__TAURI_MOCKS__.mockIPC(window.__tkFakeBackend(config), { shouldMockEvents: true });
  })();`;
  return initScript;
}

/**
 * A page of the app with the given backend data.
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @param {object} config  fake backend: clients, credentials, files, picks, bulk
 * @param {{colorScheme?: 'light'|'dark', width?: number, height?: number, hash?: string, zoom?: number, reducedMotion?: 'reduce'|'no-preference', init?: string}} [opts]
 *   zoom: the browser zoom a user sets (2 = 200%): the page gets the viewport divided by it, and
 *   pixels that many times denser, as Chromium's own zoom does
 *   init: a script of the caller's own that runs before the app (the benchmark's probes)
 */
export async function openApp(browser, url, config, opts = {}) {
  const zoom = opts.zoom ?? 1;
  const context = await browser.newContext({
    viewport: { width: Math.round((opts.width ?? 1280) / zoom), height: Math.round((opts.height ?? 820) / zoom) },
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: opts.reducedMotion ?? 'no-preference',
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    deviceScaleFactor: zoom,
  });
  if (opts.init) await context.addInitScript({ content: opts.init });
  await context.addInitScript({ content: `window.__TK_CONFIG__ = ${JSON.stringify(config)};` });
  await context.addInitScript({ content: await mockScript() });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url + (opts.hash ?? ''));
  return { page, context, errors };
}

/** Emits Tauri's native drop event at the centre of an element (or at a point). */
export async function dropFile(page, target, paths) {
  let x;
  let y;
  if (typeof target === 'string') {
    const box = await page.locator(target).first().boundingBox();
    if (!box) throw new Error(`nothing to drop on: ${target}`);
    x = box.x + box.width / 2;
    y = box.y + box.height / 2;
  } else {
    ({ x, y } = target);
  }
  await page.evaluate(
    async ({ paths, x, y }) => {
      const ratio = window.devicePixelRatio || 1;
      const position = { x: x * ratio, y: y * ratio };
      const emit = (event, payload) => /** @type {any} */ (window).__TAURI_INTERNALS__.invoke('plugin:event|emit', { event, payload });
      await emit('tauri://drag-enter', { paths, position });
      await emit('tauri://drag-over', { position });
      await emit('tauri://drag-drop', { paths, position });
    },
    { paths, x, y },
  );
}

/** Commands the page sent, optionally of one name. */
export async function calls(page, cmd) {
  const all = await page.evaluate(() => /** @type {any} */ (window).__tkCalls);
  return cmd ? all.filter((c) => c.cmd === cmd) : all;
}

/** Screenshots in the light scheme, then the dark one (the page is left light). */
export async function both(page, name, opts = {}) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    // Buttons fade their colours in 120 ms: let the switch settle before each picture.
    await page.waitForTimeout(250);
    await shot(page, `${name}-${scheme}`, opts);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Waits for the renewal wizard to reach a step. */
export async function step(page, value) {
  await page.locator(`[data-testid="wizard"][data-step="${value}"]`).waitFor();
}

export async function shot(page, name, opts = {}) {
  await mkdir(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, ...opts });
  return path;
}

/**
 * The built UI served and Chromium started once for a test file (before its first test, closed
 * after its last): `env.browser`, `env.server.url`.
 */
export function sharedBrowser() {
  const env = /** @type {{browser: import('playwright-core').Browser, server: {url: string, close: () => Promise<unknown>}}} */ ({});
  before(async () => {
    env.server = await serve();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
