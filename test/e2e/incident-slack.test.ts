import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { LOCAL } from '../../src/local/demo.js';
import { signSlackRequest } from '../../src/local/slack-standin/index.js';
import type { LocalStack } from '../../src/local/stack.js';
import { documentClient } from '../../src/store/table.js';
import { ALICE, OLIVIA, SAM, auditPosts, deliveredSecrets, logLines, run, textOf, useStack } from './harness.js';

/** Everything tokenops kept or sent: Slack calls, queue bodies, every store item, log lines. */
async function everywhere(s: LocalStack): Promise<string> {
  const db = documentClient({ tableName: s.dynamo.tableName, endpoint: s.dynamo.endpoint });
  const items = await db.send(new ScanCommand({ TableName: s.dynamo.tableName }));
  const msgs = s.standin.messages().map((m) => JSON.stringify(m));
  return [
    JSON.stringify(s.standin.calls),
    JSON.stringify(s.standin.responses),
    ...msgs,
    ...s.queue.bodies,
    JSON.stringify(items.Items),
    ...logLines,
  ].join('\n');
}

/** The leak-report results the bot sent to DMs (chat.postMessage to a D… channel), as text. */
function reporterDms(s: LocalStack): string[] {
  return s.standin.calls
    .filter((c) => c.method === 'chat.postMessage' && String(c.args['channel']).startsWith('D'))
    .map((c) => textOf(c.args))
    .filter((t) => t.includes('Your leak report'));
}

/** The audit channel's messages as they read now (cards updated in place included). */
const auditNow = (s: LocalStack): string =>
  s.standin
    .messages(s.config.slack.auditChannel)
    .filter((m) => !m.replacedBy)
    .map((m) => textOf(m))
    .join('\n');

async function audit(s: LocalStack, action: string): Promise<Record<string, unknown>[]> {
  const db = documentClient({ tableName: s.dynamo.tableName, endpoint: s.dynamo.endpoint });
  const items = await db.send(new ScanCommand({ TableName: s.dynamo.tableName }));
  return (items.Items ?? []).filter((i) => i['action'] === action);
}

async function reportInModal(s: LocalStack, user: string, values: Record<string, string>): Promise<number> {
  const ack = await run(s, user, 'leaked');
  expect(ack.status).toBe(200);
  expect(s.standin.openViews(user).at(-1)?.view.callback_id).toBe('leak_report');
  const r = await s.standin.submitView({ user, values });
  await s.queue.drain();
  return r.status;
}

const deactivated = (id: string, deleted = true) => ({ type: 'user_change', user: { id, name: 'x', deleted } });

