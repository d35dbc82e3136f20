import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { osName } from './lib/platform';

async function start() {
  document.documentElement.dataset.os = osName(navigator.userAgent);
  if (import.meta.env.DEV && new URLSearchParams(location.search).has('demo') && !('__TAURI_INTERNALS__' in window)) {
    const { installDemo } = await import('./dev/demo');
    installDemo();
  }
  const target = document.getElementById('app');
  if (!target) throw new Error('index.html has no #app element');
  mount(App, { target });
}

void start();
