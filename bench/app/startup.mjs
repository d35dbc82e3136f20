// Cold start to an interactive window, and idle memory, of TokenKeeper against a bare Tauri
// window built in the same run with the same Tauri (bench/bare-window). Both are started the
// same way, through tauri-driver and WebKitWebDriver, under the same Xvfb: the time runs from
// asking for the window to the first element a user can act on (TokenKeeper: the first row of
// its dashboard over 10,000 credentials; the bare window: its heading). Memory is the PSS of
// the app and every process it started (WebKit's web and network processes), after 10 s idle.
// Runs alternate between the apps so that drift on the machine hits them alike. TokenKeeper's
// memory is read again once it has been used (searched, scrolled, the Clients page opened and
// left), TK_BENCH_USED_WAIT_MS after (3 s by default).
//
// The floor page (the bare window opening bench/bare-window/dist/floor.html) is started the
// same way and takes the same keystrokes as TokenKeeper's search: each asks its shell for rows
// over IPC and rewrites 17 rows of text, with no framework. Its keystrokes are what WebKitGTK
// and Tauri need at least on this machine, printed beside TokenKeeper's. (Its first render is
// not a floor: its rows come before its window is shown, and its frames wait for that.)
//
//   node bench/app/startup.mjs   (run by scripts/app-bench.sh, which builds and sets the paths)

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder, By, until } from 'selenium-webdriver';

const RUNS = Number(process.env.TK_BENCH_RUNS || 7);
const IDLE_MS = Number(process.env.TK_BENCH_IDLE_MS || 10000);
// How long after use (searching, scrolling, the Clients page) the memory is read again.
const USED_WAIT_MS = Number(process.env.TK_BENCH_USED_WAIT_MS || 3000);
const seeded = process.env.TOKENKEEPER_BENCH_DB;
const EMPTY = process.env.TK_BENCH_EMPTY === '1';
const apps = [
  // `compared`: its start and idle memory go into the ratio; `page`: its own marks are read;
  // `keys`: it takes the search keystrokes.
  { name: 'TokenKeeper', bin: process.env.TOKENKEEPER_APP_BIN, ready: EMPTY ? '[data-autofocus]' : '[data-testid="credential-list"] a.row', compared: true, page: true, keys: !EMPTY },
  { name: 'bare Tauri window', bin: process.env.TOKENKEEPER_BARE_BIN, ready: '#ready', compared: true },
];
// TK_BENCH_AGAINST=/path/to/another/tokenkeeper-app: a second build of TokenKeeper, run in the
// same rounds and measured the same way, to tell two builds apart on this noisy machine (its
// figures are printed beside the first build's; the bare window's ratio is the first build's).
const AGAINST = 'TokenKeeper (against)';
if (process.env.TK_BENCH_AGAINST) {
  apps.push({ ...apps[0], name: AGAINST, bin: process.env.TK_BENCH_AGAINST, compared: false, against: true });
}
// The floor of a keystroke: the bare window's floor page (see bench/bare-window), started like
// the others; only its keystrokes are measured.
const FLOOR = 'floor page';
if (!EMPTY) {
  apps.push({ name: FLOOR, bin: process.env.TOKENKEEPER_BARE_BIN, ready: '[data-testid="credential-list"] .row:not([hidden])', env: { TOKENKEEPER_BARE_PAGE: 'floor.html' }, keys: true });
}
// The bare window and the floor page are drawn as TokenKeeper was drawn in its first run (the
// round not counted), so that they differ from it by their page and shell alone. TokenKeeper turns
// WebKit's compositing off where no GPU can be used (src-tauri/src/rendering.rs); the bare window
// left to WebKit's default composites on Mesa's software OpenGL there, another way of drawing
// with other costs. TK_BENCH_BARE=stock leaves them to WebKit's default. A build measured against
// (TK_BENCH_AGAINST) chooses for itself.
const SAME_DRAWING = process.env.TK_BENCH_BARE !== 'stock';
let drawing = null;
for (const a of apps) if (!a.bin) throw new Error(`no binary for ${a.name}: run scripts/app-bench.sh`);
if (!seeded) throw new Error('TOKENKEEPER_BENCH_DB must name a seeded database (scripts/app-bench.sh)');
const SIZE = process.env.TK_BENCH_SIZE === '100k' ? '100,000' : '10,000';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The 90th percentile of `xs` (undefined when empty). */
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
/** How many frame intervals missed a frame at 60 fps. */
const longFrames = (frames) => frames.filter((f) => f > 20).length;

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

