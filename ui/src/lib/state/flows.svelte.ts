// What happens to a file the user drops or chooses: identify it by content, decide where it
// goes (routing.ts), then open the right flow: the renewal wizard of its kind for its client, a
// "whose is this?" question, or a plain explanation when it is not a credential. Also holds the
// one modal flow open at a time and the files waiting behind it.

import * as api from '../api';
import { toApiError, type Kind, type Portal } from '../api';
import { routeDrop, type DropRoute, type Zone } from '../routing';
import type { Target, WizardInit } from '../wizard';
import { router } from './router.svelte';
import { toasts } from './toasts.svelte';
import { sameName } from '../names';

export type Flow =
  | { type: 'wizard'; key: number; init: WizardInit }
  | { type: 'choose_client'; key: number; route: Extract<DropRoute, { type: 'choose_client' }> }
  | { type: 'file_error'; key: number; route: Extract<DropRoute, { type: 'error' }> };

/** The open wizard, so a file dropped while it waits goes to it. */
export interface WizardSink {
  client: string;
  kind: Kind;
  label: string | null;
  busy: () => boolean;
  receive: (path: string) => void;
  /** The file could not be read: the wizard says so and stays open. */
  fail: (path: string, error: api.ApiError) => void;
}


/**
 * The stored credential a wizard renews, if it can be told before reading the file: the core
 * decides (`expected_renewal`: the one with the label, or a client's only push certificate).
 */
export async function findTarget(client: string, kind: Kind, label: string | null): Promise<Target | null> {
  try {
    return await api.expectedRenewal(client, kind, label);
  } catch {
    // A client typed in a moment ago, or gone: the wizard starts without a target.
    return null;
  }
}

/**
 * What a wizard opens with besides the file: the client as stored (the case of its name, its
 * portal) and the credential it renews, asked for together.
 */
async function wizardFor(client: string, kind: Kind, label: string | null): Promise<{ client: string; portal: Portal; target: Target | null }> {
  const [found, target] = await Promise.all([api.getClient(client).catch(() => null), findTarget(client, kind, label)]);
  return { client: found?.name ?? client, portal: found?.portal ?? 'business', target };
}

class Flows {
  current = $state.raw<Flow | null>(null);
  /** A file is being dragged over the window. */
  dragging = $state(false);
  /** Identifying a file (the short wait between drop and flow). */
  identifying = $state(false);
  sink: WizardSink | null = null;
  #queue: { path: string; zone: Zone | null }[] = [];
  #key = 1;

  /** Opens the wizard of a kind for a client, from a Renew or Add button. */
  async startWizard(client: string, kind: Kind, label: string | null = null) {
    const key = this.#key++;
    this.#open({ type: 'wizard', key, init: { ...(await wizardFor(client, kind, label)), kind, label } });
  }

  /** Files dropped or chosen: handled one after the other. */
  async files(paths: string[], zone: Zone | null) {
    if (!paths.length) return;
    if (this.sink?.busy()) {
      toasts.show('Saving the current file first: drop the next one when it is done.', 'warning');
      return;
    }
    const [first, ...rest] = paths;
    this.#queue.push(...rest.map((path) => ({ path, zone })));
    if (rest.length) toasts.show(`${paths.length} files: TokenKeeper takes them one at a time.`);
    await this.file(first, zone);
  }

  async file(path: string, zone: Zone | null) {
    // While a wizard is open, a drop outside any zone belongs to the wizard's context.
    const sink = this.sink;
    const effectiveZone = zone ?? (sink && this.current?.type === 'wizard' ? { kind: sink.kind, client: sink.client, label: sink.label } : null);
    this.identifying = true;
    let match: api.FileMatch | api.ApiError;
    try {
      match = await api.identifyFile(path);
    } catch (e) {
      match = toApiError(e);
    } finally {
      this.identifying = false;
    }
    const currentClient = router.route.page === 'client' ? router.route.name : null;
    await this.apply(routeDrop({ path, zone: effectiveZone, currentClient, match }));
  }

  async apply(route: DropRoute) {
    const sink = this.sink;
    if (route.type === 'import') {
      if (sink && this.current?.type === 'wizard' && sameName(sink.client, route.client) && sink.kind === route.kind && !route.notice) {
        sink.receive(route.path);
        return;
      }
      const key = this.#key++;
      const wizard = await wizardFor(route.client, route.kind, route.label);
      this.#open({
        type: 'wizard',
        key,
        init: { ...wizard, kind: route.kind, path: route.path, label: route.label, notice: route.notice },
      });
      return;
    }
    if (route.type === 'choose_client') {
      this.#open({ type: 'choose_client', key: this.#key++, route });
      return;
    }
    if (sink && this.current?.type === 'wizard') {
      sink.fail(route.path, route.error);
      return;
    }
    this.#open({ type: 'file_error', key: this.#key++, route });
  }

  /** The user picked the client for a file: continue with its wizard. */
  async chooseClient(route: Extract<DropRoute, { type: 'choose_client' }>, client: string) {
    const key = this.#key++;
    const wizard = await wizardFor(client, route.kind, null);
    this.#open({
      type: 'wizard',
      key,
      init: { ...wizard, kind: route.kind, path: route.path, label: null, notice: null },
    });
  }

  close() {
    this.current = null;
    this.sink = null;
    const next = this.#queue.shift();
    if (next) void this.file(next.path, next.zone);
  }

  #open(flow: Flow) {
    this.sink = null;
    this.current = flow;
  }
}

export const flows = new Flows();
