// What the real-window tests need of the desktop around the window: the GTK file picker
// answered, the app's WebKit process found under /proc, a settings portal saying light or
// dark, a loopback port nothing listens on.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { sleep } from './window.mjs';

/** Answers the real GTK file picker: focus it, type the path, press Enter. */
export async function pickInDialog(path) {
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

/** The processes running the app's binary `app` (its pids, as strings). */
export function appProcesses(app) {
  const exe = realpathSync(app);
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((p) => {
      try {
        return readlinkSync(`/proc/${p}/exe`) === exe;
      } catch {
        return false;
      }
    });
}

/**
 * Waits up to `ms` for every process of the app's binary to end (WebKitWebDriver kills the app
 * it started once its session is deleted, a moment after answering), then kills what is left
 * and says how many that was. A test's window must not outlive it: the app inherits the test
 * runner's output, and one left running keeps the runner waiting for ever.
 */
export async function appEnded(app, ms = 10000) {
  const deadline = Date.now() + ms;
  while (appProcesses(app).length && Date.now() < deadline) await sleep(100);
  const left = appProcesses(app);
  for (const pid of left) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Ended meanwhile.
    }
  }
  return left.length;
}

/** The environment WebKit's web process of the running app (binary `app`) started with. */
export function webProcessEnv(app) {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const parent = (pid) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  const appPid = appProcesses(app)[0];
  assert.ok(appPid, 'the app is running');
  const web = procs.find((p) => {
    try {
      return parent(p) === Number(appPid) && readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('WebKitWebProces');
    } catch {
      return false;
    }
  });
  assert.ok(web, 'the app started a WebKit web process');
  return new Map(
    readFileSync(`/proc/${web}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

/**
 * The desktop's settings portal (fake-portal.py) on the session bus, saying `scheme` (0 no
 * preference, 1 dark, 2 light) until told otherwise: write a scheme and a newline to its stdin.
 */
export async function startPortal(scheme) {
  const portal = spawn('/usr/bin/python3', [join(import.meta.dirname, 'fake-portal.py'), String(scheme)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise((ready, failed) => {
    portal.stdout.on('data', (d) => /ready/.test(d.toString()) && ready());
    portal.on('exit', (code) => failed(new Error(`the fake settings portal ended (${code})`)));
  });
  return portal;
}

/** A loopback port nothing listens on (bound, then let go). */
export async function closedPort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((ok) => server.close(() => ok(undefined)));
  return port;
}