/** The running app whose binary is `bin`, then every process under it. */
function treeOf(bin) {
  const all = processes();
  const real = realpathSync(bin);
  const root = all.find((p) => p.exe === real);
  if (!root) throw new Error(`${bin} is not running`);
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const p of all) if (p.ppid === tree[i].pid) tree.push(p);
  return tree;
}

/**
 * How the running app `bin` is drawn: the compositing switch its WebKit web process started with
 * (the app sets it for itself, and its web process inherits it), as an environment to start the
 * others with.
 */
function drawingOf(bin) {
  for (const p of treeOf(bin).slice(1)) {
    if (!readFileSync(`/proc/${p.pid}/comm`, 'utf8').startsWith('WebKitWebProces')) continue;
    const set = readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').find((kv) => kv.startsWith('WEBKIT_DISABLE_COMPOSITING_MODE='));
    return set ? { WEBKIT_DISABLE_COMPOSITING_MODE: set.slice(set.indexOf('=') + 1) } : {};
  }
  throw new Error(`${bin} started no WebKit web process`);
}

/** PSS in KiB of the app whose binary is `bin` and of all its descendants. */
function pssOfTree(bin) {
  const tree = treeOf(bin);
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

/** When the process `pid` started, in ms since the epoch (to the kernel's 10 ms tick). */
function startedAt(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Date.now() - uptime * 1000 + ticks * 10;
}

/** What the page measured itself (ms from navigation start): its marks and load events. */
const PAGE_TIMES = `
  const n = performance.getEntriesByType('navigation')[0];
  const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  return { script: mark('tk:main'), mounted: mark('tk:mounted'), dom_ready: n?.domContentLoadedEventEnd ?? null, data_in: mark('tk:credentials-loaded'), rows_rendered: mark('tk:dashboard-rendered'), painted: mark('tk:dashboard-painted') };`;

/**
 * Keystrokes of search in the real window, typed into the focused search field: from the input
 * event to the list showing the answer for that text (the shell's index searched over IPC, the
 * rows rendered and laid out).
 */
const KEYSTROKES = `
  const done = arguments[arguments.length - 1];
  const texts = ['c', 'cl', 'cli', 'clie', 'client 00', 'client 004', 'client 0042', 'client 004', 'client', 'dental', 'com.apple', ''];
  // Waits for the list to show the answer for \`text\` without spinning: a loop of tasks would keep
  // a core busy while the shell answers, and this machine has two.
  const shown = (text) => new Promise((ok) => {
    const showing = () => document.getElementById('credentials-panel')?.dataset.search === text;
    if (showing()) return ok();
    const watch = new MutationObserver(() => { if (showing()) { watch.disconnect(); ok(); } });
    watch.observe(document.body, { attributes: true, attributeFilter: ['data-search'], subtree: true });
  });
  (async () => {
    const input = document.getElementById('search');
    // Typed into as a user types, with the field focused: WebKitGTK repaints a focused field's
    // change at greater cost (without compositing, 13 ms against 8 on the floor page here).
    input.focus();
    const out = [];
    const answers = [];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) {
        await new Promise((ok) => setTimeout(ok, 30));
        const start = performance.now();
        input.value = text;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await shown(text);
        void document.querySelector('[data-testid="credential-list"]')?.offsetHeight;
        out.push(performance.now() - start);
        // TokenKeeper's page measures how long its shell took to answer (the floor page does not).
        const answer = performance.getEntriesByName('tk:dashboard-answer').at(-1);
        if (answer) answers.push(answer.duration);
      }
    }
    return { out, answers };
  })().then(done, (e) => done(String(e)));`;

/**
 * Scrolling the dashboard in the real window, frame by frame: for two seconds each, a fast
 * mouse wheel (three rows a frame) and a drag of the scrollbar through the whole list (1/240 of
 * it a frame, every frame in rows the page does not hold yet). Each frame's interval, and how
 * many frames found a row still waiting for its data in view.
 */
const SCROLLING = `
  const done = arguments[arguments.length - 1];
  const list = document.querySelector('[data-testid="credential-list"]');
  const run = (step, ms) => new Promise((ok) => {
    list.scrollTop = 0;
    const frames = [];
    let waiting = 0;
    let last = null;
    let end = null;
    const frame = (t) => {
      if (last !== null) frames.push(t - last);
      last = t;
      end ??= t + ms;
      const view = list.getBoundingClientRect();
      const shown = (el) => { const r = el.getBoundingClientRect(); return r.bottom > view.top && r.top < view.bottom; };
      if ([...list.querySelectorAll('.row.loading')].some(shown)) waiting++;
      list.scrollTop += step(list);
      if (t < end) requestAnimationFrame(frame);
      else ok({ frames, waiting });
    };
    requestAnimationFrame(frame);
  });
  (async () => {
    const row = list.querySelector('a.row')?.offsetHeight || 64;
    const wheel = await run(() => 3 * row, 2000);
    const drag = await run((l) => l.scrollHeight / 240, 2000);
    list.scrollTop = 0;
    return { wheel, drag };
  })().then(done, (e) => done(String(e)));`;

// Opening the Clients page from the dashboard until its rows are drawn and a frame has passed,
// three times (the list of clients is fetched each time: the dashboard does not hold it).
const CLIENTS_PAGE = `const done = arguments[arguments.length - 1];
  (async () => {
    const out = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      location.hash = '#/clients';
      while (!document.querySelector('ul.clients a.client')) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      out.push(performance.now() - t0);
      location.hash = '#/';
      while (!document.querySelector('[data-testid="credential-list"] a.row')) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, 500));
    }
    return out;
  })().then(done, (e) => done(String(e)));`;

async function once(app) {
  const start = performance.now();
  const driver = await new Builder()
    .usingServer('http://127.0.0.1:4445/')
    .withCapabilities({ browserName: 'wry', 'tauri:options': { application: app.bin } })
    .build();
  try {
    // Polled every 10 ms (selenium polls every 200 ms by default: too coarse for a start of 500 ms).
    await driver.wait(until.elementLocated(By.css(app.ready)), 120000, undefined, 10);
    const ms = performance.now() - start;
    // Where the time went: the process's own start (before its page loads) and the page's.
    const origin = await driver.executeScript('return [performance.timeOrigin, performance.now()]');
    const root = processes().find((p) => p.exe === realpathSync(app.bin));
    const split = root ? { native: origin[0] - startedAt(root.pid), page: origin[1] } : null;
    const measured = app.compared || app.against;
    await sleep(measured ? IDLE_MS : 2000);
    // Read once the page is idle: its last mark (painted) comes a frame after the row is found.
    const page = app.page ? await driver.executeScript(PAGE_TIMES) : null;
    const mem = measured ? pssOfTree(app.bin) : null;
    // TokenKeeper's first run says how the others are drawn.
    if (app.page && !app.against && SAME_DRAWING && !drawing) {
      drawing = drawingOf(app.bin);
      for (const other of apps) if (other !== app && !other.against) other.env = { ...other.env, ...drawing };
    }
    const typed = app.keys ? await driver.executeAsyncScript(KEYSTROKES) : null;
    const scrolled = app.page ? await driver.executeAsyncScript(SCROLLING) : null;
    if (typeof scrolled === 'string') throw new Error(`scrolling: ${scrolled}`);
    if (typeof typed === 'string') throw new Error(`keystrokes: ${typed}`);
    const clients = app.page && !EMPTY ? await driver.executeAsyncScript(CLIENTS_PAGE) : null;
    if (typeof clients === 'string') throw new Error(`clients page: ${clients}`);
    // Memory once used: after the searches, the scrolling and the Clients page, back on the
    // dashboard and idle again (the code and data those touched stay resident).
    let used = null;
    if (measured && app.page && !EMPTY) {
      await sleep(USED_WAIT_MS);
      used = pssOfTree(app.bin);
    }
    return { ms, mem, used, page, keys: typed?.out ?? null, answers: typed?.answers ?? [], scrolled, split, clients };
  } finally {
    await driver.quit();
    await sleep(500);
  }
}

/**
 * Drops a binary's file from the page cache (written back first), so that it is read back from
 * disk by the run that follows. How a file came into the cache changes how much of it a process
 * keeps mapped: a binary just built or copied kept 4.0-4.3 MiB of its code resident at rest, the
 * same file read back from disk 3.1-3.3 (smaps, 10,000 credentials). A freshly built TokenKeeper
 * against an older bare window would otherwise carry up to 1 MiB more for that reason alone.
 */
function readBackFromDisk(bin) {
  execFileSync('sync', [bin]);
  execFileSync('dd', [`if=${bin}`, 'iflag=nocache', 'count=0', 'status=none']);
}

const work = mkdtempSync(join(tmpdir(), 'tk-app-bench-'));
const results = Object.fromEntries(apps.map((a) => [a.name, []]));
// Every binary read back from disk, then a round that is not counted: the runs that count find
// their binaries in the page cache as a second start after boot would.
for (const bin of new Set(apps.map((a) => realpathSync(a.bin)))) readBackFromDisk(bin);
for (let run = -1; run < RUNS; run++) {
  for (const app of run % 2 ? [...apps].reverse() : apps) {
    // A fresh copy of the data each time: the app records state changes and reminders.
    const db = join(work, `run-${run}.db`);
    copyFileSync(seeded, db);
    const driverProcess = spawn('tauri-driver', ['--port', '4445', '--native-port', '4446'], {
      stdio: 'ignore',
      env: { ...process.env, TOKENKEEPER_DB: db, ...app.env },
    });
    await sleep(800);
    try {
      const r = await once(app);
      if (run < 0) {
        console.log(`${app.name.padEnd(18)} not counted: its binary read back from disk`);
        continue;
      }
      results[app.name].push(r);
      const split = r.split ? ` [process start -> page load ${r.split.native.toFixed(0)} ms, page ${r.split.page.toFixed(0)} ms when found]` : '';
      const used = r.used ? `; after use ${(r.used.kib / 1024).toFixed(1)} MiB (${r.used.parts} MiB)` : '';
      const mem = r.mem ? `, ${(r.mem.kib / 1024).toFixed(1)} MiB PSS idle (${r.mem.parts} MiB)${used}` : '';
      console.log(`${app.name.padEnd(18)} run ${run + 1}: ${r.ms.toFixed(0)} ms to interactive${split}${mem}`);
    } finally {
      driverProcess.kill();
      await sleep(300);
      // A copy of the 100,000-credential vault is 240 MB: one at a time on the disk.
      rmSync(db, { force: true });
      rmSync(`${db}-wal`, { force: true });
      rmSync(`${db}-shm`, { force: true });
    }
  }
}
rmSync(work, { recursive: true, force: true });

const tkRuns = results.TokenKeeper;
const pageTimes = tkRuns.map((r) => r.page).filter(Boolean);
if (pageTimes.length) {
  const m = (k) => median(pageTimes.map((p) => p[k] ?? NaN)).toFixed(0);
  console.log(`\nTokenKeeper's page, medians, ms from navigation start: script runs ${m('script')}, window mounted ${m('mounted')}, DOM ready ${m('dom_ready')}, first rows in ${m('data_in')}, rows rendered ${m('rows_rendered')}, painted ${m('painted')}`);
}
/** The keystrokes' figures: median, 90th percentile, worst, and how many were under 16 ms. */
function keystrokes(runs) {
  const keys = runs.flatMap((r) => r.keys ?? []);
  if (!keys.length) return null;
  return { n: keys.length, median: median(keys), p90: p90(keys), worst: Math.max(...keys), under16: keys.filter((k) => k < 16).length };
}
const describeKeys = (k) => `${k.n}: median ${k.median.toFixed(1)} ms, 90th percentile ${k.p90.toFixed(1)} ms, worst ${k.worst.toFixed(1)} ms, ${k.under16}/${k.n} under 16 ms`;
const tkKeys = keystrokes(tkRuns);
const floorKeys = keystrokes(results[FLOOR] ?? []);
if (tkKeys) console.log(`keystrokes of search in the real window (input -> shell's answer rendered and laid out), ${describeKeys(tkKeys)}`);
const answers = tkRuns.flatMap((r) => r.answers ?? []);
if (answers.length) console.log(`  of which the shell's answer as the page saw it (IPC both ways and the index's search), ${answers.length}: median ${median(answers).toFixed(1)} ms`);
if (floorKeys) {
  console.log(`the same keystrokes on the floor page (one IPC round trip, 17 rows of text rewritten, no framework), ${describeKeys(floorKeys)}`);
  if (tkKeys) console.log(`  TokenKeeper against the floor: median ${(tkKeys.median / floorKeys.median).toFixed(2)}x, 90th percentile ${(tkKeys.p90 / floorKeys.p90).toFixed(2)}x`);
}

const usedPss = tkRuns.map((r) => r.used?.kib).filter(Boolean);
if (usedPss.length) console.log(`TokenKeeper's PSS after use (searched, scrolled, the Clients page opened and left), ${usedPss.length} runs: median ${(median(usedPss) / 1024).toFixed(1)} MiB, against ${(median(tkRuns.map((r) => r.mem.kib)) / 1024).toFixed(1)} MiB idle before`);
const opens = tkRuns.flatMap((r) => r.clients ?? []);
if (opens.length) console.log(`opening the Clients page from the dashboard until its rows are drawn, ${opens.length}: median ${median(opens).toFixed(0)} ms, worst ${Math.max(...opens).toFixed(0)} ms`);

const scrolls = tkRuns.map((r) => r.scrolled).filter(Boolean);
for (const how of ['wheel', 'drag']) {
  const frames = scrolls.flatMap((s) => s[how].frames);
  if (!frames.length) continue;
  // Intervals, not a count of callbacks: WebKitGTK without compositing runs animation frames
  // more often than a 60 Hz display draws, so callbacks a second overstate the frame rate.
  const long = longFrames(frames);
  const waiting = scrolls.reduce((n, s) => n + s[how].waiting, 0);
  const what = how === 'wheel' ? 'scrolling with a fast wheel (3 rows a frame)' : 'dragging the scrollbar through the list (1/240 of it a frame)';
  console.log(`${what}, ${frames.length} frames: median ${median(frames).toFixed(1)} ms, 90th percentile ${p90(frames).toFixed(1)} ms, ${long} longer than 20 ms (a frame missed at 60 fps); ${waiting} with a row waiting for its data in view`);
}

const summary = {};
for (const app of apps.filter((a) => a.compared)) {
  const rs = results[app.name];
  summary[app.name] = { start_ms: median(rs.map((r) => r.ms)), pss_mib: median(rs.map((r) => r.mem.kib)) / 1024 };
}
/**
 * How much of src-tauri/symbol-order.txt a build's binary still holds. Release builds lay out the
 * functions it lists side by side (src-tauri/build.rs); a name the linker no longer finds (the
 * code changed, or LTO numbered a local copy differently) is laid out anywhere, and the kernel
 * maps 64 KiB of the binary around each page that runs. Measured at rest, the binary's file
 * dropped from the page cache first: a build with one small module more, which lost 14 of the
 * 2,310 names, kept 3.9 MiB of its code resident against 3.2 (build.rs now looks for such names
 * renumbered). A binary just written (built or copied) keeps up to 1 MiB more of its code resident
 * than the same file read back from disk: compare builds in the same state. Null where the list or
 * `nm` is missing.
 */
function codeLayout(bin) {
  try {
    const list = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../src-tauri/symbol-order.txt'), 'utf8').split('\n').filter(Boolean);
    const defined = new Set(execFileSync('nm', ['--defined-only', bin], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n').map((l) => l.split(' ').at(-1)));
    // build.rs also looks for a numbered name (LTO's local copies) numbered up to 16 away.
    const renumbered = (n) => {
      const m = /^(.*)\.(\d+)$/.exec(n);
      if (!m) return false;
      for (let d = 1; d <= 16; d++) if (defined.has(`${m[1]}.${Number(m[2]) + d}`) || defined.has(`${m[1]}.${Number(m[2]) - d}`)) return true;
      return false;
    };
    const exact = list.filter((n) => defined.has(n)).length;
    return { listed: list.length, found: exact + list.filter((n) => !defined.has(n) && renumbered(n)).length, exact };
  } catch {
    return null;
  }
}
for (const [what, bin] of [['TokenKeeper', process.env.TOKENKEEPER_APP_BIN], [AGAINST, process.env.TK_BENCH_AGAINST]]) {
  const layout = bin ? codeLayout(bin) : null;
  if (layout) console.log(`${what}'s code layout: ${layout.found} of the ${layout.listed} functions of src-tauri/symbol-order.txt found in its binary (${layout.exact} by their exact name)${layout.found < layout.listed * 0.995 ? ' (stale: make the list again with scripts/code-order.py)' : ''}`);
}

const tk = summary.TokenKeeper;
const bare = summary['bare Tauri window'];
const startRatio = tk.start_ms / bare.start_ms;
const memRatio = tk.pss_mib / bare.pss_mib;
console.log('\nmedians over', RUNS, 'runs each; the bare window and the floor page drawn', drawing ? `as TokenKeeper was (${drawing.WEBKIT_DISABLE_COMPOSITING_MODE ? 'without' : 'with'} compositing):` : 'as WebKit chooses:');
console.log(`  TokenKeeper (${SIZE} credentials): ${tk.start_ms.toFixed(0)} ms to interactive, ${tk.pss_mib.toFixed(1)} MiB PSS idle`);
console.log(`  bare Tauri window:                ${bare.start_ms.toFixed(0)} ms to interactive, ${bare.pss_mib.toFixed(1)} MiB PSS idle`);
console.log(`  ratio of the medians: start ${startRatio.toFixed(2)}x, memory ${memRatio.toFixed(2)}x (goal: 1.15x or less each)`);
// The ratio run by run (each TokenKeeper run against the bare window's run of the same round,
// which ran right before or after it): its median; its spread run to run (first to third
// quartile: what this machine's noise is, and does not shrink with more runs); and how sure that
// median is (a 95% interval, narrower with more runs: the goal asks for a spread under 0.1).
const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
  return { q1: at(0.25), median: at(0.5), q3: at(0.75) };
};
/**
 * A 95% confidence interval of the median of `xs` that assumes nothing of their distribution:
 * the k-th smallest and the k-th largest, with k the largest for which fewer than k of n runs
 * fall below the median with probability at most 2.5% (binomial, p = 1/2). Null under 6 runs.
 */
function medianInterval(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  let below = 0; // P(X <= i - 1), X ~ Binomial(n, 1/2)
  let choose = 1; // C(n, i)
  let k = 0;
  for (let i = 0; i < n; i++) {
    below += choose / 2 ** n;
    if (below > 0.025) break;
    k = i + 1;
    choose = (choose * (n - i)) / (i + 1);
  }
  return k ? [s[k - 1], s[n - k]] : null;
}
const tkRounds = results.TokenKeeper;
const bareRounds = results['bare Tauri window'];
for (const [what, of] of [['start', (r) => r.ms], ['memory', (r) => r.mem.kib]]) {
  const ratios = tkRounds.map((r, i) => of(r) / of(bareRounds[i]));
  const q = quartiles(ratios);
  const ci = medianInterval(ratios);
  const interval = ci ? `; 95% interval of that median ${ci[0].toFixed(2)}-${ci[1].toFixed(2)}x (width ${(ci[1] - ci[0]).toFixed(2)})` : '; 6 runs or more give an interval of the median';
  console.log(`  ${what} ratio run by run (${ratios.map((x) => x.toFixed(2)).join(', ')}): median ${q.median.toFixed(2)}x, spread ${(q.q3 - q.q1).toFixed(2)} (first to third quartile)${interval}`);
}

// The second build against the first, round by round (TK_BENCH_AGAINST).
const againstRounds = results[AGAINST];
if (againstRounds?.length) {
  console.log(`\n${AGAINST}: ${process.env.TK_BENCH_AGAINST}`);
  const both = (label, of, unit) => {
    const a = tkRounds.map(of).filter((x) => x != null && !Number.isNaN(x));
    const b = againstRounds.map(of).filter((x) => x != null && !Number.isNaN(x));
    if (!a.length || !b.length) return;
    const ratios = tkRounds.map((r, i) => (againstRounds[i] ? of(r) / of(againstRounds[i]) : NaN)).filter((x) => Number.isFinite(x));
    const ci = medianInterval(ratios);
    const interval = ci ? `, 95% interval ${ci[0].toFixed(2)}-${ci[1].toFixed(2)}x` : '';
    console.log(`  ${label}: first build ${median(a).toFixed(1)} ${unit}, against ${median(b).toFixed(1)} ${unit}; ratio run by run ${ratios.length ? `median ${median(ratios).toFixed(2)}x${interval}` : 'not defined'}`);
  };
  // Counts of rare events (frames missed), mostly zero: a ratio of two zeros means nothing, so
  // each build's runs and their sum, sorted, as they are.
  const counts = (label, of) => {
    const a = tkRounds.map(of).filter((x) => x != null);
    const b = againstRounds.map(of).filter((x) => x != null);
    if (!a.length || !b.length) return;
    const runs = (xs) => `${[...xs].sort((x, y) => x - y).join(', ')} (sum ${xs.reduce((n, x) => n + x, 0)})`;
    console.log(`  ${label}: first build ${runs(a)}, against ${runs(b)}`);
  };
  both('start to interactive', (r) => r.ms, 'ms');
  both('idle PSS', (r) => r.mem.kib / 1024, 'MiB');
  both('PSS after use', (r) => (r.used ? r.used.kib / 1024 : NaN), 'MiB');
  both('keystroke (median of the run)', (r) => (r.keys?.length ? median(r.keys) : NaN), 'ms');
  both('Clients page (median of the run)', (r) => (r.clients?.length ? median(r.clients) : NaN), 'ms');
  for (const how of ['wheel', 'drag']) {
    counts(`${how} scrolling, frames longer than 20 ms, run by run`, (r) => (r.scrolled ? longFrames(r.scrolled[how].frames) : null));
    both(`${how} scrolling, 90th percentile frame (per run)`, (r) => (r.scrolled?.[how].frames.length ? p90(r.scrolled[how].frames) : NaN), 'ms');
  }
  const ak = keystrokes(againstRounds);
  if (ak) console.log(`  keystrokes, against: ${describeKeys(ak)}`);
}