describe('/token leaked and offboarding (policy ask), end to end', () => {
  const stack = useStack();

  it('answers Slack’s url_verification challenge on the request URL', async () => {
    const s = stack();
    const body = JSON.stringify({
      token: 't',
      challenge: 'chal-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const res = await fetch(s.requestUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(LOCAL.signingSecret, body) },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('chal-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
  });

  it('kills a leaked token pasted in the modal; the canary appears nowhere but the request', async () => {
    const s = stack();
    const sim = s.sims['vectorcharts:default'];
    const canary = sim?.seedToken('modal-canary').secret as string;
    expect(await sim?.useSecret(canary)).toBe(200);
    expect(await reportInModal(s, ALICE, { secret: canary, where: 'https://pastebin.example/x' })).toBe(200);
    expect(await sim?.useSecret(canary)).not.toBe(200);
    expect(reporterDms(s).join('\n')).toMatch(/Your leak report[\s\S]*revoked[\s\S]*modal-canary/);
    expect(auditPosts(s).join('\n')).toMatch(/revoked\* automatically[\s\S]*modal-canary[\s\S]*pastebin/);
    expect(await everywhere(s)).not.toContain(canary);
  });

  it('says a pasted value matched nothing (false positive) and changes nothing', async () => {
    const s = stack();
    const before = auditPosts(s).length;
    expect(await reportInModal(s, OLIVIA, { secret: 'not-a-real-token-0123456789abcdef' })).toBe(200);
    expect(reporterDms(s).at(-1)).toMatch(/matched no token/);
    expect(auditPosts(s).length).toBe(before);
  });

  it('warns about a secret typed after /token leaked, never echoes it, and treats it as leaked', async () => {
    const s = stack();
    const sim = s.sims['vectorcharts:default'];
    const typed = sim?.seedToken('typed-canary').secret as string;
    const r = await run(s, ALICE, `leaked ${typed}`);
    expect(r.ack).toMatch(/may be kept in its history, so treat that secret as leaked/);
    expect(r.ack).not.toContain(typed);
    expect(await sim?.useSecret(typed)).not.toBe(200);
    const all = await everywhere(s);
    expect(all).not.toContain(typed);
  });

  it('shows security a card for a deactivated user’s tokens, once, even when Slack retries the event', async () => {
    const s = stack();
    await run(s, ALICE, 'create mailtrap off-one');
    await run(s, ALICE, 'create mailtrap off-two');
    const before = auditPosts(s).length;
    const first = await s.standin.sendEvent({ event: deactivated(ALICE) });
    expect(first.status).toBe(200);
    await s.standin.sendEvent({ event: deactivated(ALICE), eventId: first.eventId, retryNum: 1 });
    await s.queue.drain();
    const cards = auditPosts(s)
      .slice(before)
      .filter((t) => /owned by/.test(t));
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatch(/2 tokens owned by <@U0ALICE>[\s\S]*off-one[\s\S]*off-two/);
    expect(cards[0]).toMatch(/Revoke all[\s\S]*Reassign to…[\s\S]*Keep/);
  });

  it('ignores a user_change of someone still active', async () => {
    const s = stack();
    const before = auditPosts(s).length;
    expect((await s.standin.sendEvent({ event: deactivated(OLIVIA, false) })).status).toBe(200);
    await s.queue.drain();
    expect(auditPosts(s).length).toBe(before);
  });

  it('Keep leaves the tokens alone and audits it; Reassign gives them to someone else, audited', async () => {
    const s = stack();
    const channel = s.config.slack.auditChannel;
    await s.standin.clickButton({ user: SAM, actionId: 'offboard_keep', channel });
    await s.queue.drain();
    expect((await audit(s, 'keep')).length).toBeGreaterThanOrEqual(2);
    expect(auditNow(s)).toMatch(/kept as they are by <@U0SAM>/);
    await s.standin.sendEvent({ event: deactivated(ALICE) });
    await s.queue.drain();
    await s.standin.clickButton({ user: SAM, actionId: 'offboard_reassign', channel });
    expect(s.standin.openViews(SAM).at(-1)?.view.callback_id).toBe('offboard_reassign');
    expect((await s.standin.submitView({ user: SAM, values: { owner: OLIVIA } })).status).toBe(200);
    await s.queue.drain();
    const mine = await s.stores.tokens.byOwner(OLIVIA);
    expect(mine.map((t) => t.name)).toEqual(expect.arrayContaining(['off-one', 'off-two']));
    expect(await s.stores.tokens.byOwner(ALICE)).toEqual([]);
    const reassigned = await audit(s, 'reassign');
    expect(reassigned.map((r) => r['detail'])).toContain(`owner ${ALICE} → ${OLIVIA}`);
  });

  it('Revoke all kills every token of the deactivated person at its provider', async () => {
    const s = stack();
    await s.standin.sendEvent({ event: deactivated(OLIVIA) });
    await s.queue.drain();
    await s.standin.clickButton({ user: SAM, actionId: 'offboard_revoke_all', channel: s.config.slack.auditChannel });
    await s.queue.drain();
    const secrets = deliveredSecrets(s)
      .filter((d) => d.user === ALICE)
      .map((d) => d.secret);
    for (const secret of secrets.slice(-2)) expect(await s.sims['mailtrap:default']?.useSecret(secret)).toBe(401);
    // A durable bulk job (source offboarding) runs them: the card says so, the summary follows.
    expect(auditNow(s)).toMatch(/Revoke all\* started by <@U0SAM>/);
    expect(auditNow(s)).toMatch(/Bulk revoke done\*: 2 revoked, 0 already gone, 0 failed, 0 cancelled of 2/);
    expect(
      (await audit(s, 'revoke')).filter(
        (r) =>
          /deactivated in Slack/.test(String(r['reason'])) &&
          r['outcome'] === 'succeeded' &&
          /\/\d+$/.test(String(r['ref'])),
      ),
    ).toHaveLength(2);
  });
});

describe('offboarding with policy onDeactivation: revoke', () => {
  const stack = useStack({ onDeactivation: 'revoke' });

  it('revokes a deactivated user’s tokens at once and posts the summary', async () => {
    const s = stack();
    await run(s, OLIVIA, 'create mailtrap gone-one');
    const secret = deliveredSecrets(s).at(-1)?.secret as string;
    expect(await s.sims['mailtrap:default']?.useSecret(secret)).toBe(200);
    await s.standin.sendEvent({ event: deactivated(OLIVIA) });
    await s.queue.drain();
    expect(await s.sims['mailtrap:default']?.useSecret(secret)).toBe(401);
    expect(auditNow(s)).toMatch(/Bulk revoke done\*: 1 revoked, 0 already gone, 0 failed, 0 cancelled of 1/);
    expect((await s.stores.tokens.byOwner(OLIVIA)).every((t) => t.revokedAt)).toBe(true);
  });
});
