import { describe, expect, test } from 'vitest';
import { ApiError, type FileMatch, type Kind } from '../src/lib/api';
import { routeDrop, type Zone } from '../src/lib/routing';

const match = (kind: Kind, clients: string[] = [], label: string | null = null): FileMatch => ({
  kind,
  description: 'described',
  clients,
  label,
});
const zone = (kind: Kind | null, client: string | null, label: string | null = null): Zone => ({ kind, client, label });
const path = '/Downloads/file';

describe('dropped on a client zone', () => {
  test('the right kind goes to its wizard, with the card label', () => {
    const r = routeDrop({ path, zone: zone('push_certificate', 'Acme', 'APNs certificate'), currentClient: 'Acme', match: match('push_certificate', ['Acme'], 'APNs certificate') });
    expect(r).toMatchObject({ type: 'import', client: 'Acme', kind: 'push_certificate', label: 'APNs certificate', notice: null });
  });

  test('another kind says what it is and goes to its own flow', () => {
    const r = routeDrop({ path, zone: zone('push_certificate', 'Acme', 'APNs certificate'), currentClient: 'Acme', match: match('content_token') });
    expect(r.type).toBe('import');
    if (r.type !== 'import') return;
    expect(r.kind).toBe('content_token');
    expect(r.client).toBe('Acme');
    expect(r.label).toBeNull();
    expect(r.notice).toMatch(/^This is an Apps and Books token, not an APNs push certificate\./);
  });

  test('another kind keeps the label identify found for this client', () => {
    const r = routeDrop({ path, zone: zone('server_token', 'Acme'), currentClient: null, match: match('content_token', ['acme'], 'Main Street') });
    expect(r).toMatchObject({ type: 'import', kind: 'content_token', label: 'Main Street' });
  });

  test('a file on record for another client is said, and the user choice stands', () => {
    const r = routeDrop({ path, zone: zone('push_certificate', 'Acme'), currentClient: 'Acme', match: match('push_certificate', ['Beta'], 'APNs certificate') });
    expect(r).toMatchObject({ type: 'import', client: 'Acme', label: null });
    if (r.type === 'import') expect(r.notice).toContain('on record for Beta');
  });
});

describe('dropped outside any zone', () => {
  test('on a client page, a file unknown elsewhere is for that client', () => {
    const r = routeDrop({ path, zone: null, currentClient: 'Acme', match: match('server_token') });
    expect(r).toMatchObject({ type: 'import', client: 'Acme', kind: 'server_token', notice: null });
  });

  test('on a client page, a file on record for another client goes to that client, said aloud', () => {
    const r = routeDrop({ path, zone: null, currentClient: 'Acme', match: match('server_token', ['Beta'], 'Cupertino') });
    expect(r).toMatchObject({ type: 'import', client: 'Beta', label: 'Cupertino' });
    if (r.type === 'import') expect(r.notice).toContain('on record for Beta');
  });

  test('on the dashboard, a file matched to one client goes there', () => {
    const r = routeDrop({ path, zone: null, currentClient: null, match: match('content_token', ['Acme'], 'Main Street') });
    expect(r).toMatchObject({ type: 'import', client: 'Acme', kind: 'content_token', label: 'Main Street', notice: null });
  });

  test('matched to several clients: ask among them', () => {
    const r = routeDrop({ path, zone: null, currentClient: null, match: match('content_token', ['Acme', 'Beta']) });
    expect(r).toMatchObject({ type: 'choose_client', candidates: ['Acme', 'Beta'] });
  });

  test('matched to nobody: ask among every client', () => {
    const r = routeDrop({ path, zone: null, currentClient: null, match: match('push_certificate') });
    expect(r).toMatchObject({ type: 'choose_client', candidates: [], kind: 'push_certificate' });
  });

  test('client names compare without case', () => {
    const r = routeDrop({ path, zone: null, currentClient: 'ACME', match: match('push_certificate', ['acme'], 'APNs certificate') });
    expect(r).toMatchObject({ type: 'import', client: 'ACME', label: 'APNs certificate', notice: null });
  });
});

test('an unreadable file becomes an error route with its zone', () => {
  const err = new ApiError('unrecognized_file', 'this is a PNG image, not an Apple MDM credential');
  const z = zone('server_token', 'Acme');
  const r = routeDrop({ path, zone: z, currentClient: 'Acme', match: err });
  expect(r).toEqual({ type: 'error', path, error: err, zone: z });
});
