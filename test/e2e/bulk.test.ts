import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_RATE_RULES } from '../../src/providers/descriptors.js';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { maxInWindow } from '../support/windows.js';
import { ALICE, GUEST, SAM, auditPosts, click, run, textOf, useStack } from './harness.js';

/** The Mailtrap simulator of the stack. */
const mailtrap = (s: LocalStack) => s.sims['mailtrap:default'] as NonNullable<LocalStack['sims'][string]>;

/** Seeds `n` Mailtrap tokens named `<prefix>-<i>` straight into the simulator (made outside tokenops). */
function seed(s: LocalStack, prefix: string, n: number): { id: string; secret: string }[] {
  return Array.from({ length: n }, (_, i) => mailtrap(s).seedToken(`${prefix}-${i}`));
}

/** DELETE requests per token id the simulator received. */
function deletes(s: LocalStack, ids: readonly string[]): number[] {
  return ids.map((id) => mailtrap(s).requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/${id}`)).length);
}

/** The newest bot message in a channel whose text matches. */
function latest(s: LocalStack, re: RegExp, channel?: string) {
  return s.standin
    .messages(channel)
    .filter((m) => !m.replacedBy && !m.ephemeralTo && re.test(textOf(m.blocks ?? m.text)))
    .at(-1);
}

/** Sends the command, returns the preview text. */
async function preview(s: LocalStack, user: string, text: string): Promise<string> {
  return (await run(s, user, text)).replies.join('\n');
}

describe('bulk revoke from Slack (compromise mode), end to end', () => {
  const stack = useStack();

  it('previews counts, names and how each goes, and changes nothing before confirmation', async () => {
    const s = stack();
    const tokens = seed(s, 'pv-ci', 3);
    const text = await preview(s, SAM, 'revoke --provider mailtrap --name pv-ci');
    expect(text).toMatch(/Preview: revoke 3 tokens/);
    expect(text).toMatch(/mailtrap:default\*?: 3 tokens, deleted/);
    expect(text).toMatch(/pv-ci-0/);
    expect(text).toMatch(/Estimated time/);
    expect(text).toMatch(/bulk_confirm/);
    expect(text).not.toMatch(/bulk_confirm_typed/);
    expect(
      deletes(
        s,
        tokens.map((t) => t.id),
      ),
    ).toEqual([0, 0, 0]);
    for (const t of tokens) expect(await mailtrap(s).useSecret(t.secret)).toBe(200);
  });

  it('a button confirms a few tokens: each is revoked once, progress updates in place, one summary', async () => {
    const s = stack();
    const tokens = seed(s, 'btn-ci', 3);
    await preview(s, SAM, 'revoke --provider mailtrap --name btn-ci --reason laptop stolen');
    const auditBefore = auditPosts(s).length;
    await click(s, SAM, 'bulk_confirm');
    expect(
      deletes(
        s,
        tokens.map((t) => t.id),
      ),
    ).toEqual([1, 1, 1]);
    for (const t of tokens) expect(await mailtrap(s).useSecret(t.secret)).toBe(401);
    const progress = latest(s, /Bulk revoke done\* —/);
    expect(textOf(progress?.blocks)).toMatch(/3\/3/);
    expect(s.standin.calls.some((c) => c.method === 'chat.update')).toBe(true);
    const thread = s.standin.calls.filter((c) => c.method === 'chat.postMessage' && c.args['thread_ts']);
    expect(textOf(thread.at(-1)?.args)).toMatch(/3 revoked, 0 already gone, 0 failed/);
    // The audit channel gets one summary, not a message per token; the store has one record per token too.
    const posted = auditPosts(s).slice(auditBefore);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatch(/bulk job/);
    const records = await s.stores.audit.list({ since: new Date(Date.now() - 60_000).toISOString() });
    for (const t of tokens)
      expect(records.filter((r) => r.ref === `mailtrap:default/${t.id}` && r.outcome === 'succeeded')).toHaveLength(1);
  });

  it('above the threshold the person types the number; a wrong number is refused and nothing changes', async () => {
    const s = stack();
    const tokens = seed(s, 'typed-ci', 12);
    const text = await preview(s, SAM, 'revoke --provider mailtrap --name typed-ci');
    expect(text).toMatch(/Preview: revoke 12 tokens/);
    await click(s, SAM, 'bulk_confirm_typed');
    const wrong = await s.standin.submitView({ user: SAM, values: { count: '11' } });
    expect(JSON.stringify(wrong.body)).toMatch(/Type 12/);
    await s.queue.drain();
    expect(
      deletes(
        s,
        tokens.map((t) => t.id),
      ).every((n) => n === 0),
    ).toBe(true);
    await s.standin.submitView({ user: SAM, values: { count: '12' } });
    await s.queue.drain();
    expect(
      deletes(
        s,
        tokens.map((t) => t.id),
      ),
    ).toEqual(tokens.map(() => 1));
  });

  it("lists tokenops' own credential as left alone and never touches it", async () => {
    const s = stack();
    seed(s, 'own-ci', 2);
    const text = await preview(s, SAM, 'revoke --connection mailtrap:default');
    expect(text).toMatch(/Left alone[\s\S]*tokenops' own credential/);
    const total = Number(/Preview: revoke (\d+) tokens/.exec(text)?.[1]);
    await click(s, SAM, 'bulk_confirm_typed');
    await s.standin.submitView({ user: SAM, values: { count: String(total) } });
    await s.queue.drain();
    const listed = (await run(s, SAM, 'list mailtrap')).replies.join('\n');
    expect(listed).not.toMatch(/HTTP 401|could not/i);
    expect(listed).toMatch(/own credential/);
  });

  it('refuses people who may not revoke every selected token, and guests', async () => {
    const s = stack();
    seed(s, 'perm-ci', 2);
    const alice = await preview(s, ALICE, 'revoke --provider mailtrap --name perm-ci');
    expect(alice).toMatch(/Not allowed/);
    expect(alice).not.toMatch(/bulk_confirm/);
    const guest = await run(s, GUEST, 'revoke --provider mailtrap --name perm-ci');
    expect(guest.ack + guest.replies.join('\n')).toMatch(/Not allowed/);
  });

  it('names the right form for a bad selection', async () => {
    const s = stack();
    expect((await run(s, SAM, 'revoke --owner sam')).ack).toMatch(/--owner takes a person/);
    expect((await run(s, SAM, 'revoke --created-before soon')).ack).toMatch(/--created-before takes a date/);
    expect((await run(s, SAM, 'revoke mailtrap/1 --provider mailtrap')).ack).toMatch(/not both/);
    expect((await run(s, SAM, 'revoke --connection mailtrap')).ack).toMatch(/provider:connection/);
  });

  it('Stop cancels what has not started', async () => {
    const s = stack();
    const tokens = seed(s, 'stop-ci', 12);
    await preview(s, SAM, 'revoke --provider mailtrap --name stop-ci');
    mailtrap(s).setLatency(150);
    const down = mailtrap(s).inject({ method: 'DELETE', fault: { kind: 'status', status: 503 } });
    await click(s, SAM, 'bulk_confirm_typed');
    void s.standin.submitView({ user: SAM, values: { count: '12' } });
    const msg = await s.standin.waitFor(() => latest(s, /Bulk revoke running\* —/));
    // The Home tab shows the running job, with its own Stop.
    await s.standin.openHome({ user: SAM });
    const home = await s.standin.waitFor(() => {
      const h = s.standin.home(SAM);
      return h && /Bulk revocations running/.test(textOf(h.view)) ? h : undefined;
    });
    expect(textOf(home.view)).toMatch(/stop-ci[\s\S]*\/12/);
    await s.standin.clickButton({ user: SAM, actionId: 'bulk_stop', messageId: msg.id, channel: msg.channel });
    await s.queue.drain();
    down();
    mailtrap(s).clearFaults();
    const final = latest(s, /Bulk revoke stopped\* —/);
    expect(textOf(final?.blocks)).toMatch(/cancelled/);
    const cancelled = Number(/\*(\d+)\* cancelled/.exec(textOf(final?.blocks))?.[1]);
    expect(cancelled).toBeGreaterThan(0);
    for (const t of tokens) expect(await mailtrap(s).useSecret(t.secret)).toBe(200);
  });
});

/** The bulk job id the newest preview offers to confirm. */
function previewedId(s: LocalStack): string {
  const body = JSON.stringify(s.standin.responses.at(-1)?.body ?? {});
  const m = /"action_id":"bulk_confirm(?:_typed)?","value":"(\{[^"]*|[0-9a-f-]{36})/.exec(body.replace(/\\"/g, "'"));
  const raw = m?.[1] ?? '';
  return raw.startsWith('{') ? (/'id':'([0-9a-f-]{36})'/.exec(raw)?.[1] ?? '') : raw;
}

describe('bulk revoke survives a crash, end to end', () => {
  const stack = useStack();

  it('a start that died before its fan-out, and a token whose worker died mid-way, still end exactly once', async () => {
    const s = stack();
    const tokens = seed(s, 'crash-ci', 4);
    await preview(s, SAM, 'revoke --provider mailtrap --name crash-ci');
    const id = previewedId(s);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // A worker confirmed the job and claimed one token, then died: no fan-out, a lease running out.
    expect(await s.stores.bulk.transition(id, ['previewed'], 'running', { startedAt: new Date().toISOString() })).toBe(
      true,
    );
    const held = `mailtrap:default/${(tokens[0] as { id: string }).id}`;
    expect((await s.stores.bulk.claimItem(id, held, 300, 5)).claim).toBe('claimed');
    await click(s, SAM, 'bulk_confirm');
    await s.standin.waitFor(() => latest(s, /Bulk revoke done\* —/), 10_000);
    await s.queue.drain();
    expect(
      deletes(
        s,
        tokens.map((t) => t.id),
      ),
    ).toEqual([1, 1, 1, 1]);
    expect(textOf(latest(s, /Bulk revoke done\* —/)?.blocks)).toMatch(/\*4\* revoked/);
    const items = await s.stores.bulk.items(id);
    expect(items.find((i) => i.ref === held)?.attempts).toBe(2);
    // A redelivered confirmation fans out nothing again.
    const before = s.queue.bodies.length;
    const origin = { userId: SAM, teamId: s.config.slack.allowedTeams[0] as string, channelId: 'C0GENERAL' };
    const again = { id: 'again', correlationId: 'again', createdAt: new Date().toISOString(), origin };
    await s.queue.send({ ...again, kind: 'bulk_start', bulkId: id });
    await s.queue.drain();
    expect(s.queue.bodies.slice(before).filter((b) => b.includes('"bulk_item"'))).toEqual([]);
  });
});

describe('two workers share the documented rate limit', () => {
  const rules = {
    ...PROVIDER_RATE_RULES,
    mailtrap: [{ name: 'all', scope: 'all' as const, limit: 10, windowMs: 1000 }],
  };
  let s: LocalStack;
  beforeAll(async () => {
    s = await startLocalStack({
      delayScale: 0.001,
      workers: 2,
      rateRules: rules,
      rateMarginMs: 25,
      retry: { maxRetries: 1, retryBaseMs: 5, maxRetryAfterMs: 50 },
    });
  });
  afterAll(async () => s?.close());

  it('never lets the simulator see more than the limit in any window, and 429s slow down instead of failing', async () => {
    const tokens = seed(s, 'rate-ci', 30);
    await preview(s, SAM, 'revoke --provider mailtrap --name rate-ci');
    // The provider also pushes back once: the bucket slows down, the token is retried, not failed.
    mailtrap(s).inject({ method: 'DELETE', fault: { kind: 'rate_limit' }, times: 1 });
    const t0 = Date.now();
    await click(s, SAM, 'bulk_confirm_typed');
    await s.standin.submitView({ user: SAM, values: { count: '30' } });
    await s.queue.drain();
    const times = mailtrap(s)
      .requests.filter((r) => r.at >= t0)
      .map((r) => r.at);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(10);
    expect(
      deletes(
        s,
        tokens.map((t) => t.id),
      ).every((n) => n >= 1),
    ).toBe(true);
    for (const t of tokens) expect(await mailtrap(s).useSecret(t.secret)).toBe(401);
    expect(textOf(latest(s, /Bulk revoke done\* —/)?.blocks)).toMatch(
      /\*30\* revoked · \*0\* already gone · \*0\* failed/,
    );
  });
});
