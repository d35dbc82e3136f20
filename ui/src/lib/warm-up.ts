// Work the first render of the dashboard would otherwise do on its own, done while the shell's
// first answer travels: in a new WebKitGTK web process, the first number or date formatted loads
// ICU's locale data (10-19 ms measured on the benchmark machine). The answer is usually ready
// about 6 ms in, so it waits for the rest; the mount would pay that time anyway.

import { formatDate } from './format';

export function warmUp(): void {
  (10000).toLocaleString();
  formatDate(new Date().toISOString());
}
