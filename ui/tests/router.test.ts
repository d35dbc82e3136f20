import { expect, test } from 'vitest';
import { href, parseRoute } from '../src/lib/routes';

test('hash routes round-trip, client names with any character', () => {
  for (const route of [
    { page: 'dashboard' },
    { page: 'clients' },
    { page: 'client', name: 'Acme Corp / Europe #2 & Co' },
    { page: 'events' },
    { page: 'settings' },
  ] as const) {
    expect(parseRoute(href(route))).toEqual(route);
  }
  expect(parseRoute('')).toEqual({ page: 'dashboard' });
  expect(parseRoute('#/nowhere')).toEqual({ page: 'dashboard' });
  expect(parseRoute('#/clients/%E0%A4%A')).toEqual({ page: 'clients' });
});
