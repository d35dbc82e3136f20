import type { CredentialSummary, ImportPlan, Kind, StateId } from '../src/lib/api';

let n = 0;
export function summary(over: Partial<CredentialSummary> & { state?: StateId; days?: number | null; reason?: string | null } = {}): CredentialSummary {
  const { state = 'active', days = 200, reason = null, ...rest } = over;
  n++;
  return {
    uid: `uid-${n}`,
    client: 'Acme',
    portal: 'business',
    kind: 'push_certificate' as Kind,
    label: 'APNs certificate',
    identity: `com.apple.mgmt.External.${n}`,
    apple_account: null,
    expires_at: days === null ? null : new Date(Date.UTC(2026, 0, 1) + days * 86_400_000).toISOString(),
    revision: 1,
    status: { state, days_left: days, reason },
    source: 'file',
    mdm: null,
    ...rest,
  };
}

export function plan(over: Partial<ImportPlan> = {}): ImportPlan {
  return {
    client: 'Acme',
    kind: 'push_certificate',
    action: 'renew',
    uid: 'uid-1',
    label: 'APNs certificate',
    before: { identity: 'com.apple.mgmt.External.a', expires_at: '2026-03-04T00:00:00Z', organisation: null, recipient: null, apple_account: 'it@acme.example' },
    after: { identity: 'com.apple.mgmt.External.a', expires_at: '2027-03-04T00:00:00Z', organisation: null, recipient: null, apple_account: 'it@acme.example' },
    warnings: [],
    decrypted: true,
    attaches_key: null,
    tracked_only: false,
    ...over,
  } as ImportPlan;
}
