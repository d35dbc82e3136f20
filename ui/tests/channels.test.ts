import { describe, expect, test } from 'vitest';
import type { Channel } from '../src/lib/api';
import { channelClients, channelCondition, channelRecipients, channelTarget, looksLikeEmail, smtpServer, splitAddresses } from '../src/lib/channels';

const health = { last_success_at: null, last_failure_at: null, last_error: null, failures: 0, pending: 0, problem: false };
const settings = { host: '', port: 0, security: 'starttls' as const, username: null, from: null, to: [], ca_file: null };

function channel(over: Partial<Channel> = {}): Channel {
  return { uid: 'u1', name: 'Alerts', kind: 'webhook', endpoint: 'https://hooks.example.com', settings, clients: null, health, ...over };
}

describe('channels in words', () => {
  test('a webhook shows only its host; e-mail its server, security and recipients', () => {
    expect(channelTarget(channel())).toBe('https://hooks.example.com');
    const mail = channel({ kind: 'email', endpoint: null, settings: { ...settings, host: 'smtp.example.com', port: 465, security: 'tls', to: ['a@x.example', 'b@x.example'] } });
    expect(channelTarget(mail)).toBe('smtp.example.com:465 (TLS) to a@x.example, b@x.example');
    expect(channelRecipients(mail)).toBe('a@x.example, b@x.example');
    expect(channelRecipients(channel())).toBe('https://hooks.example.com');
  });

  test('the SMTP server is written back as the form takes it', () => {
    expect(smtpServer({ host: 'smtp.example.com', port: 587, security: 'starttls' })).toBe('smtp://smtp.example.com:587');
    expect(smtpServer({ host: 'mail.example.com', port: 465, security: 'tls' })).toBe('smtps://mail.example.com:465');
    expect(smtpServer({ host: '::1', port: 2525, security: 'starttls' })).toBe('smtp://[::1]:2525');
    expect(smtpServer({ host: '', port: 0, security: 'starttls' })).toBe('');
  });

  test('condition: failing after the core says problem, a single failure, working, untested', () => {
    expect(channelCondition(channel())).toBe('untested');
    expect(channelCondition(channel({ health: { ...health, last_success_at: '2027-01-01T00:00:00Z' } }))).toBe('working');
    expect(channelCondition(channel({ health: { ...health, last_success_at: '2027-01-01T00:00:00Z', failures: 1 } }))).toBe('failed_once');
    expect(channelCondition(channel({ health: { ...health, failures: 2, problem: true } }))).toBe('failing');
  });

  test('clients served', () => {
    expect(channelClients(null)).toBe('All clients');
    expect(channelClients(['Acme', 'Globex'])).toBe('Acme, Globex');
    expect(channelClients([])).toBe('No client');
  });

  test('addresses: split on commas, semicolons and spaces; checked loosely as the core does', () => {
    expect(splitAddresses(' a@x.example, b@x.example;c@x.example\nd@x.example ')).toEqual(['a@x.example', 'b@x.example', 'c@x.example', 'd@x.example']);
    expect(looksLikeEmail('it@acme.example')).toBe(true);
    for (const bad of ['it', 'it@', '@acme', 'a@b@c', 'it at acme', '<it@acme.example>']) expect(looksLikeEmail(bad), bad).toBe(false);
  });
});
