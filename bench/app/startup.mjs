// Cold start to an interactive window, and idle memory, of TokenKeeper against a bare Tauri
// window built in the same run with the same Tauri (bench/bare-window). Both are started the
// same way, through tauri-driver and WebKitWebDriver, under the same Xvfb: the time runs from
// asking for the window to the first element a user can act on (TokenKeeper: the first row of
// its dashboard over 10,000 credentials; the bare window: its heading). Memory is the PSS of
// the app and every process it started (WebKit's web and network processes), after 10 s idle.
// Runs alternate between the two apps so that drift on the machine hits both alike.
//
//   node bench/app/startup.mjs   (run by scripts/app-bench.sh, which builds and sets the paths)

import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Builder, By, until } from 'selenium-webdriver';

const RUNS = Number(process.env.TK_BENCH_RUNS || 7);
const IDLE_MS = Number(process.env.TK_BENCH_IDLE_MS || 10000);
const seeded = process.env.TOKENKEEPER_BENCH_DB;
const EMPTY = process.env.TK_BENCH_EMPTY === '1';
const apps = [
  { name: 'TokenKeeper', bin: process.env.TOKENKEEPER_APP_BIN, ready: EMPTY ? '[data-autofocus]' : '[data-testid="credential-list"] a.row' },
  { name: 'bare Tauri window', bin: process.env.TOKENKEEPER_BARE_BIN, ready: '#ready' },
];
for (const a of apps) if (!a.bin) throw new Error(`no binary for ${a.name}: run scripts/app-bench.sh`);
if (!seeded) throw new Error('TOKENKEEPER_BENCH_DB must name the seeded 10,000-credential database');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Every process id with its parent, from /proc. */
function processes() {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let exe = '';
      try {
        exe = readlinkSync(`/proc/${d}/exe`);
      } catch {}
      out.push({ pid: Number(d), ppid, exe });
    } catch {}
  }
  return out;
}

/** PSS in KiB of the app whose binary is `bin` and of all its descendants. */
function pssOfTree(bin) {
  const all = processes();
  const real = realpathSync(bin);
  const root = all.find((p) => p.exe === real);
  if (!root) throw new Error(`${bin} is not running`);
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const p of all) if (p.ppid === tree[i].pid) tree.push(p);
  let kib = 0;
  const parts = [];
  for (const p of tree) {
    const rollup = readFileSync(`/proc/${p.pid}/smaps_rollup`, 'utf8');
    const pss = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    kib += pss;
    parts.push(`${readFileSync(`/proc/${p.pid}/comm`, 'utf8').trim()} ${(pss / 1024).toFixed(0)}`);
  }
  return { kib, processes: tree.length, parts: parts.join(', ') };
}

async function once(app, env) {
  const start = performance.now();
  const driver = await new Builder()
    .usingServer('http://127.0.0.1:4445/')
    .withCapabilities({ browserName: 'wry', 'tauri:options': { application: app.bin } })
    .build();
  try {
    await driver.wait(until.elementLocated(By.css(app.ready)), 120000);
    const ms = performance.now() - start;
    await sleep(IDLE_MS);
    const mem = pssOfTree(app.bin);
    return { ms, kib: mem.kib, processes: mem.processes, parts: mem.parts };
  } finally {
    await driver.quit();
    await sleep(500);
  }
}

const work = mkdtempSync(join(tmpdir(), 'tk-app-bench-'));
const results = Object.fromEntries(apps.map((a) => [a.name, []]));
for (let run = 0; run < RUNS; run++) {
  for (const app of run % 2 ? [...apps].reverse() : apps) {
    // A fresh copy of the data each time: the app records state changes and reminders.
    const db = join(work, `run-${run}.db`);
    copyFileSync(seeded, db);
    const driverProcess = spawn('tauri-driver', ['--port', '4445', '--native-port', '4446'], {
      stdio: 'ignore',
      env: { ...process.env, TOKENKEEPER_DB: db },
    });
    await sleep(800);
    try {
      const r = await once(app);
      results[app.name].push(r);
      console.log(`${app.name.padEnd(18)} run ${run + 1}: ${r.ms.toFixed(0)} ms to interactive, ${(r.kib / 1024).toFixed(1)} MiB PSS idle (${r.parts} MiB)`);
    } finally {
      driverProcess.kill();
      await sleep(300);
    }
  }
}

const summary = {};
for (const [name, rs] of Object.entries(results)) {
  summary[name] = { start_ms: median(rs.map((r) => r.ms)), pss_mib: median(rs.map((r) => r.kib)) / 1024 };
}
const tk = summary.TokenKeeper;
const bare = summary['bare Tauri window'];
const startRatio = tk.start_ms / bare.start_ms;
const memRatio = tk.pss_mib / bare.pss_mib;
console.log('\nmedians over', RUNS, 'runs each:');
console.log(`  TokenKeeper (10,000 credentials): ${tk.start_ms.toFixed(0)} ms to interactive, ${tk.pss_mib.toFixed(1)} MiB PSS idle`);
console.log(`  bare Tauri window:                ${bare.start_ms.toFixed(0)} ms to interactive, ${bare.pss_mib.toFixed(1)} MiB PSS idle`);
console.log(`  ratio: start ${startRatio.toFixed(2)}x, memory ${memRatio.toFixed(2)}x (goal: 1.3x or less)`);

