import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { osName } from './lib/platform';
import { data } from './lib/state/data.svelte';
import { warmUp } from './lib/warm-up';

async function start() {
  document.documentElement.dataset.os = osName(navigator.userAgent);
  if (import.meta.env.DEV && new URLSearchParams(location.search).has('demo') && !('__TAURI_INTERNALS__' in window)) {
    const { installDemo } = await import('./dev/demo');
    installDemo();
  }
  // The first rows are asked for first, and the window is built when they are in: one layout and
  // one paint with the rows, instead of an empty dashboard painted first and then repainted. A
  // shell slow to answer does not hold the window back for long.
  performance.mark('tk:main');
  let rowsIn = () => {};
  const rows = new Promise<void>((ok) => (rowsIn = ok));
  void data.refresh({ rowsIn });
  warmUp();
  await Promise.race([rows, new Promise((ok) => setTimeout(ok, 300))]);
  const target = document.getElementById('app');
  if (!target) throw new Error('index.html has no #app element');
  mount(App, { target });
  performance.mark('tk:mounted');
}

void start();
