import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPostJob, commandJob, type Job } from '../../../src/commands/job.js';
import type { AuditRecord } from '../../../src/core/audit.js';
import type { Stores } from '../../../src/core/ports.js';
import { parseRef } from '../../../src/providers/ref.js';
import { startMailtrapSimulator, type MailtrapSimulator } from '../../../src/providers/mailtrap/simulator.js';
import type { ConnectionConfig } from '../../../src/providers/config.js';
import { RetryLater } from '../../../src/worker/job-runner.js';
import { useDynamo } from '../../support/dynamo.js';
import { testRunner, viewText } from '../../support/worker.js';

const origin = { userId: 'U0ENG', teamId: 'T1', channelId: 'C1', responseUrl: undefined };
let n = 0;
const head = () => ({ id: `job-${++n}`, correlationId: `corr-${n}`, origin });
const createJob = (name = 'ci-deploy') =>
  commandJob(head(), { name: 'create', target: { provider: 'mailtrap' }, tokenName: name });

describe('JobRunner', () => {
  const dynamo = useDynamo();
  let sim: MailtrapSimulator;
  let connections: ConnectionConfig[];
  beforeAll(async () => {
    sim = await startMailtrapSimulator();
    connections = [
      { provider: 'mailtrap', name: 'default', baseUrl: sim.url, ...sim.connectionConfig() } as ConnectionConfig,
    ];
  });
  afterAll(async () => sim?.close());

  it('creates a token, delivers the secret to the requester only and posts the audit notice', async () => {
    const { runner, output } = testRunner(await dynamo.stores(), connections);
    await runner.run(createJob());
    expect(output.secrets.map((s) => s.userId)).toEqual(['U0ENG']);
    expect(output.replies).toHaveLength(1);
    expect(viewText(output.replies[0]!.view)).toMatch(/sent to your DM/);
    expect(output.audits).toHaveLength(1);
    expect(viewText(output.audits[0]!)).toMatch(/succeeded/);
  });

  it('acts once when the same job is delivered twice', async () => {
    const { runner, output, log } = testRunner(await dynamo.stores(), connections);
    const job = createJob('twice');
    await runner.run(job);
    await runner.run(job);
    expect(output.secrets).toHaveLength(1);
    expect(output.replies).toHaveLength(1);
    expect(log.lines.some((l) => l.message === 'duplicate job skipped')).toBe(true);
  });

  it('never repeats a create whose earlier run died mid-way, and says so', async () => {
    const stores = await dynamo.stores();
    const { runner, output } = testRunner(stores, connections, { leaseMs: 1 });
    const job = createJob('interrupted');
    await stores.claims.claim(job.id, 1); // a worker claimed it and died
    await new Promise((r) => setTimeout(r, 20));
    const before = sim.requests.length;
    await runner.run(job);
    expect(sim.requests.length).toBe(before);
    expect(output.secrets).toEqual([]);
    expect(viewText(output.replies[0]!.view)).toMatch(/interrupted before it finished/);
  });

  it('asks for a retry while another worker holds the job', async () => {
    const stores = await dynamo.stores();
    const { runner } = testRunner(stores, connections);
    const job = commandJob(head(), { name: 'list', mine: false });
    await stores.claims.claim(job.id, 60_000);
    await expect(runner.run(job)).rejects.toBeInstanceOf(RetryLater);
  });

  it('refuses to mint without the claim store, but still revokes', async () => {
    const stores = await dynamo.stores();
    const down: Stores = {
      ...stores,
      claims: {
        claim: async () => Promise.reject(new Error('dynamo down')),
        complete: async () => Promise.reject(new Error('dynamo down')),
        release: async () => undefined,
      },
    };
    const { runner, output, log } = testRunner(down, connections);
    await runner.run(createJob('blind'));
    expect(output.secrets).toEqual([]);
    expect(viewText(output.replies[0]!.view)).toMatch(/audit trail cannot be written/);
    const token = sim.seedToken('to-kill');
    const revokeAs = { ...head(), origin: { ...origin, userId: 'U0SEC' } };
    await runner.run(commandJob(revokeAs, { name: 'revoke', ref: parseRef(`mailtrap/${token.id}`) }));
    expect(viewText(output.replies[1]!.view)).toMatch(/revoked|deleted/i);
    // The dropped claim completion is logged by name, with the correlation id, never a message.
    const drop = log.lines.find((l) => l.message.startsWith('job claim completion failed'));
    expect(drop?.extra).toMatchObject({ error: 'Error', correlationId: revokeAs.correlationId });
    expect(JSON.stringify(log.lines)).not.toContain('dynamo down');
  });

  it('re-queues an audit notice with a growing delay while Slack is down, then drops it with an error', async () => {
    const { runner, output, queue, log } = testRunner(await dynamo.stores(), connections);
    output.auditDown = true;
    const record: AuditRecord = {
      id: `rec-${n}`,
      at: new Date().toISOString(),
      actor: 'U0SEC',
      action: 'revoke',
      provider: 'mailtrap',
      connection: 'default',
      outcome: 'refused',
    };
    await runner.run(auditPostJob(head(), record, 0));
    expect(queue.sent.map((s) => [s.job.kind, s.delaySeconds])).toEqual([['audit_post', 5]]);
    const retry = queue.sent[0]!.job as Extract<Job, { kind: 'audit_post' }>;
    expect(retry.attempt).toBe(1);
    await runner.run(auditPostJob(head(), record, 12));
    expect(queue.sent).toHaveLength(1);
    expect(log.lines.some((l) => l.level === 'error' && l.message === 'audit notice dropped')).toBe(true);
  });
});

