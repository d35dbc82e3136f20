// The current route, following the location hash.

import { href, parseRoute, type Route } from '../routes';

export { clientHref, href, parseRoute, type Route } from '../routes';

class Router {
  route = $state<Route>(parseRoute(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => {
        this.route = parseRoute(location.hash);
      });
    }
  }

  go(route: Route) {
    const target = href(route);
    if (location.hash === target) this.route = parseRoute(target);
    else location.hash = target;
  }
}

export const router = new Router();
