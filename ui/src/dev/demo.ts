// `npm run dev`, then http://localhost:5173/?demo in a browser: the UI over the e2e fake shell and
// its sample clients, to work on screens without the Rust side. Only in dev builds: main.ts
// imports this behind `import.meta.env.DEV`, so production bundles never contain it.
// Files for drops can be fed from the console:
//   __TAURI_INTERNALS__.invoke('plugin:event|emit', {event: 'tauri://drag-drop',
//     payload: {paths: ['/Users/dana/Downloads/sToken_for_Main Street.vpptoken'], position: {x: 600, y: 40}}})

import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import '../../e2e/fake-apple.js';
import '../../e2e/fake-backend.js';
import { channels, clients, credentials, files } from '../../e2e/data.mjs';

export function installDemo(): void {
  mockWindows('main');
  mockIPC(window.__tkFakeBackend({ clients, credentials, files, channels }), { shouldMockEvents: true });
}
