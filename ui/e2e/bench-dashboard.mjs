// The dashboard at 100,000 credentials in headless Chromium, over the fake shell (fake-backend.js,
// which serves rows a window at a time as commands/dashboard.rs does): first rows painted, search
// keystrokes and scrolling, measured over several loads and rounds, medians and 90th percentiles
// printed, and what a scrolling frame allocates in the page (V8's sampling heap profiler, in a
// pass of its own). Not a test (nothing is asserted on time): `npm run bench:ui` (scripts/ui-bench.sh)
// builds the UI and runs it. What runs inside the page is in bench-probes.mjs.
//
//   node e2e/bench-dashboard.mjs [--credentials 100000] [--loads 7] [--rounds 3] [--seconds 4]
//                                [--trace] (a Chromium trace of the keystrokes and the scrolling,
//                                summed up by event and saved in artifacts/ui/)
//                                [--cpu] (V8's sampling profile of the same, functions by self time)
//
// How each figure is taken (all on the page's clock, performance.now()):
// - first rows: a MutationObserver set before the app runs sees the first row enter the DOM; the
//   requestAnimationFrame after it starts the frame that draws it, and a message posted from that
//   callback runs once the frame is drawn (style, layout, paint done). From navigation start, and
//   from the app's first script (mark tk:main); the fake shell's own time on the page's thread
//   (seeding 100,000 credentials, building its index, answering) is taken from its records
//   (window.__tkFakeTimes) and shown apart, so the UI's share is the rest. Chromium's first
//   contentful paint (paint timing) is printed beside it as a cross-check: the window is mounted
//   with its rows, so its first paint is the first rows.
// - keystrokes: real key input through CDP (Input.dispatchKeyEvent, page.keyboard); from the
//   keydown's timestamp to the rows of the new search in the DOM (a MutationObserver on the
//   panel's data-search), then to the end of the frame that draws them (rAF, then a message).
//   "work" is the main thread's busy time (input -> rows in the DOM, plus the frame's own style,
//   layout and paint), without the wait for the next vsync; the fake shell's query time is shown
//   apart and left out of "UI".
// - scrolling: (a) the scrollbar dragged from the top to the bottom of the list in a few seconds
//   (scrollTop moved between frames, as a drag's input arrives, so the scroll event fires in the
//   next frame as a user's would); (b) the mouse wheel through CDP for a few seconds. Every rAF
//   interval is kept; at each frame, after its layout and before its paint (a ResizeObserver), the
//   rows in view are looked at: a row in view without its data (the loading placeholder, or no
//   row at all) counts as blank.

import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { PROBE, firstRows, keystrokes, scrolling } from './bench-probes.mjs';
import { artifactsDir, launch, openApp, serve } from './harness.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = opt('credentials', 100_000);
const LOADS = opt('loads', 7);
const ROUNDS = opt('rounds', 3);
const SECONDS = opt('seconds', 4);
const TRACE = args.includes('--trace');
const CPU = args.includes('--cpu');

const sorted = (list) => [...list].sort((a, b) => a - b);
const pct = (list, p) => (list.length ? sorted(list)[Math.min(list.length - 1, Math.floor(list.length * p))] : NaN);
const median = (list) => pct(list, 0.5);
const ms = (v) => `${v.toFixed(1)} ms`;
const stat = (list) => `median ${ms(median(list))}, p90 ${ms(pct(list, 0.9))}, worst ${ms(Math.max(...list))}`;
const load = () => `load ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} on ${os.cpus().length} cores`;

/** Sums a Chromium trace's main-thread events of the renderer by name (inclusive times). */
function summariseTrace(buffer) {
  const events = JSON.parse(buffer.toString('utf8')).traceEvents ?? [];
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const byName = new Map();
  let forced = 0;
  for (const e of events) {
    if (!main || e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || typeof e.dur !== 'number') continue;
    const t = byName.get(e.name) ?? { ms: 0, n: 0, max: 0 };
    t.ms += e.dur / 1000;
    t.n++;
    t.max = Math.max(t.max, e.dur / 1000);
    byName.set(e.name, t);
    // A layout a script asked for (a forced layout) carries the script's stack.
    if (e.name === 'Layout' && e.args?.beginData?.stackTrace) forced++;
  }
  const top = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14);
  return { top, forced };
}

/** The functions with the most self time in a V8 CPU profile (CDP Profiler). */
function summariseProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  return { total, top: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25) };
}

