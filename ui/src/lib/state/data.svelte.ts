// The app's shared data: the dashboard's page (counts, totals and the rows in view), the clients
// and the thresholds. The shell keeps every credential indexed (commands/dashboard.rs): the
// window asks for the rows it shows, so ten thousand credentials never cross IPC at once and the
// page holds a few dozen rows, not ten thousand objects. The list of every client is held only
// while a page or dialog that lists them is open (holdClients); the rest ask for the one client
// they show (api.getClient).

import * as api from '../api';
import type { ApiError, Client, DashboardPage, Tab, Thresholds } from '../api';
import { toApiError } from '../api';
import { nameKey } from '../names';

/** Rows asked for at a time: a few screens, so scrolling asks again rarely. */
export const PAGE_ROWS = 48;

const EMPTY: DashboardPage = {
  total: 0,
  attention: 0,
  checkable: false,
  clients: 0,
  counts: { all: 0, renewal_required: 0, expired: 0, error: 0 },
  matched: 0,
  offset: 0,
  rows: [],
};

class Data {
  /** The dashboard's tab and search, as last asked for. */
  tab = $state<Tab>('all');
  search = $state('');
  /** The latest answer for them: counts, totals and a window of rows. */
  page = $state.raw<DashboardPage>(EMPTY);
  /** The tab and search that `page` answers (the ones asked for may be a keystroke ahead). */
  shown = $state.raw<{ tab: Tab; search: string }>({ tab: 'all', search: '' });
  /** Every client, by name: held while a part of the window that lists them is open. */
  clients = $state.raw<Client[]>([]);
  settings = $state.raw<Thresholds>({ renewal_window_days: 30, grace_days: 30 });
  /** The first load of the rows finished (successfully or not). */
  loaded = $state(false);
  /** The clients are in (asked for by a part of the window that lists them). */
  clientsLoaded = $state(false);
  /** Why the last load failed, shown in a banner. */
  error = $state.raw<ApiError | null>(null);
  /** Bumped after every change, so open pages reload what they show. */
  version = $state(0);

  #seq = 0;
  #pageSeq = 0;
  #clientSeq = 0;
  /** How many open parts of the window hold the list of clients. */
  #holders = 0;
  /** The window being fetched, so a scroll does not ask twice for the same rows. */
  #pending: { offset: number; end: number } | null = null;

  /**
   * Reloads what the window shows, listing the credentials again; a slower, older reload never
   * wins. The list of clients is fetched again only while it is held (holdClients). `first`
   * (the window's first load) is told when the rows are in.
   */
  async refresh(first?: { rowsIn: () => void }): Promise<void> {
    const mine = ++this.#seq;
    try {
      const [, settings] = await Promise.all([this.#fetch(Math.max(0, this.page.offset), true), api.getSettings()]);
      if (mine !== this.#seq) return;
      this.settings = settings;
      this.error = null;
    } catch (e) {
      if (mine === this.#seq) this.error = toApiError(e);
    } finally {
      if (mine === this.#seq) this.loaded = true;
      first?.rowsIn();
    }
    try {
      if (this.#holders > 0) await this.#fetchClients();
    } finally {
      if (mine === this.#seq) this.version++;
    }
  }

  /**
   * Holds the list of every client while the calling component lives: call it in a component's
   * script. The list is fetched when the first holder opens, kept fresh by refresh(), and let go
   * when the last one closes: the dashboard alone never holds it (25,000 clients at the scale we
   * test cost the window megabytes and every reload a few megabytes of IPC). `when` (reactive)
   * holds it only while true.
   */
  holdClients(when: () => boolean = () => true): void {
    $effect(() => {
      if (!when()) return;
      if (++this.#holders === 1) void this.#fetchClients();
      return () => {
        if (--this.#holders > 0) return;
        this.#clientSeq++;
        this.clients = [];
        this.clientsLoaded = false;
      };
    });
  }

  async #fetchClients(): Promise<void> {
    const mine = ++this.#clientSeq;
    try {
      const clients = await api.listClients();
      if (mine !== this.#clientSeq) return;
      this.clients = clients;
      this.clientsLoaded = true;
    } catch (e) {
      if (mine === this.#clientSeq) this.error = toApiError(e);
    }
  }

  /** How many clients there are: the list's length once it is in, the dashboard's count before. */
  get clientCount(): number {
    return this.clientsLoaded ? this.clients.length : this.page.clients;
  }

  /** Shows another tab or search, from the top. */
  async select(tab: Tab, search: string): Promise<void> {
    if (tab === this.tab && search === this.search) return;
    this.tab = tab;
    this.search = search;
    try {
      await this.#fetch(0, false);
    } catch (e) {
      this.error = toApiError(e);
    }
  }

  /**
   * The rows from `start` to `end` are in view: fetches them unless held or on their way.
   * True while they are on their way (asked for now or before), false when held.
   */
  want(start: number, end: number): boolean {
    const p = this.page;
    const held = start >= p.offset && end <= p.offset + p.rows.length;
    if (held || start >= p.matched) return false;
    const coming = this.#pending && start >= this.#pending.offset && end <= this.#pending.end;
    if (coming) return true;
    // Centre the next window on what is in view.
    const offset = Math.max(0, Math.floor((start + end) / 2 - PAGE_ROWS / 2));
    this.#fetch(offset, false).catch((e) => (this.error = toApiError(e)));
    return true;
  }

  async #fetch(offset: number, fresh: boolean): Promise<void> {
    const mine = ++this.#pageSeq;
    this.#pending = { offset, end: offset + PAGE_ROWS };
    const { tab, search } = this;
    try {
      const asked = performance.now();
      const page = await api.dashboard({ tab, search, offset, limit: PAGE_ROWS }, fresh);
      // How long the shell took to answer, as the page saw it (the app benchmark splits a
      // keystroke with it); only the last one is kept.
      performance.clearMeasures('tk:dashboard-answer');
      performance.measure('tk:dashboard-answer', { start: asked });
      if (mine !== this.#pageSeq) return;
      if (!performance.getEntriesByName('tk:credentials-loaded').length) performance.mark('tk:credentials-loaded');
      this.page = page;
      this.shown = { tab, search };
    } finally {
      if (mine === this.#pageSeq) this.#pending = null;
    }
  }

  /** The held clients by name (names.ts' key): the event log asks for each of its rows. */
  #byName = $derived(new Map(this.clients.map((c) => [nameKey(c.name), c])));

  /** A client of the held list (see holdClients). */
  clientNamed(name: string): Client | undefined {
    return this.#byName.get(nameKey(name));
  }
}

export const data = new Data();
