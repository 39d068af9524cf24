import { describe, expect, it } from 'vitest';
import { deliveredSecrets, refsIn, run, SAM, textOf, useStack } from './harness.js';

// `/token find` when a provider cannot be listed (down, or over its rate limit at scale): it still
// answers for the tokens tokenops minted there, from its own index, and says the result is partial.

const stack = useStack();

describe('find with a provider that cannot be listed', () => {
  it('finds a token tokenops minted there from its index, and says the result is partial', async () => {
    const s = stack();
    await run(s, SAM, 'create mailtrap partial-find-e2e');
    const ref = refsIn(textOf(s.standin.responses.at(-1)?.body))[0] as string;
    const last4 = (deliveredSecrets(s).at(-1)?.secret as string).slice(-4);
    const off = s.sims['mailtrap:default']?.inject({ fault: { kind: 'status', status: 429 }, method: 'GET' });
    try {
      const r = await run(s, SAM, `find ${last4}`);
      const reply = r.replies.join('\n');
      expect(reply).toContain(ref);
      expect(reply).toMatch(/partial result/);
      expect(reply).toMatch(/mailtrap:default.*could not be listed/);
      expect(reply).toMatch(/from tokenops' index/);
    } finally {
      off?.();
    }
  });

  it('says a search that found nothing was partial, rather than "no match"', async () => {
    const s = stack();
    const off = s.sims['mailtrap:default']?.inject({ fault: { kind: 'status', status: 503 }, method: 'GET' });
    try {
      const r = await run(s, SAM, 'find zzzz');
      expect(r.replies.join('\n')).toMatch(/No token matches .*zzzz.* — \*partial result\*/);
    } finally {
      off?.();
    }
  });

  it('answers a full search with no partial warning when every provider lists', async () => {
    const r = await run(stack(), SAM, 'find zzzz');
    expect(r.replies.join('\n')).not.toMatch(/partial/);
  });
});