async function traced(browser, page, name, fn) {
  if (CPU) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const out = await fn();
    const { profile } = await cdp.send('Profiler.stop');
    await mkdir(artifactsDir, { recursive: true });
    const path = join(artifactsDir, `bench-${name}.cpuprofile`);
    await writeFile(path, JSON.stringify(profile));
    const { total, top } = summariseProfile(profile);
    console.log(`#   CPU profile of ${name} (${path}), ${ms(total)} sampled; self time:`);
    for (const [k, t] of top) console.log(`#     ${t.toFixed(1).padStart(8)} ms  ${k}`);
    await cdp.detach();
    return out;
  }
  if (!TRACE) return fn();
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8.execute'],
  });
  const out = await fn();
  const buffer = await browser.stopTracing();
  await mkdir(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `bench-${name}.trace.json`);
  await writeFile(path, buffer);
  const { top, forced } = summariseTrace(buffer);
  console.log(`#   trace of ${name} (${path}): forced layouts ${forced}; main thread by event (inclusive):`);
  for (const [n, t] of top) console.log(`#     ${n.padEnd(28)} ${t.ms.toFixed(1).padStart(8)} ms in ${String(t.n).padStart(6)}, longest ${ms(t.max)}`);
  return out;
}

/**
 * What the page allocates while it scrolls (V8's sampling heap profiler, objects collected since
 * counted too: the garbage a scroll leaves, which WebKit's JavaScriptCore keeps until its next
 * collection), per frame: the app's bundle apart from everything else in the page (the fake
 * shell, the probes, Playwright's own calls: what IPC answers cost is measured in the real
 * window, by npm run bench:app).
 */
async function allocations(page, mode) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const run = await scrolling(page, mode, Math.min(3, SECONDS));
  const { profile } = await cdp.send('HeapProfiler.stopSampling');
  await cdp.detach();
  // Whose an allocation is: the nearest function on its stack that belongs to a script (the
  // engine's built-ins belong to none) is the app's when that script is one of the bundle's, and
  // the rest's otherwise (init scripts and evaluated code have no URL). What has no script on its
  // stack at all (the events and frames the browser hands the page) counts as the app's.
  const sums = { app: 0, rest: 0 };
  const walk = (node, owner) => {
    const f = node.callFrame;
    const own = f.scriptId && f.scriptId !== '0' ? (f.url.includes('/assets/') ? 'app' : 'rest') : owner;
    sums[own] += node.selfSize;
    for (const child of node.children) walk(child, own);
  };
  walk(profile.head, 'app');
  const frames = Math.max(1, run.frames.length);
  const kib = (bytes) => `${(bytes / frames / 1024).toFixed(1)} KiB`;
  console.log(`# allocated while scrolling (${mode}, ${frames} frames, sampled): the app's code ${kib(sums.app)} a frame; the fake shell and the probes ${kib(sums.rest)}`);
}

function reportScroll(name, runs) {
  const intervals = [];
  const work = [];
  const fake = [];
  let frames = 0;
  let blankFrames = 0;
  let blankRows = 0;
  let distance = 0;
  for (const r of runs) {
    for (let i = 1; i < r.frames.length; i++) intervals.push(r.frames[i].ts - r.frames[i - 1].ts);
    for (const f of r.frames) {
      work.push(f.after - f.ts - f.fake);
      fake.push(f.fake);
      frames++;
      if (f.blank) blankFrames++;
      blankRows += f.blank;
    }
    distance += r.frames.at(-1).top / r.rowH;
  }
  const seconds = intervals.reduce((s, v) => s + v, 0) / 1000;
  console.log(`# scrolling, ${name}: ${runs.length} runs, ${frames} frames, ${Math.round(distance / runs.length).toLocaleString('en')} rows travelled a run, ${(intervals.length / seconds).toFixed(1)} frames/s`);
  console.log(`#   frame interval: median ${ms(median(intervals))}, p90 ${ms(pct(intervals, 0.9))}, p95 ${ms(pct(intervals, 0.95))}, worst ${ms(Math.max(...intervals))}; over 16.7 ms: ${intervals.filter((v) => v > 17.7).length} (1 ms of slack for timer jitter), a vsync missed (over 25 ms): ${intervals.filter((v) => v > 25).length} of ${intervals.length}`);
  console.log(`#   main thread per frame (frame start -> drawn), the UI: median ${ms(median(work))}, p95 ${ms(pct(work, 0.95))}, worst ${ms(Math.max(...work))}; the fake shell's answers: median ${ms(median(fake))}, p95 ${ms(pct(fake, 0.95))}`);
  console.log(`#   blank as painted: ${blankFrames} frames had rows in view without their data (${blankRows} rows)`);
}

