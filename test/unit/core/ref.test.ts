import { describe, expect, it } from 'vitest';
import { formatRef } from '../../../src/core/ref.js';
import { looksLikeRef, parseRef } from '../../../src/providers/ref.js';

describe('REF', () => {
  it('parses provider, connection and id', () => {
    expect(parseRef('triton:prod/fa2fec9c-c3e6-4625-b11f-7906dff5f37c')).toEqual({
      provider: 'triton',
      connection: 'prod',
      id: 'fa2fec9c-c3e6-4625-b11f-7906dff5f37c',
    });
  });

  it('leaves the connection undefined when it is omitted', () => {
    expect(parseRef('mailtrap/12345')).toEqual({ provider: 'mailtrap', connection: undefined, id: '12345' });
  });

  it('round-trips through formatRef', () => {
    const ref = { provider: 'cobalt' as const, connection: 'default', id: 'api_AbCdEf123' };
    expect(parseRef(formatRef(ref))).toEqual(ref);
  });

  it.each([
    ['no slash', 'triton-prod-123'],
    ['an unknown provider', 'github:prod/123'],
    ['too many colons', 'triton:a:b/123'],
    ['a bad connection', 'triton:PROD!/123'],
    ['an empty id', 'triton:prod/'],
    ['an id with a slash', 'triton:prod/a/b'],
  ])('refuses %s with a message that shows the right form', (_why, text) => {
    expect(() => parseRef(text)).toThrow(/provider\[:connection\]\/id/);
  });

  it('tells REFs from other words', () => {
    expect(looksLikeRef('triton/abc')).toBe(true);
    expect(looksLikeRef('vaultoro:x/abc')).toBe(true);
    expect(looksLikeRef('ci-deploy')).toBe(false);
    expect(looksLikeRef('a/b')).toBe(false);
  });
});
