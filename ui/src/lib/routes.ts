// Hash routes (they work from Tauri's custom protocol without a server):
// #/ dashboard, #/clients, #/clients/<name>, #/events, #/settings. Pure; the reactive router
// lives in state/router.svelte.ts.

export type Route =
  | { page: 'dashboard' }
  | { page: 'clients' }
  | { page: 'client'; name: string }
  | { page: 'events' }
  | { page: 'settings' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '');
  const [head, ...rest] = path.split('/');
  switch (head) {
    case 'clients':
      if (rest.length && rest[0]) {
        try {
          return { page: 'client', name: decodeURIComponent(rest.join('/')) };
        } catch {
          return { page: 'clients' };
        }
      }
      return { page: 'clients' };
    case 'events':
      return { page: 'events' };
    case 'settings':
      return { page: 'settings' };
    default:
      return { page: 'dashboard' };
  }
}

export function href(route: Route): string {
  switch (route.page) {
    case 'dashboard':
      return '#/';
    case 'client':
      return `#/clients/${encodeURIComponent(route.name)}`;
    default:
      return `#/${route.page}`;
  }
}

export const clientHref = (name: string) => href({ page: 'client', name });
