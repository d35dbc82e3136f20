// The app's shared data: every credential (indexed once for the dashboard), the clients and the
// thresholds. Raw state: ten thousand rows must not become ten thousand deep proxies.

import * as api from '../api';
import type { ApiError, Client, CredentialSummary, Thresholds } from '../api';
import { toApiError } from '../api';
import { indexCredentials, prepareSearch, type Row } from '../credentials';

class Data {
  credentials = $state.raw<CredentialSummary[]>([]);
  rows = $state.raw<Row[]>([]);
  clients = $state.raw<Client[]>([]);
  settings = $state.raw<Thresholds>({ renewal_window_days: 30, grace_days: 30 });
  /** The first load finished (successfully or not). */
  loaded = $state(false);
  /** Why the last load failed, shown in a banner. */
  error = $state.raw<ApiError | null>(null);
  /** Bumped after every change, so open pages reload what they show. */
  version = $state(0);

  #seq = 0;

  /** Reloads everything; a slower, older reload never overwrites a newer one. */
  async refresh(): Promise<void> {
    const mine = ++this.#seq;
    try {
      const [credentials, clients, settings] = await Promise.all([
        api.listCredentials(),
        api.listClients(),
        api.getSettings(),
      ]);
      if (mine !== this.#seq) return;
      performance.mark('tk:credentials-loaded');
      this.credentials = credentials;
      const rows = indexCredentials(credentials);
      this.rows = rows;
      // Search text is built after the first paint, before anyone can type.
      requestAnimationFrame(() => setTimeout(() => prepareSearch(rows), 0));
      this.clients = clients;
      this.settings = settings;
      this.error = null;
    } catch (e) {
      if (mine === this.#seq) this.error = toApiError(e);
    } finally {
      if (mine === this.#seq) {
        this.loaded = true;
        this.version++;
      }
    }
  }

  clientNamed(name: string): Client | undefined {
    const lower = name.toLowerCase();
    return this.clients.find((c) => c.name.toLowerCase() === lower);
  }
}

export const data = new Data();
