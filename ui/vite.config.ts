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
    target: ['es2022', 'safari15', 'chrome105'],
    sourcemap: false,
  },
});
