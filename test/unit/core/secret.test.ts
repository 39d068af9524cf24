import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret, fingerprint, last4, redact, shortFingerprint } from '../../../src/core/secret.js';

describe('Secret', () => {
  const value = 'canary-5ecret-value-0042';
  const s = new Secret(value);

  it('never prints its value through String, JSON, template literals or inspect', () => {
    expect(String(s)).toBe('[secret]');
    expect(`${s}`).toBe('[secret]');
    expect(JSON.stringify({ s })).toBe('{"s":"[secret]"}');
    expect(inspect({ nested: { s } }, { depth: 9 })).not.toContain(value);
  });

  it('reveals the value only on request, with its last 4', () => {
    expect(s.reveal()).toBe(value);
    expect(s.last4).toBe('0042');
    expect(last4('ab')).toBe('ab');
  });
});

describe('fingerprint', () => {
  it('is a stable keyed HMAC-SHA-256 in hex that depends on the key', () => {
    const a = fingerprint('token-value', 'key-one-0123456789');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint(new Secret('token-value'), 'key-one-0123456789')).toBe(a);
    expect(fingerprint('token-value', 'key-two-0123456789')).not.toBe(a);
    expect(shortFingerprint(a)).toHaveLength(12);
  });
});

describe('redact', () => {
  it('replaces every occurrence of the given secrets and ignores tiny ones', () => {
    expect(redact('a SECRET1 b SECRET1', ['SECRET1'])).toBe('a [secret] b [secret]');
    expect(redact('abc', ['ab'])).toBe('abc');
  });
});
