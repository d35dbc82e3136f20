// The benchmark's measurements inside the page (bench-dashboard.mjs prints them): when the first
// rows are drawn, each keystroke's way to the frame that shows its rows, and every frame of a
// scroll with the rows in view as it is painted. All on the page's clock (performance.now()).

const sleep = (t) => new Promise((ok) => setTimeout(ok, t));

// Runs in the page before the app: sees the first row arrive and the frame that draws it.
export const PROBE = `(() => {
  const probe = (window.__tkProbe = { dom: 0, raf: 0, painted: 0, fcp: 0 });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') probe.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  const mo = new MutationObserver(() => {
    if (probe.dom || !document.querySelector('[data-testid="credential-list"] a.row')) return;
    probe.dom = performance.now();
    mo.disconnect();
    requestAnimationFrame(() => {
      probe.raf = performance.now();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => (probe.painted = performance.now());
      ch.port2.postMessage(null);
    });
  });
  mo.observe(document, { childList: true, subtree: true });
})();`;

/** One load of the page: when the first rows were drawn, and the fake shell's share. */
export async function firstRows(page) {
  await page.waitForFunction(() => /** @type {any} */ (window).__tkProbe?.painted > 0, null, { timeout: 60_000, polling: 100 });
  return page.evaluate(() => {
    const w = /** @type {any} */ (window);
    const p = w.__tkProbe;
    const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
    const main = performance.getEntriesByName('tk:main')[0]?.startTime ?? NaN;
    const times = w.__tkFakeTimes;
    const callsBefore = (from) => times.calls.filter((c) => c.at >= from && c.at < p.painted).reduce((s, c) => s + c.ms, 0);
    const fake = times.seed.ms + callsBefore(0);
    return {
      nav_to_rows: p.painted,
      fake,
      ui: p.painted - fake,
      dcl_to_rows: p.painted - nav.domContentLoadedEventStart,
      main_to_rows: p.painted - main,
      main_fake: callsBefore(main),
      nav_to_main: main,
      fake_by_cmd: Object.fromEntries(
        [...new Set(times.calls.filter((c) => c.at < p.painted).map((c) => c.cmd))].map((cmd) => [cmd, times.calls.filter((c) => c.cmd === cmd && c.at < p.painted).reduce((s, c) => s + c.ms, 0)]),
      ),
      dom_to_rows: p.painted - p.dom,
      fcp: p.fcp,
      seed: times.seed.ms,
      index: times.builds[0]?.ms ?? 0,
      rows_in_dom: document.querySelectorAll('[data-testid="credential-list"] a.row').length,
    };
  });
}

/** Puts the keystroke recorder in the page. */
async function recordKeys(page) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    const input = /** @type {HTMLInputElement} */ (document.getElementById('search'));
    const panel = /** @type {HTMLElement} */ (document.getElementById('credentials-panel'));
    w.__tkKeys = [];
    // Watched from the keydown on: Svelte's input handler, the fake shell's answer (promises)
    // and the DOM update all run in the microtasks right after that handler, before any
    // listener of ours on 'input' would.
    let watching = null;
    input.addEventListener(
      'keydown',
      (e) => {
        watching?.disconnect();
        const mine = { key: e.key, down: e.timeStamp, value: '', dom: 0, raf: 0, after: 0, fake: 0, matches: '' };
        const was = panel.dataset.search;
        const mo = new MutationObserver(() => {
          if (panel.dataset.search === was || panel.dataset.search !== input.value) return;
          mo.disconnect();
          mine.dom = performance.now();
          mine.value = input.value;
          requestAnimationFrame(() => {
            mine.raf = performance.now();
            const ch = new MessageChannel();
            ch.port1.onmessage = () => {
              mine.after = performance.now();
              const calls = w.__tkFakeTimes.calls.filter((c) => c.cmd === 'dashboard' && c.at >= mine.down && c.at <= mine.dom);
              mine.fake = calls.reduce((s, c) => s + c.ms, 0);
              mine.matches = document.querySelector('[data-tab="all"] .count')?.firstChild?.textContent;
              w.__tkKeys.push(mine);
              w.__tkOnKey?.();
            };
            ch.port2.postMessage(null);
          });
        });
        mo.observe(panel, { attributes: true, attributeFilter: ['data-search'] });
        watching = mo;
      },
      true,
    );
  });
}

