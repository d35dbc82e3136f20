import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Tauri loads the built files from its own protocol: relative asset paths, a fixed dev port,
// and no screen clearing so the Rust output stays readable during `tauri dev`.
export default defineConfig({
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The system WebKit of macOS 11 (Safari 16) and later, WebView2 (Chromium) and WebKitGTK.
    // Safari 16, not 15: for Safari 15 the bundler rewrites every private class field into a
    // WeakMap lookup through a helper (Svelte's runtime has 83 of them), and that helper was the
    // hottest function of the dashboard's first render.
    target: ['es2022', 'safari16', 'chrome105'],
    sourcemap: false,
  },
});
