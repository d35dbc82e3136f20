// The team's channels in words: what carries them, where they go (never a secret: a webhook
// shows only its host, as the shell sends it), whom they serve and how they are doing. Pure, so
// the list and the form say the same thing and the unit tests can hold them to it.

import type { Channel, ChannelKind, ChannelSettings } from './api';

export const CHANNEL_KINDS: readonly ChannelKind[] = ['email', 'teams', 'slack', 'webhook'];

/** What carries a channel, as the user knows it. */
export const CHANNEL_KIND_NAME: Record<ChannelKind, string> = {
  email: 'E-mail',
  teams: 'Microsoft Teams',
  slack: 'Slack',
  webhook: 'Webhook (signed JSON)',
};

/** What the form asks for under each kind, in a line. */
export const CHANNEL_KIND_HINT: Record<ChannelKind, string> = {
  email: 'Through your SMTP server, with TLS.',
  teams: 'A Teams Workflows webhook ("Post to a channel when a webhook request is received").',
  slack: 'A Slack incoming webhook.',
  webhook: 'A JSON POST to your ticketing or monitoring system, signed with HMAC-SHA256.',
};

/** The SMTP server as the form shows it: `smtp://HOST:PORT` (STARTTLS) or `smtps://HOST:PORT` (TLS). */
export function smtpServer(s: Pick<ChannelSettings, 'host' | 'port' | 'security'>): string {
  if (!s.host) return '';
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.security === 'tls' ? 'smtps' : 'smtp'}://${host}:${s.port}`;
}

/** Where a channel's messages go: the SMTP server and recipients, or the webhook's host. */
export function channelTarget(c: Pick<Channel, 'kind' | 'endpoint' | 'settings'>): string {
  if (c.kind === 'email') {
    const security = c.settings.security === 'tls' ? 'TLS' : 'STARTTLS';
    return `${c.settings.host}:${c.settings.port} (${security}) to ${c.settings.to.join(', ')}`;
  }
  return c.endpoint ?? 'address kept in the keychain';
}

/** Who reads a channel: its e-mail recipients, or the webhook's host. */
export function channelRecipients(c: Pick<Channel, 'kind' | 'endpoint' | 'settings'>): string {
  return c.kind === 'email' ? c.settings.to.join(', ') : channelTarget(c);
}

/** Whom a channel serves. */
export function channelClients(clients: string[] | null): string {
  if (clients === null) return 'All clients';
  if (clients.length === 0) return 'No client';
  return clients.join(', ');
}

/** How a channel is doing, as a word (the badge) and a tone (its colour, never alone). */
export type ChannelCondition = 'failing' | 'failed_once' | 'working' | 'untested';

export function channelCondition(c: Pick<Channel, 'health'>): ChannelCondition {
  const h = c.health;
  if (h.problem) return 'failing';
  if (h.failures > 0) return 'failed_once';
  if (h.last_success_at) return 'working';
  return 'untested';
}

export const CONDITION_LABEL: Record<ChannelCondition, string> = {
  failing: 'Failing',
  failed_once: 'Last attempt failed',
  working: 'Working',
  untested: 'Nothing sent yet',
};

/** A loose check of an address, before the shell's own: one @, something on each side. */
export function looksLikeEmail(address: string): boolean {
  return /^[^\s@<>,;"()[\]\\]+@[^\s@<>,;"()[\]\\]+$/.test(address.trim());
}

/** Addresses typed in one field, separated by commas, semicolons, spaces or lines. */
export function splitAddresses(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}
