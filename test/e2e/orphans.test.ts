import { describe, expect, it } from 'vitest';
import { newAuditId, type AuditRecord } from '../../src/core/audit.js';
import type { ProviderType } from '../../src/core/token.js';
import type { LocalStack } from '../../src/local/stack.js';
import { ALICE, auditPosts, textOf, useStack } from './harness.js';

// An interrupted mint (the worker died after the provider call) leaves a live token nobody received
// and an audit record "in progress". The sweep finds it when the job's lease lapses (or at once when
// its process is known dead) and on the schedule, revokes it, closes the record and tells everyone.

const SIM: Record<string, string> = {
  mailtrap: 'mailtrap:default',
  triton: 'triton:prod',
  vectorcharts: 'vectorcharts:default',
};
const connectionOf = (p: string) => (SIM[p] as string).split(':')[1] as string;

/** What a worker that died right after the provider's create leaves behind: the token, the record, the claim. */
async function strandedMint(
  s: LocalStack,
  provider: ProviderType,
  name: string,
  ageMs = 0,
  minted = true,
  rotateOf?: { id: string },
) {
  const sim = s.sims[SIM[provider] as string]!;
  const token = minted ? sim.seedToken(name) : { id: '', secret: '' };
  const at = new Date(Date.now() - ageMs).toISOString();
  const correlationId = `c-${name}`;
  const record: AuditRecord = {
    id: newAuditId(at),
    at,
    actor: ALICE,
    action: rotateOf ? 'rotate' : 'create',
    provider,
    connection: connectionOf(provider),
    ...(rotateOf ? { ref: `${SIM[provider]}/${rotateOf.id}` } : { tokenName: name }),
    outcome: 'in_progress',
    correlationId,
  };
  await s.stores.audit.put(record);
  const job = {
    id: `job-${name}`,
    correlationId,
    createdAt: at,
    origin: { userId: ALICE, teamId: s.config.slack.allowedTeams[0] as string, channelId: 'C0GENERAL' },
    kind: 'command' as const,
    command: rotateOf
      ? { name: 'rotate' as const, ref: { provider, connection: connectionOf(provider), id: rotateOf.id } }
      : { name: 'create' as const, target: { provider }, tokenName: name },
  };
  await s.stores.claims.claim(job.id, 300_000, { takeover: false }); // the dead run's claim, lease still fresh
  return { sim, token, record, job };
}

/** DMs the bot sent to a user (chat.postMessage to a D… channel). */
const dmsTo = (s: LocalStack, from: number) =>
  s.standin.calls
    .slice(from)
    .filter((c) => c.method === 'chat.postMessage' && String(c.args['channel']).startsWith('D'))
    .map((c) => textOf(c.args));

describe('orphans of interrupted mints are reconciled, end to end', () => {
  const stack = useStack();

  it.each(['mailtrap', 'triton', 'vectorcharts'] as const)(
    'on %s: a redelivered create whose worker died revokes the orphan, closes the record, tells the requester and the audit channel',
    async (provider) => {
      const s = stack();
      const name = `orphan-${provider}-${Date.now()}`;
      const { sim, token, record, job } = await strandedMint(s, provider, name);
      expect(await sim.useSecret(token.secret)).toBe(200);
      const calls = s.standin.calls.length;
      await s.runner.run(job, Date.now() + 40_000, { previousRunDied: true });
      expect(await sim.useSecret(token.secret)).not.toBe(200);
      const closed = await s.stores.audit.get(record.id);
      expect(closed).toMatchObject({
        outcome: 'orphan_revoked',
        ref: `${provider}:${connectionOf(provider)}/${token.id}`,
      });
      expect(dmsTo(s, calls).join('\n')).toMatch(/interrupted before you received a secret[\s\S]*found and revoked/);
      expect(auditPosts(s).at(-1)).toMatch(/interrupted; the orphaned token was revoked/);
      const reply = s.standin.calls.slice(calls).filter((c) => c.method === 'chat.postEphemeral');
      expect(reply.map((c) => textOf(c.args)).join('\n')).toMatch(/Your DM with the bot says what was left behind/);
    },
  );

  it('the schedule settles every record older than the lease: revokes what was left, and closes one with nothing left honestly', async () => {
    const s = stack();
    const left = await strandedMint(s, 'mailtrap', `orphan-sched-${Date.now()}`, 10 * 60_000);
    // This create never reached the provider: no token of its name exists.
    const nothing = await strandedMint(s, 'mailtrap', `orphan-none-${Date.now()}`, 10 * 60_000, false);
    const fresh = await strandedMint(s, 'mailtrap', `orphan-fresh-${Date.now()}`); // still within its lease
    await s.runner.run({
      id: `schedule-orphan_sweep-${Date.now()}`,
      correlationId: 'schedule',
      createdAt: new Date().toISOString(),
      origin: { userId: 'schedule', teamId: 'schedule', channelId: '' },
      kind: 'schedule',
      task: 'orphan_sweep',
    });
    expect(await s.sims['mailtrap:default']!.useSecret(left.token.secret)).not.toBe(200);
    expect(await s.stores.audit.get(left.record.id)).toMatchObject({ outcome: 'orphan_revoked' });
    expect(await s.stores.audit.get(nothing.record.id)).toMatchObject({
      outcome: 'interrupted',
      detail: expect.stringMatching(/nothing was left behind/),
    });
    // A mint still within its lease may have a live worker: the schedule leaves it alone.
    expect(await s.stores.audit.get(fresh.record.id)).toMatchObject({ outcome: 'in_progress' });
    expect(await s.sims['mailtrap:default']!.useSecret(fresh.token.secret)).toBe(200);
  });

  it('settles an interrupted rotate: the new token it left is revoked, the token being rotated is left alone', async () => {
    const s = stack();
    const name = `orphan-rotate-${Date.now()}`;
    const sim = s.sims['triton:prod']!;
    const old = sim.seedToken(name);
    const { token: fresh, record, job } = await strandedMint(s, 'triton', name, 0, true, old);
    await s.runner.run(job, Date.now() + 40_000, { previousRunDied: true });
    expect(await s.stores.audit.get(record.id)).toMatchObject({
      outcome: 'orphan_revoked',
      ref: `triton:prod/${fresh.id}`,
    });
    expect(await sim.useSecret(old.secret)).toBe(200);
    expect(await sim.useSecret(fresh.secret)).not.toBe(200);
  });

  it('never revokes a same-named token the requester did receive (it is in the token index)', async () => {
    const s = stack();
    const name = `orphan-kept-${Date.now()}`;
    const { sim, token, record, job } = await strandedMint(s, 'mailtrap', name);
    await s.stores.tokens.put({
      ref: `mailtrap:default/${token.id}`,
      provider: 'mailtrap',
      connection: 'default',
      name,
      owner: ALICE,
      fingerprint: 'f',
      last4: token.secret.slice(-4),
      createdAt: new Date().toISOString(),
    });
    await s.runner.run(job, Date.now() + 40_000, { previousRunDied: true });
    expect(await sim.useSecret(token.secret)).toBe(200);
    expect(await s.stores.audit.get(record.id)).toMatchObject({ outcome: 'interrupted' });
  });
});