export async function keystrokes(page, rounds) {
  await recordKeys(page);
  await page.locator('#search').click();
  // What someone looking for a client types, mends and clears; about 60 keystrokes a round.
  const script = ['acme', -4, 'jamf server', 'clear', 'com.apple', 'clear', 'leeds dental', -7, 'clear', 'expired', 'clear', 'it@harbor', 'clear'];
  for (let round = 0; round < rounds; round++) {
    for (const step of script) {
      const keys = typeof step === 'number' ? Array(-step).fill('Backspace') : step === 'clear' ? ['Control+A', 'Backspace'] : [...step];
      for (const key of keys) {
        if (key === 'Control+A') {
          await page.keyboard.press(key);
          continue;
        }
        // Waited for without polling (a poll each frame would add to the frames measured).
        await page.evaluate(() => {
          const w = /** @type {any} */ (window);
          w.__tkKeyDone = new Promise((ok) => (w.__tkOnKey = ok));
        });
        if (key === 'Backspace') await page.keyboard.press(key);
        else await page.keyboard.type(key);
        await page.evaluate(() => /** @type {any} */ (window).__tkKeyDone);
        // A fast typist: about 80 ms between keys.
        await sleep(60);
      }
    }
  }
  return page.evaluate(() => /** @type {any} */ (window).__tkKeys);
}

/** Drags through the whole list (scrollTop moved between frames) or records while the wheel turns. */
export async function scrolling(page, mode, seconds) {
  const run = page.evaluate(
    async ({ mode, seconds }) => {
      const w = /** @type {any} */ (window);
      const list = /** @type {HTMLElement} */ (document.querySelector('[data-testid="credential-list"]'));
      const rowH = parseFloat(getComputedStyle(list).getPropertyValue('--row-h'));
      const matched = Math.round((list.scrollHeight) / rowH);
      const bottom = list.scrollHeight - list.clientHeight;
      list.scrollTop = 0;
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      w.__tkScrollReady = true;
      const frames = [];
      // The rows in view as the frame is painted: a ResizeObserver's callback runs after the
      // frame's layout, just before its paint (a probe element changes size every frame).
      const probe = document.body.appendChild(document.createElement('div'));
      probe.style.cssText = 'position:fixed;left:0;top:0;height:1px;width:1px;pointer-events:none;';
      let current = null;
      const painted = new ResizeObserver(() => {
        if (!current) return;
        const top = list.scrollTop;
        const first = Math.floor(top / rowH);
        const last = Math.min(matched - 1, Math.floor((top + list.clientHeight - 1) / rowH));
        const shown = new Set();
        for (const a of list.querySelectorAll('a.row')) shown.add(Number(a.getAttribute('data-index')));
        current.blank = 0;
        for (let i = first; i <= last; i++) if (!shown.has(i)) current.blank++;
      });
      painted.observe(probe);
      return new Promise((done) => {
        let start = 0;
        const frame = (ts) => {
          const f = { ts, blank: 0, top: 0, after: 0, fake: 0 };
          current = f;
          probe.style.width = probe.style.width === '1px' ? '2px' : '1px';
          const ch = new MessageChannel();
          ch.port1.onmessage = () => {
            f.after = performance.now();
            f.top = list.scrollTop;
            // The fake shell's answers for the rows coming into view, since the last frame.
            const since = frames.at(-1)?.after ?? ts;
            for (let i = w.__tkFakeTimes.calls.length - 1; i >= 0 && w.__tkFakeTimes.calls[i].at >= since; i--) f.fake += w.__tkFakeTimes.calls[i].ms;
            frames.push(f);
            const elapsed = ts - start;
            if (elapsed >= seconds * 1000 || (mode === 'drag' && f.top >= bottom) || (mode === 'wheel' && w.__tkScrollStop)) {
              painted.disconnect();
              probe.remove();
              done({ frames, matched, rowH, bottom });
              return;
            }
            // A drag's next input, between frames: its scroll event fires in the next frame.
            if (mode === 'drag') list.scrollTop = Math.min(bottom, Math.round(((elapsed + 1000 / 60) / (seconds * 1000)) * bottom));
            requestAnimationFrame(frame);
          };
          ch.port2.postMessage(null);
        };
        requestAnimationFrame((ts) => {
          start = ts;
          frame(ts);
        });
      });
    },
    { mode, seconds },
  );
  if (mode === 'wheel') {
    await page.waitForFunction(() => /** @type {any} */ (window).__tkScrollReady, null, { polling: 50 });
    const box = await page.locator('[data-testid="credential-list"]').boundingBox();
    if (!box) throw new Error('no list to scroll');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const t0 = Date.now();
    while (Date.now() - t0 < seconds * 1000 - 100) {
      await page.mouse.wheel(0, 240);
      await sleep(16);
    }
    await page.evaluate(() => (/** @type {any} */ (window).__tkScrollStop = true));
  }
  const out = await run;
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__tkScrollStop = false;
    w.__tkScrollReady = false;
  });
  return out;
}