describe('JobRunner: the daily schedule', () => {
  const dynamo = useDynamo();
  const day = 86_400_000;
  const token = (ref: string, over: Record<string, unknown>) => ({
    ref,
    provider: 'mailtrap' as const,
    connection: 'default',
    name: ref.split('/')[1] ?? ref,
    owner: 'U0ENG',
    fingerprint: 'f'.repeat(64),
    last4: 'abcd',
    createdAt: new Date().toISOString(),
    ...over,
  });

  it('reminds owners of tokens that expire within the configured days, and nobody else', async () => {
    const stores = await dynamo.stores();
    const now = Date.now();
    await stores.tokens.put(token('mailtrap:default/soon', { expiresAt: new Date(now + 3 * day).toISOString() }));
    await stores.tokens.put(token('mailtrap:default/later', { expiresAt: new Date(now + 30 * day).toISOString() }));
    await stores.tokens.put(
      token('mailtrap:default/gone', {
        expiresAt: new Date(now + day).toISOString(),
        revokedAt: new Date().toISOString(),
      }),
    );
    const { runner, output } = testRunner(stores, [], { reminderDays: 7 });
    await runner.run({ ...head(), createdAt: new Date().toISOString(), kind: 'schedule', task: 'expiry_reminders' });
    expect(output.notices.map((x) => x.userId)).toEqual(['U0ENG']);
    expect(viewText(output.notices[0]!.view)).toContain('/token rotate mailtrap:default/soon');
  });

  it('reports live tokens older than 90 days to the audit channel, escaping their names', async () => {
    const stores = await dynamo.stores();
    const old = new Date(Date.now() - 100 * day).toISOString();
    await stores.tokens.put(token('mailtrap:default/old', { createdAt: old, name: '<!channel> old' }));
    await stores.tokens.put(token('mailtrap:default/new', {}));
    const { runner, output } = testRunner(stores, []);
    await runner.run({ ...head(), createdAt: new Date().toISOString(), kind: 'schedule', task: 'stale_report' });
    expect(output.audits).toHaveLength(1);
    const text = viewText(output.audits[0]!);
    expect(text).toContain('mailtrap:default/old');
    expect(text).not.toContain('mailtrap:default/new');
    expect(text).not.toContain('<!channel>');
  });
});
