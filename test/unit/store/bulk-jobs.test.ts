import { describe, expect, it } from 'vitest';
import { countItems, type BulkJob } from '../../../src/core/bulk.js';
import { DynamoBulkJobs } from '../../../src/store/bulk-jobs.js';
import { documentClient, ensureTable } from '../../../src/store/table.js';
import { useDynamo } from '../../support/dynamo.js';

const job = (id: string, over: Partial<BulkJob> = {}): BulkJob => ({
  id,
  status: 'previewed',
  source: 'command',
  actor: 'U0SAM',
  teamId: 'T1',
  channelId: 'C1',
  selection: '--provider mailtrap',
  total: 30,
  createdAt: new Date().toISOString(),
  ...over,
});

const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    ref: `mailtrap:default/${1000 + i}`,
    provider: 'mailtrap' as const,
    connection: 'default',
    name: `ci-${i}`,
  }));

describe('durable bulk jobs on dynalite', () => {
  const dynamo = useDynamo();
  let n = 0;
  async function store(now?: () => number): Promise<DynamoBulkJobs> {
    const name = `bulk-${++n}`;
    await ensureTable({ tableName: name, endpoint: dynamo.endpoint() });
    return new DynamoBulkJobs(documentClient({ tableName: name, endpoint: dynamo.endpoint() }), name, now);
  }

  it('saves a previewed job with every token pending, beyond one batch write', async () => {
    const s = await store();
    await s.create(job('j1'), items(30));
    expect((await s.get('j1'))?.status).toBe('previewed');
    const all = await s.items('j1');
    expect(all).toHaveLength(30);
    expect(countItems(all).pending).toBe(30);
  });

  it('starts a job once: a second confirmation click changes nothing', async () => {
    const s = await store();
    await s.create(job('j2'), items(2));
    expect(await s.transition('j2', ['previewed'], 'running', { startedAt: 'now' })).toBe(true);
    expect(await s.transition('j2', ['previewed'], 'running')).toBe(false);
    expect((await s.get('j2'))?.startedAt).toBe('now');
  });

  it('claims a token once; a redelivered message finds it busy, then finished', async () => {
    const s = await store();
    await s.create(job('j3', { status: 'running' }), items(1));
    const ref = 'mailtrap:default/1000';
    const first = await s.claimItem('j3', ref, 60_000, 5);
    expect(first.claim).toBe('claimed');
    expect((await s.claimItem('j3', ref, 60_000, 5)).claim).toBe('busy');
    expect(await s.finishItem('j3', ref, first.attempt, 'revoked', { detail: 'deleted' })).toBe(true);
    expect((await s.claimItem('j3', ref, 60_000, 5)).claim).toBe('finished');
    expect(await s.finishItem('j3', ref, first.attempt, 'failed')).toBe(false);
    expect((await s.items('j3'))[0]).toMatchObject({ state: 'revoked', detail: 'deleted', attempts: 1 });
  });

  it("takes over a token whose worker died, and refuses the dead worker's late answer", async () => {
    let t = 1_000_000;
    const s = await store(() => t);
    await s.create(job('j4', { status: 'running' }), items(1));
    const ref = 'mailtrap:default/1000';
    const dead = await s.claimItem('j4', ref, 1_000, 5);
    t += 5_000; // the lease lapsed: the worker crashed
    const next = await s.claimItem('j4', ref, 1_000, 5);
    expect(next.claim).toBe('claimed');
    expect(next.attempt).toBe(2);
    expect(await s.finishItem('j4', ref, dead.attempt, 'revoked')).toBe(false);
    expect(await s.finishItem('j4', ref, next.attempt, 'revoked')).toBe(true);
  });

  it('fails a token after too many attempts died mid-way, with the reason', async () => {
    let t = 0;
    const s = await store(() => t);
    await s.create(job('j5', { status: 'running' }), items(1));
    const ref = 'mailtrap:default/1000';
    for (let i = 0; i < 2; i++) {
      expect((await s.claimItem('j5', ref, 10, 2)).claim).toBe('claimed');
      t += 100;
    }
    expect((await s.claimItem('j5', ref, 10, 2)).claim).toBe('exhausted');
    expect((await s.items('j5'))[0]).toMatchObject({ state: 'failed', errorCode: 'exhausted' });
  });

  it('after Stop cancels what has not started and lets a started token finish', async () => {
    const s = await store();
    await s.create(job('j6', { status: 'running' }), items(3));
    const started = await s.claimItem('j6', 'mailtrap:default/1000', 60_000, 5);
    expect(await s.transition('j6', ['running'], 'stopping', { stoppedBy: 'U0SAM' })).toBe(true);
    expect((await s.claimItem('j6', 'mailtrap:default/1001', 60_000, 5)).claim).toBe('cancelled');
    expect(await s.cancelPending('j6')).toBe(1);
    expect(await s.finishItem('j6', 'mailtrap:default/1000', started.attempt, 'revoked')).toBe(true);
    expect(countItems(await s.items('j6'))).toMatchObject({ revoked: 1, cancelled: 2, pending: 0, running: 0 });
  });

  it('puts a retryable failure back to pending for its next delivery', async () => {
    const s = await store();
    await s.create(job('j7', { status: 'running' }), items(1));
    const ref = 'mailtrap:default/1000';
    const c = await s.claimItem('j7', ref, 60_000, 5);
    expect(await s.releaseItem('j7', ref, c.attempt, 'rate limited')).toBe(true);
    expect((await s.claimItem('j7', ref, 60_000, 5)).claim).toBe('claimed');
  });

  it('lets one worker at a time refresh the progress message', async () => {
    let t = 10_000;
    const s = await store(() => t);
    await s.create(job('j8', { status: 'running' }), items(1));
    const ticks = await Promise.all([1, 2, 3].map(() => s.progressTick('j8', 2_000)));
    expect(ticks.filter(Boolean)).toHaveLength(1);
    t += 2_500;
    expect(await s.progressTick('j8', 2_000)).toBe(true);
  });
});
