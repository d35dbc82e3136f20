// Work the first render of the dashboard would otherwise do on its own, moved into the time the
// window waits for the shell's first answer (the main thread is idle then): in a new WebKitGTK
// web process, the first number or date formatted loads ICU's locale data (10-17 ms measured in
// a bare Tauri window on the benchmark machine).

import { formatDate } from './format';

export function warmUp(): void {
  (10000).toLocaleString();
  formatDate(new Date().toISOString());
}
