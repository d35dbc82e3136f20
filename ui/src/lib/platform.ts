// The few desktop services the UI uses besides the commands of `api.ts`: the native file picker,
// opening a portal in the browser, and native file drops (paths, never bytes).

import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open, save } from '@tauri-apps/plugin-dialog';
import { openUrl } from '@tauri-apps/plugin-opener';
import type { Kind } from './api';
import { KIND_EXTENSIONS, KIND_SECTION } from './format';

/** Whether the page runs inside the Tauri shell (or its IPC mock). */
export function hasShell(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** Asks for one credential file; the picker suggests the kind's extensions but allows any. */
export async function chooseCredentialFile(kind: Kind | null): Promise<string | null> {
  const filters = kind
    ? [{ name: KIND_SECTION[kind], extensions: KIND_EXTENSIONS[kind] }, { name: 'All files', extensions: ['*'] }]
    : [
        { name: 'Apple MDM credentials', extensions: ['pem', 'p7m', 'vpptoken', 'crt', 'cer', 'p12', 'pfx'] },
        { name: 'All files', extensions: ['*'] },
      ];
  const picked = await open({ multiple: false, directory: false, title: 'Choose a credential file', filters });
  return typeof picked === 'string' ? picked : null;
}

/** Asks for a private key file. */
export async function chooseKeyFile(): Promise<string | null> {
  const picked = await open({
    multiple: false,
    directory: false,
    title: 'Choose the private key',
    filters: [
      { name: 'Private keys', extensions: ['key', 'pem', 'p12', 'pfx', 'der'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  return typeof picked === 'string' ? picked : null;
}

/** Asks where to save a file TokenKeeper writes (a CSR, a certificate, an export). */
export async function chooseSavePath(title: string, defaultPath: string, extensions: string[]): Promise<string | null> {
  const picked = await save({ title, defaultPath, filters: [{ name: title, extensions }, { name: 'All files', extensions: ['*'] }] });
  return typeof picked === 'string' ? picked : null;
}

/** Asks for one file of any kind (a certificate, a vendor .p12). */
export async function chooseFile(title: string, extensions: string[]): Promise<string | null> {
  const picked = await open({
    multiple: false,
    directory: false,
    title,
    filters: [{ name: title, extensions }, { name: 'All files', extensions: ['*'] }],
  });
  return typeof picked === 'string' ? picked : null;
}

/** Opens a portal in the user's browser. */
export async function openPortal(url: string): Promise<void> {
  await openUrl(url);
}

export type DragEvent =
  | { type: 'enter'; paths: string[]; x: number; y: number }
  | { type: 'over'; x: number; y: number }
  | { type: 'drop'; paths: string[]; x: number; y: number }
  | { type: 'leave' };

/**
 * Follows native drags over the window. Positions are converted from physical pixels to CSS
 * pixels, ready for `document.elementFromPoint`.
 */
export async function onFileDrag(handler: (e: DragEvent) => void): Promise<() => void> {
  const unlisten = await getCurrentWebview().onDragDropEvent((event) => {
    const p = event.payload;
    const ratio = window.devicePixelRatio || 1;
    if (p.type === 'leave') return handler({ type: 'leave' });
    const x = p.position.x / ratio;
    const y = p.position.y / ratio;
    if (p.type === 'over') return handler({ type: 'over', x, y });
    handler({ type: p.type, paths: p.paths, x, y });
  });
  return unlisten;
}

/** The desktop system, from the web view's user agent: picks the system fonts (app.css). */
export function osName(userAgent: string): 'macos' | 'windows' | 'linux' {
  if (/Mac OS X|Macintosh/.test(userAgent)) return 'macos';
  if (/Windows/.test(userAgent)) return 'windows';
  return 'linux';
}
