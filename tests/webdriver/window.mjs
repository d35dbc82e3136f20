// What the real-window tests share: pictures from the X server, and waiting for a text.

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { By, until } from 'selenium-webdriver';

export const root = resolve(import.meta.dirname, '../..');
export const shots = join(root, 'artifacts', 'webdriver');
mkdirSync(shots, { recursive: true });

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `WxH+X+Y` of the top-level window named `name`, for a crop of the screen. */
export function windowGeometry(name) {
  const info = execFileSync('xwininfo', ['-name', name]).toString();
  const [x, y, w, h] = ['Absolute upper-left X', 'Absolute upper-left Y', 'Width', 'Height'].map((k) =>
    Number(new RegExp(`${k}:\\s+(-?\\d+)`).exec(info)?.[1]),
  );
  return `${w}x${h}+${x}+${y}`;
}

/**
 * The app's window as the X server shows it, and the whole screen (the window, the tray, any
 * dialog), once the webview has painted what the last step changed. Not WebDriver's screenshot:
 * WebKitGTK never answers it when the page is drawn without compositing, as TokenKeeper draws it
 * on a machine without a GPU (src-tauri/src/rendering.rs).
 */
export async function shot(driver, name) {
  await driver.executeAsyncScript('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(done));');
  await sleep(300);
  execFileSync('import', ['-window', 'root', '-crop', windowGeometry('TokenKeeper'), join(shots, `${name}.png`)]);
  execFileSync('import', ['-window', 'root', join(shots, `${name}-screen.png`)]);
}

/** The innermost element whose text contains `text`, once it appears. */
export async function waitText(driver, text, timeout = 15000) {
  return driver.wait(
    until.elementLocated(By.xpath(`//*[contains(normalize-space(.), ${JSON.stringify(text)}) and not(.//*[contains(normalize-space(.), ${JSON.stringify(text)})])]`)),
    timeout,
    `"${text}" never appeared`,
  );
}
