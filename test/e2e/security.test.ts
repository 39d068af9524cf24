import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/local/slack-standin/index.js';
import { documentClient } from '../../src/store/table.js';
import {
  ALICE,
  GUEST,
  SAM,
  STRANGER,
  auditPosts,
  click,
  deliveredSecrets,
  logLines,
  refsIn,
  run,
  textOf,
  useStack,
} from './harness.js';

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

describe('security, end to end', () => {
  const stack = useStack();

  it('puts a minted secret in exactly one Slack call (the requester ephemeral DM) and nowhere else', async () => {
    const s = stack();
    const callsBefore = s.standin.calls.length;
    await run(s, ALICE, 'create mailtrap canary-e2e --reason canary');
    await run(s, ALICE, `rotate ${refsIn(textOf(s.standin.responses.at(-1)?.body))[0]}`);
    const secrets = deliveredSecrets(s)
      .slice(-2)
      .map((d) => d.secret);
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) {
      expect(await s.sims['mailtrap:default']?.useSecret(secret)).toBeLessThan(300); // it is the real secret
      const holding = s.standin.calls.slice(callsBefore).filter((c) => JSON.stringify(c.args).includes(secret));
      expect(holding).toHaveLength(1);
      expect(holding[0]).toMatchObject({ method: 'chat.postEphemeral', args: { user: ALICE } });
      expect(String(holding[0]?.args['channel'])).toMatch(/^D/);
      expect(JSON.stringify(holding[0]?.args['text'])).not.toContain(secret); // not in the notification text
      expect(JSON.stringify(s.standin.responses)).not.toContain(secret);
      expect(s.queue.bodies.join('\n')).not.toContain(secret);
      expect(logLines.join('\n')).not.toContain(secret);
      const items = await documentClient({ tableName: s.dynamo.tableName, endpoint: s.dynamo.endpoint }).send(
        new ScanCommand({ TableName: s.dynamo.tableName }),
      );
      expect(JSON.stringify(items.Items)).not.toContain(secret);
      const visible = s.standin.messages().filter((m) => JSON.stringify(m).includes(secret));
      expect(visible.every((m) => m.ephemeralTo === ALICE && m.channel.startsWith('D'))).toBe(true);
    }
  });

  it('writes structured log lines that carry the correlation id of the request and job', async () => {
    const s = stack();
    const before = logLines.length;
    await run(s, ALICE, 'list mailtrap');
    const lines = logLines.slice(before).map((l) => JSON.parse(l) as { m: string; correlationId?: string });
    expect(lines.map((l) => l.m)).toEqual(expect.arrayContaining(['job queued', 'command done']));
    const ids = new Set(lines.map((l) => l.correlationId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f-]{13}$/);
  });

  it('revokes a Vector Charts token from its pasted secret (its id), without the secret going anywhere', async () => {
    const s = stack();
    await run(s, SAM, 'create vectorcharts leaked-vc');
    const secret = deliveredSecrets(s).at(-1)?.secret as string;
    const callsBefore = s.standin.calls.length;
    const responsesBefore = s.standin.responses.length;
    const bodiesBefore = s.queue.bodies.length;
    const ask = await s.standin.slashCommand({ user: SAM, text: `revoke vectorcharts/${secret} --reason leaked` });
    expect(JSON.stringify(ask.body)).not.toContain(secret);
    expect((await click(s, SAM, 'revoke_confirm')).join('\n')).toMatch(/Revoked/);
    expect(await s.sims['vectorcharts:default']?.useSecret(secret)).toBeGreaterThanOrEqual(400);
    const after = JSON.stringify([
      s.standin.calls.slice(callsBefore),
      s.standin.responses.slice(responsesBefore),
      s.queue.bodies.slice(bodiesBefore),
      logLines,
    ]);
    expect(after).not.toContain(secret);
  });

  it("offers Revoke only to those who may revoke: an engineer on her own token, never on another's", async () => {
    const s = stack();
    await run(s, ALICE, 'create mailtrap shaped-own-e2e');
    await run(s, SAM, 'create mailtrap shaped-other-e2e');
    const mine = await run(s, ALICE, 'find shaped-own-e2e');
    const ref = refsIn(mine.replies.join('\n'))[0] as string;
    const shown = await run(s, ALICE, `show ${ref}`);
    expect(shown.replies.join('\n')).toMatch(/rotate_request/); // engineers may rotate their own
    expect(shown.replies.join('\n')).toMatch(/revoke_request/); // and revoke their own (revoke:own)
    const other = await run(s, ALICE, 'find shaped-other-e2e');
    expect(other.replies.join('\n')).toMatch(/shaped-other-e2e/);
    expect(other.replies.join('\n')).not.toMatch(/revoke_request/);
    const sec = await run(s, SAM, 'find shaped-own-e2e');
    expect(sec.replies.join('\n')).toMatch(/revoke_request/);
  });

  it('tells a user whose click is refused (their rights changed after the button was shown)', async () => {
    const s = stack();
    await run(s, ALICE, 'create mailtrap refuse-click-e2e');
    const find = await run(s, SAM, 'find refuse-click-e2e');
    expect(find.replies.join('\n')).toMatch(/revoke_request/);
    await click(s, SAM, 'revoke_request');
    const grants = s.config.policy.roles['security']!.grants;
    const saved = grants['*'];
    grants['*'] = ['list', 'find'];
    try {
      const refused = await click(s, SAM, 'revoke_confirm');
      expect(refused.join('\n')).toMatch(/Not allowed/);
    } finally {
      grants['*'] = saved;
    }
  });

  it("refuses an engineer's click on someone else's token: she may revoke only her own", async () => {
    const s = stack();
    // Sam's token: Alice may revoke only her own (revoke:own). She is offered no button, and when she
    // types the command, the worker (which knows the owner) refuses her confirmation.
    await run(s, SAM, 'create mailtrap refuse-other-e2e');
    const find = await run(s, ALICE, 'find refuse-other-e2e');
    expect(find.replies.join('\n')).not.toMatch(/revoke_request/);
    const ref = refsIn(find.replies.join('\n'))[0] as string;
    await run(s, ALICE, `revoke ${ref}`);
    const refused = await click(s, ALICE, 'revoke_confirm');
    expect(refused.join('\n')).toMatch(/Not allowed: this token belongs to someone else/);
  });

  it('answers with a short error when the queue is down, and does nothing', async () => {
    const s = stack();
    const send = s.queue.send.bind(s.queue);
    s.queue.send = async () => Promise.reject(new Error('SQS unavailable'));
    try {
      const r = await s.standin.slashCommand({ user: ALICE, text: 'list mailtrap' });
      expect(r.status).toBe(200);
      expect(textOf(r.body)).toMatch(/nothing was done/);
    } finally {
      s.queue.send = send;
    }
  });

  it('refuses bad, missing and expired signatures before any work', async () => {
    const s = stack();
    const body = form({
      command: '/token',
      text: 'list',
      user_id: SAM,
      team_id: s.config.slack.allowedTeams[0] as string,
      channel_id: 'C0GENERAL',
      trigger_id: 'sig-test',
      response_url: `${s.standin.url}/response/x`,
    });
    const post = (headers: Record<string, string>): Promise<Response> =>
      fetch(s.requestUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    const queued = s.queue.bodies.length;
    expect((await post({})).status).toBe(401);
    expect((await post(signSlackRequest('wrong-secret', body))).status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await post(signSlackRequest(s.slack.signingSecret, body, old))).status).toBe(401);
    const tampered = signSlackRequest(s.slack.signingSecret, body);
    const bad = await fetch(s.requestUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...tampered },
      body: body.replace('list', 'revoke'),
    });
    expect(bad.status).toBe(401);
    expect(s.queue.bodies.length).toBe(queued);
    expect((await post(signSlackRequest(s.slack.signingSecret, body))).status).toBe(200);
  });

  it('acts once on a replayed request (same trigger_id)', async () => {
    const s = stack();
    const body = form({
      command: '/token',
      text: 'create mailtrap replayed-e2e',
      user_id: ALICE,
      user_name: 'alice',
      team_id: s.config.slack.allowedTeams[0] as string,
      channel_id: 'C0GENERAL',
      trigger_id: 'replay-1',
      response_url: `${s.standin.url}/response/none`,
    });
    const before = deliveredSecrets(s).length;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(s.requestUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...signSlackRequest(s.slack.signingSecret, body),
        },
        body,
      });
      expect(res.status).toBe(200);
    }
    await s.queue.drain();
    expect(deliveredSecrets(s).length - before).toBe(1);
  });

  it('acts once when the queue delivers a job twice', async () => {
    const s = stack();
    const job = {
      id: 'twice-1',
      correlationId: 'c-twice',
      createdAt: new Date().toISOString(),
      origin: { userId: ALICE, teamId: s.config.slack.allowedTeams[0] as string, channelId: 'C0GENERAL' },
      kind: 'command' as const,
      command: { name: 'create' as const, target: { provider: 'mailtrap' as const }, tokenName: 'twice-e2e' },
    };
    const before = deliveredSecrets(s).length;
    await Promise.all([s.runner.run(job), s.runner.run(job).catch(() => undefined)]);
    await s.runner.run(job);
    expect(deliveredSecrets(s).length - before).toBe(1);
  });

  it.each([
    [GUEST, /guests cannot use tokenops/],
    [STRANGER, /other organisations|own workspace/],
  ])('refuses %s', async (user, why) => {
    const r = await run(stack(), user, 'list triton');
    expect(r.ack).toMatch(why);
    expect(r.replies).toEqual([]);
  });

  it('refuses an engineer a revoke of a token tokenops did not mint for her, and audits the refusal', async () => {
    const s = stack();
    const ref = refsIn((await run(s, ALICE, 'list vaultoro')).replies.join('\n'))[0] as string;
    const sim = s.sims['vaultoro:default'];
    const deletes = (): number => sim?.requests.filter((q) => q.method === 'DELETE').length ?? 0;
    const before = deletes();
    const ask = await s.standin.slashCommand({ user: ALICE, text: `revoke ${ref} --reason nope` });
    expect(JSON.stringify(ask.body)).toMatch(/revoke_confirm/); // she may revoke her own tokens
    const r = await click(s, ALICE, 'revoke_confirm');
    expect(r.join('\n')).toMatch(/Not allowed: tokenops did not mint this token.*`revoke:any`/);
    expect(deletes()).toBe(before); // refused before any provider call
    expect(auditPosts(s).some((p) => p.includes(ref) && /refused/i.test(p))).toBe(true);
    const stored = await s.stores.audit.list({ since: new Date(Date.now() - 60_000).toISOString() });
    expect(stored.some((r) => r.ref === ref && r.outcome === 'refused' && r.actor === ALICE)).toBe(true);
  });

  it('does not repeat a create whose earlier run was interrupted, and says so', async () => {
    const s = stack();
    const job = {
      id: 'interrupted-1',
      correlationId: 'c-int',
      createdAt: new Date().toISOString(),
      origin: { userId: ALICE, teamId: s.config.slack.allowedTeams[0] as string, channelId: 'C0GENERAL' },
      kind: 'command' as const,
      command: { name: 'create' as const, target: { provider: 'mailtrap' as const }, tokenName: 'interrupted-e2e' },
    };
    await s.stores.claims.claim(job.id, -1, { takeover: false }); // a worker took it and died
    const before = deliveredSecrets(s).length;
    await s.runner.run(job);
    expect(deliveredSecrets(s).length).toBe(before);
    const told = s.standin.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args['user'] === ALICE).at(-1);
    expect(textOf(told?.args)).toMatch(/interrupted/);
  });

  it('after a crash answers a restarted job at once: a read runs again, a create says it was interrupted', async () => {
    const s = stack();
    const origin = { userId: ALICE, teamId: s.config.slack.allowedTeams[0] as string, channelId: 'C0GENERAL' };
    const base = { correlationId: 'c-crash', createdAt: new Date().toISOString(), origin, kind: 'command' as const };
    const read = { ...base, id: 'crashed-read', command: { name: 'providers' as const } };
    const mint = {
      ...base,
      id: 'crashed-mint',
      command: { name: 'create' as const, target: { provider: 'mailtrap' as const }, tokenName: 'crashed-e2e' },
    };
    // The dead process claimed both with a fresh lease: only knowing it died lets them be answered now.
    for (const j of [read, mint]) await s.stores.claims.claim(j.id, 300_000, { takeover: false });
    const before = deliveredSecrets(s).length;
    const calls = s.standin.calls.length;
    await s.runner.run(read, Date.now() + 40_000, { previousRunDied: true });
    await s.runner.run(mint, Date.now() + 40_000, { previousRunDied: true });
    expect(deliveredSecrets(s).length).toBe(before);
    const told = s.standin.calls
      .slice(calls)
      .filter((c) => c.method === 'chat.postEphemeral' && c.args['user'] === ALICE);
    expect(told.map((c) => textOf(c.args)).join('\n')).toMatch(/interrupted/);
    expect(told.map((c) => textOf(c.args)).join('\n')).toMatch(/Vaultoro|Mailtrap/);
  });

  it('neutralises mentions and links in names and reasons everywhere they are shown', async () => {
    const s = stack();
    // What Slack sends (should_escape) when a user types these characters literally: &lt; &gt; &amp;.
    const typed = '&lt;!channel&gt; &lt;@U0SAM&gt; &lt;https://evil.example|click&gt; *bold* `tick`';
    await run(s, ALICE, `create mailtrap "${typed}" --reason "${typed}"`);
    // And a provider that returns such a name itself.
    s.sims['mailtrap:default']?.seedToken('<!here> <@U0ALICE> <https://evil.example|x>');
    const listed = await run(s, SAM, 'list mailtrap');
    const posted = auditPosts(s).at(-1) as string;
    const created = textOf(s.standin.responses.at(-2)?.body);
    for (const text of [posted, created, listed.replies.join('\n')]) {
      expect(text).not.toMatch(/<!channel>|<!here>|<@U0SAM>|<https:\/\/evil/);
    }
    expect(posted).toContain('&lt;!channel&gt;');
    expect(listed.replies.join('\n')).toContain('&lt;!here&gt;');
  });

  it('revokes the new token again when the secret cannot be delivered, and audits it', async () => {
    const s = stack();
    s.standin.fail('chat.postEphemeral', 'channel_not_found', 1);
    const r = await run(s, ALICE, 'create triton:prod undeliverable-e2e --tier tier1');
    expect(r.replies.join('\n')).toMatch(/could not be delivered/);
    expect(r.replies.join('\n')).toMatch(/revoked again/);
    expect(auditPosts(s).some((p) => p.includes('undeliverable-e2e') && /undone|delivery/i.test(p))).toBe(true);
    const listed = await run(s, SAM, 'list triton:prod --name undeliverable-e2e');
    expect(listed.replies.join('\n')).toMatch(/inactive/);
  });

  it('never blocks a revoke on Slack: the audit post is retried until it lands', async () => {
    const s = stack();
    await run(s, SAM, 'create mailtrap slack-down-e2e');
    const ref = refsIn(textOf(s.standin.responses.at(-1)?.body))[0] as string;
    const secret = deliveredSecrets(s).at(-1)?.secret as string;
    await s.standin.slashCommand({ user: SAM, text: `revoke ${ref}` });
    s.standin.fail('chat.postMessage', 'internal_error', 4);
    const done = await click(s, SAM, 'revoke_confirm');
    expect(done.join('\n')).toMatch(/Revoked/);
    expect(await s.sims['mailtrap:default']?.useSecret(secret)).toBeGreaterThanOrEqual(400);
    await s.standin.waitFor(() => auditPosts(s).some((p) => p.includes(ref) && /revoke/i.test(p)), 10_000);
  });
});
