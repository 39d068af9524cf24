import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/local/simulators/base.js';
import type { LocalStack } from '../../src/local/stack.js';
import { documentClient } from '../../src/store/table.js';
import { ALICE, SAM, auditPosts, click, deliveredSecrets, refsIn, run, textOf, useStack } from './harness.js';

const FAULTS: [string, Fault, RegExp][] = [
  ['a 500', { kind: 'status', status: 500 }, /unavailable/],
  ['an HTML error page', { kind: 'html', status: 502 }, /unavailable/],
  ['malformed JSON', { kind: 'bad_json' }, /not JSON/],
  ['a wrong schema', { kind: 'wrong_schema' }, /unexpected shape/],
  ['a reset connection', { kind: 'reset' }, /dropped the connection|could not be reached/],
  ['a long rate limit', { kind: 'rate_limit', status: 429, retryAfter: '120' }, /rate limiting.*Try again in 120 s/],
  ['a 509 rate limit', { kind: 'rate_limit', status: 509, retryAfter: '90' }, /Try again in 90 s/],
];

/**
 * Forgets the rate-limit pauses an injected 429/509 left in the shared buckets: each case here fakes a
 * one-off limit, where a real one rightly holds every worker back for its Retry-After.
 */
async function clearRatePauses(s: LocalStack): Promise<void> {
  const db = documentClient({ tableName: s.dynamo.tableName, endpoint: s.dynamo.endpoint });
  const res = await db.send(
    new ScanCommand({
      TableName: s.dynamo.tableName,
      FilterExpression: 'begins_with(pk, :r)',
      ExpressionAttributeValues: { ':r': 'RATE#' },
    }),
  );
  for (const i of res.Items ?? [])
    await db.send(new DeleteCommand({ TableName: s.dynamo.tableName, Key: { pk: i['pk'], sk: i['sk'] } }));
}

describe('provider faults, end to end', () => {
  const stack = useStack();

  it.each(FAULTS)(
    'shows %s on one provider as a warning beside the other providers’ tokens',
    async (_what, fault, message) => {
      const s = stack();
      const sim = s.sims['triton:prod'];
      const off = sim?.inject({ fault, method: 'GET' });
      const r = await run(s, SAM, 'find prod');
      off?.();
      const text = r.replies.join('\n');
      expect(text).toMatch(/triton:prod.*could not be read/);
      expect(text).toMatch(message);
      expect(refsIn(text).length).toBeGreaterThan(0); // the others answered
    },
  );

  it.each(FAULTS)(
    'answers a create that meets %s with a clear error and a failed audit record',
    async (_what, fault, message) => {
      const s = stack();
      const sim = s.sims['mailtrap:default'];
      const before = deliveredSecrets(s).length;
      const off = sim?.inject({ fault, method: 'POST' });
      const r = await run(s, ALICE, 'create mailtrap faulty-e2e');
      off?.();
      await clearRatePauses(s);
      expect(r.replies.join('\n')).toMatch(message);
      expect(deliveredSecrets(s).length).toBe(before);
      expect(auditPosts(s).at(-1)).toMatch(/failed/);
    },
  );

  it('answers a revoke that meets a provider fault, audits it, and a retry then works', async () => {
    const s = stack();
    await run(s, SAM, 'create triton:prod flaky-e2e --tier tier1');
    const ref = refsIn(textOf(s.standin.responses.at(-1)?.body))[0] as string;
    const off = s.sims['triton:prod']?.inject({ fault: { kind: 'status', status: 503 }, method: 'PUT' });
    await s.standin.slashCommand({ user: SAM, text: `revoke ${ref}` });
    expect((await click(s, SAM, 'revoke_confirm')).join('\n')).toMatch(/unavailable/);
    expect(auditPosts(s).at(-1)).toMatch(/failed/);
    off?.();
    await s.standin.slashCommand({ user: SAM, text: `revoke ${ref}` });
    expect((await click(s, SAM, 'revoke_confirm')).join('\n')).toMatch(/Revoked/);
  });

  it('still records and reports the new token when retiring the old one fails after delivery', async () => {
    const s = stack();
    await run(s, SAM, 'create triton:prod retire-fails-e2e --tier tier1');
    const ref = refsIn(textOf(s.standin.responses.at(-1)?.body))[0] as string;
    const before = deliveredSecrets(s).length;
    const off = s.sims['triton:prod']?.inject({
      fault: { kind: 'status', status: 500 },
      method: 'PUT',
      path: /deactivate$/,
    });
    const r = await run(s, SAM, `rotate ${ref}`);
    off?.();
    expect(deliveredSecrets(s).length - before).toBe(1);
    expect(r.replies.join('\n')).toMatch(/Rotated/);
    expect(r.replies.join('\n')).toMatch(/FAILED, so it still works: revoke it now/);
    expect(auditPosts(s).at(-1)).toMatch(/FAILED/);
  });

  it('says so plainly when neither delivery nor undoing the new token works', async () => {
    const s = stack();
    await run(s, SAM, 'create vectorcharts undo-fails-e2e');
    const ref = refsIn(textOf(s.standin.responses.at(-1)?.body))[0] as string;
    s.standin.fail('chat.postEphemeral', 'channel_not_found', 1);
    const off = s.sims['vectorcharts:default']?.inject({ fault: { kind: 'status', status: 500 }, method: 'DELETE' });
    const r = await run(s, SAM, `rotate ${ref}`);
    off?.();
    expect(r.replies.join('\n')).toMatch(
      /revoking the new token failed too: revoke vectorcharts:default\/[0-9a-f]{16} now/,
    );
    expect(auditPosts(s).at(-1)).toMatch(/failed/);
  });

  it('says a token is unknown', async () => {
    const r = await run(stack(), SAM, 'show mailtrap/999999999');
    expect(r.replies.join('\n')).toMatch(/does not know that token|not found/i);
  });
});

describe('audit store down, end to end', () => {
  const stack = useStack();

  it('refuses to mint but still revokes, and the audit channel still hears of it', async () => {
    const s = stack();
    await run(s, SAM, 'create mailtrap before-outage');
    const ref = refsIn(textOf(s.standin.responses.at(-1)?.body))[0] as string;
    const secret = deliveredSecrets(s).at(-1)?.secret as string;
    await s.standin.slashCommand({ user: SAM, text: `revoke ${ref} --reason store down` });
    await s.dynamo.close(); // the audit store goes away
    const before = deliveredSecrets(s).length;
    const refused = await run(s, ALICE, 'create mailtrap during-outage');
    expect(refused.replies.join('\n')).toMatch(/audit trail cannot be written/);
    expect(deliveredSecrets(s).length).toBe(before);
    const done = await click(s, SAM, 'revoke_confirm');
    expect(done.join('\n')).toMatch(/Revoked/);
    expect(await s.sims['mailtrap:default']?.useSecret(secret)).toBeGreaterThanOrEqual(400);
    expect(auditPosts(s).some((p) => p.includes(ref) && /revoke/.test(p) && /succeeded/.test(p))).toBe(true);
  });
});
