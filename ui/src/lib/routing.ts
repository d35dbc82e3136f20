// Where a dropped (or chosen) file goes. Pure: the file has been identified by content
// (`identify_file`), the zone under the pointer is known; this decides which client and which
// renewal flow it belongs to, and what to tell the user on the way. A file dropped on the wrong
// zone is routed to its own flow with a plain "This is an Apps and Books token"; a file dropped
// outside any client goes to the client that has it on record, or the user is asked.

import type { ApiError, FileMatch, Kind } from './api';
import { KIND_ARTICLE, KIND_SECTION } from './format';
import { sameName } from './names';

/** The drop zone under the pointer: its kind, its client, and the credential it belongs to. */
export interface Zone {
  kind: Kind | null;
  client: string | null;
  /** The label of the credential whose card (or wizard) the zone belongs to. */
  label: string | null;
}

export type DropRoute =
  | {
      type: 'import';
      path: string;
      client: string;
      kind: Kind;
      /** The credential it renews, when known (a card's zone, or identify found exactly one). */
      label: string | null;
      /** Said before anything else ("This is an Apps and Books token, ..."). */
      notice: string | null;
      description: string;
    }
  | {
      type: 'choose_client';
      path: string;
      kind: Kind;
      /** Clients to offer first; empty means every client. */
      candidates: string[];
      notice: string | null;
      description: string;
    }
  | { type: 'error'; path: string; error: ApiError; zone: Zone | null };

export interface DropInput {
  path: string;
  zone: Zone | null;
  /** The client whose page is open, if any. */
  currentClient: string | null;
  /** What `identify_file` said, or how it failed. */
  match: FileMatch | ApiError;
}


function isError(m: FileMatch | ApiError): m is ApiError {
  return m instanceof Error;
}

/** "This is an Apps and Books token, not an APNs push certificate: ..." */
export function wrongZoneNotice(found: Kind, zone: Kind): string {
  return `This is ${KIND_ARTICLE[found]}, not ${KIND_ARTICLE[zone]}. It goes with the ${KIND_SECTION[found]}, so that is where TokenKeeper takes it.`;
}

export function routeDrop({ path, zone, currentClient, match }: DropInput): DropRoute {
  if (isError(match)) return { type: 'error', path, error: match, zone };
  const { kind, clients, description } = match;
  const owns = (client: string) => clients.some((c) => sameName(c, client));
  const labelFor = (client: string) => (clients.length === 1 && owns(client) ? match.label : null);

  // Dropped on a client's zone: the user said whose it is.
  if (zone?.client) {
    const client = zone.client;
    const notices: string[] = [];
    let label: string | null;
    if (zone.kind && zone.kind !== kind) {
      notices.push(wrongZoneNotice(kind, zone.kind));
      label = labelFor(client);
    } else {
      label = zone.label ?? labelFor(client);
    }
    if (clients.length > 0 && !owns(client)) {
      notices.push(`TokenKeeper has this ${kindWord(kind)} on record for ${clients.join(', ')}.`);
    }
    return { type: 'import', path, client, kind, label, notice: notices.join(' ') || null, description };
  }

  // Dropped anywhere else: whose is it?
  if (currentClient && (clients.length === 0 || owns(currentClient))) {
    return { type: 'import', path, client: currentClient, kind, label: labelFor(currentClient), notice: null, description };
  }
  if (clients.length === 1) {
    const client = clients[0];
    const notice =
      currentClient && !sameName(currentClient, client)
        ? `This ${kindWord(kind)} is on record for ${client}, not ${currentClient}: it renews ${client}'s.`
        : null;
    return { type: 'import', path, client, kind, label: match.label, notice, description };
  }
  if (clients.length > 1) {
    return {
      type: 'choose_client',
      path,
      kind,
      candidates: [...clients],
      notice: `Several clients hold ${KIND_ARTICLE[kind]} with this identity: choose whose this file is.`,
      description,
    };
  }
  return { type: 'choose_client', path, kind, candidates: [], notice: null, description };
}

function kindWord(kind: Kind): string {
  return KIND_ARTICLE[kind].replace(/^an? /, '');
}
