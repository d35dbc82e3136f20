// What the shell tells the window while it runs in the background: a notification or the tray
// asked to open a credential, files were opened with the app (command line, file association,
// a second launch), or the data changed outside the window (the command line, a scheduled check).

import { listen } from '@tauri-apps/api/event';
import { tick } from 'svelte';
import * as api from './api';
import { data } from './state/data.svelte';
import { flows } from './state/flows.svelte';
import { router } from './state/router.svelte';

/** The event names of src-tauri/src/window.rs. */
export const SHELL_EVENTS = {
  openCredential: 'open-credential',
  filesOpened: 'files-opened',
  vaultChanged: 'vault-changed',
} as const;

/** Shows the client page of a credential and puts the focus on its card. */
export async function openCredential(uid: string): Promise<void> {
  let row: api.CredentialSummary;
  try {
    row = await api.findCredential(uid);
  } catch {
    // Removed since the notification was sent: nothing to show.
    return;
  }
  router.go({ page: 'client', name: row.client });
  // The client page loads its cards; wait for the one asked for.
  for (let i = 0; i < 40; i++) {
    await tick();
    const card = document.querySelector<HTMLElement>(`[data-uid="${CSS.escape(uid)}"]`);
    if (card) {
      card.scrollIntoView({ block: 'center' });
      card.setAttribute('tabindex', '-1');
      card.focus();
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Takes the files the shell holds for the window and runs each through the drop flow. */
export async function takeOpenedFiles(): Promise<void> {
  const paths = await api.takeOpenedFiles();
  if (paths.length) await flows.files(paths, null);
}

/** Follows the shell's events; returns the function that stops. */
export async function followShell(): Promise<() => void> {
  const stops = await Promise.all([
    listen<string>(SHELL_EVENTS.openCredential, (e) => void openCredential(e.payload)),
    listen(SHELL_EVENTS.filesOpened, () => void takeOpenedFiles()),
    listen(SHELL_EVENTS.vaultChanged, () => void data.refresh()),
  ]);
  await takeOpenedFiles();
  return () => stops.forEach((stop) => stop());
}