async function main() {
  const server = await serve();
  const browser = await launch();
  try {
    console.log(`# dashboard benchmark: ${N.toLocaleString('en')} credentials (fake shell), Chromium ${browser.version()}, ${load()}`);
    const { page, context, errors } = await openApp(browser, server.url, { bulk: N }, { init: PROBE });
    const loads = [];
    for (let i = 0; i < LOADS; i++) {
      if (i > 0) await page.reload();
      loads.push(await firstRows(page));
    }
    const f = (k) => loads.map((l) => l[k]);
    const first = loads[0];
    console.log(`# first rows painted, ${LOADS} loads (${first.rows_in_dom} rows in the DOM):`);
    console.log(`#   navigation start -> rows drawn:           ${stat(f('nav_to_rows'))}`);
    console.log(`#     of which the fake shell (page thread):  ${stat(f('fake'))} (seeding ${ms(median(f('seed')))} incl. its index ${ms(median(f('index')))})`);
    console.log(`#     the rest (page load, app, render):      ${stat(f('ui'))}`);
    console.log(`#   navigation start -> app's script (tk:main): ${stat(f('nav_to_main'))} (the fake shell's seeding runs before it)`);
    console.log(`#   app's script starts (tk:main) -> drawn:   ${stat(f('main_to_rows'))}, fake shell's answers in it ${ms(median(f('main_fake')))}`);
    console.log(`#     the UI's share of it:                   ${stat(loads.map((l) => l.main_to_rows - l.main_fake))}`);
    console.log(`#     fake shell by command (last load):      ${Object.entries(loads.at(-1).fake_by_cmd).map(([c, t]) => `${c} ${ms(t)}`).join(', ')}`);
    console.log(`#   DOMContentLoaded -> rows drawn:           ${stat(f('dcl_to_rows'))}`);
    console.log(`#   rows in the DOM -> drawn (the frame):     ${stat(f('dom_to_rows'))}`);
    console.log(`#   Chromium's first contentful paint:        ${stat(f('fcp'))}`);

    const keys = await traced(browser, page, 'keystrokes', () => keystrokes(page, ROUNDS));
    const total = keys.map((k) => k.after - k.down);
    const work = keys.map((k) => k.dom - k.down + (k.after - k.raf));
    const ui = keys.map((k) => k.dom - k.down - k.fake + (k.after - k.raf));
    const fake = keys.map((k) => k.fake);
    console.log(`# search keystrokes: ${keys.length} (${ROUNDS} rounds of typing, mending and clearing)`);
    console.log(`#   keydown -> frame with the rows drawn:     ${stat(total)} (includes the wait for the next vsync)`);
    console.log(`#   main thread's work for it:                ${stat(work)}`);
    console.log(`#     the fake shell's query:                 ${stat(fake)}`);
    console.log(`#     the UI (input, Svelte, DOM, the frame): ${stat(ui)}; ${ui.filter((v) => v < 8).length}/${ui.length} under 8 ms`);
    console.log(`#     of which the frame (style/layout/paint): ${stat(keys.map((k) => k.after - k.raf))}`);
    const byText = new Map();
    for (const k of keys) byText.set(k.value, [...(byText.get(k.value) ?? []), k]);
    const worst = [...byText.entries()].map(([v, ks]) => [v, median(ks.map((k) => k.dom - k.down - k.fake + (k.after - k.raf))), median(ks.map((k) => k.fake)), ks[0].matches]).sort((a, b) => b[1] - a[1]).slice(0, 5);
    console.log(`#   slowest searches for the UI (median): ${worst.map(([v, u, q, m]) => `"${v}" ${ms(u)} UI + ${ms(q)} fake (${m} matches)`).join('; ')}`);

    await page.locator('#search').fill('');
    await page.waitForFunction(() => document.getElementById('credentials-panel')?.dataset.search === '');
    const drags = await traced(browser, page, 'drag', async () => {
      const out = [];
      for (let i = 0; i < ROUNDS; i++) out.push(await scrolling(page, 'drag', SECONDS));
      return out;
    });
    reportScroll(`scrollbar dragged top to bottom of ${drags[0].matched.toLocaleString('en')} rows in ${SECONDS} s`, drags);
    const wheels = await traced(browser, page, 'wheel', async () => {
      const out = [];
      for (let i = 0; i < ROUNDS; i++) out.push(await scrolling(page, 'wheel', Math.min(3, SECONDS)));
      return out;
    });
    reportScroll('mouse wheel (CDP, 240 px a notch every ~16 ms)', wheels);
    // Apart from the timed runs: the profiler slows the page down.
    await allocations(page, 'drag');
    await allocations(page, 'wheel');
    if (errors.length) console.log(`# page errors: ${errors.join('; ')}`);
    await context.close();

    // The same drag with the rows answered a task later, as over the real shell's IPC: what a
    // drag shows in the real window while rows travel (the real window's figures are measured
    // there, by npm run bench:app).
    const late = await openApp(browser, server.url, { bulk: N, latency: 0 }, { init: PROBE });
    await firstRows(late.page);
    const lateDrags = [];
    for (let i = 0; i < ROUNDS; i++) lateDrags.push(await scrolling(late.page, 'drag', SECONDS));
    reportScroll(`scrollbar dragged as above, the rows answered a task later (setTimeout 0, as over IPC)`, lateDrags);
    const lateWheels = [];
    for (let i = 0; i < ROUNDS; i++) lateWheels.push(await scrolling(late.page, 'wheel', Math.min(3, SECONDS)));
    reportScroll('mouse wheel as above, the rows answered a task later', lateWheels);
    await late.context.close();
    console.log(`# ${load()} at the end`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
