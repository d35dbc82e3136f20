import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { osName } from './lib/platform';
import { data } from './lib/state/data.svelte';
import { warmUp } from './lib/warm-up';
import { afterPaint } from './lib/after-paint';

async function start() {
  document.documentElement.dataset.os = osName(navigator.userAgent);
  if (import.meta.env.DEV && new URLSearchParams(location.search).has('demo') && !('__TAURI_INTERNALS__' in window)) {
    const { installDemo } = await import('./dev/demo');
    installDemo();
  }
  // The first rows are asked for first, and the window is built when they are in: one layout and
  // one paint with the rows, instead of an empty dashboard painted first and then repainted. A
  // shell slow to answer does not hold the window back for long.
  // The list of clients is asked for once the rows are painted (or soon, in a window not shown).
  performance.mark('tk:main');
  let rowsIn = () => {};
  const rows = new Promise<void>((ok) => (rowsIn = ok));
  let shown = () => {};
  const clientsAfter = new Promise<void>((ok) => (shown = ok));
  void data.refresh({ rowsIn, clientsAfter });
  warmUp();
  await Promise.race([rows, new Promise((ok) => setTimeout(ok, 300))]);
  const target = document.getElementById('app');
  if (!target) throw new Error('index.html has no #app element');
  mount(App, { target });
  performance.mark('tk:mounted');
  afterPaint(shown);
  setTimeout(shown, 1000);
}

void start();
