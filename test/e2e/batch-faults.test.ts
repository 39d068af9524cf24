import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/commands/job.js';
import type { Command } from '../../src/commands/command.js';
import { runBatch } from '../../src/handlers/batch.js';
import { ALICE, deliveredSecrets, logLines, useStack } from './harness.js';

// The worker's batch handling with the real job runner, store and simulators: the first job of a
// batch hangs on a slow provider. The others still finish in the invocation; the hung one is reported
// for redelivery, and a redelivery while it still runs waits (busy) instead of running it twice or
// calling it a duplicate. Every job acts and answers exactly once.

const lines = (jobId: string, m: string) =>
  logLines.filter((l) => l.includes(`"jobId":"${jobId}"`) && l.includes(`"m":"${m}"`));

describe('a worker batch whose first job hangs (real job runner)', () => {
  const stack = useStack();

  it('finishes the others, redelivers the hung one without running it twice, and reports no duplicate', async () => {
    const s = stack();
    const stamp = Date.now();
    const origin = { userId: ALICE, teamId: s.config.slack.allowedTeams[0] as string, channelId: 'C0GENERAL' };
    const job = (id: string, command: Command): Job => ({
      id: `${id}-${stamp}`,
      correlationId: `c-${id}-${stamp}`,
      createdAt: new Date().toISOString(),
      origin: { ...origin, inDm: true },
      kind: 'command',
      command,
    });
    const hung = job('hang', { name: 'create', target: { provider: 'mailtrap' }, tokenName: `hang-${stamp}` });
    const others = [
      job('list-triton', { name: 'list', target: { provider: 'triton' }, mine: false }),
      job('providers', { name: 'providers' }),
      job('create-vc', { name: 'create', target: { provider: 'vectorcharts' }, tokenName: `batch-${stamp}` }),
      job('list-vc', { name: 'list', target: { provider: 'vectorcharts' }, mine: false }),
    ];
    const records = [hung, ...others].map((j, i) => ({ messageId: `m${i}`, body: JSON.stringify(j) }) as SQSRecord);
    const run = (j: Job, deadline: number) => s.runner.run(j, deadline);
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
    // Mailtrap takes 4 s to answer the create: longer than this invocation has left.
    s.sims['mailtrap:default']!.inject({ fault: { kind: 'latency', ms: 4000 }, method: 'POST', times: 1 });
    const secretsBefore = deliveredSecrets(s).length;

    const first = await runBatch(records, run, log, {
      remainingMs: () => 3000,
      marginMs: 200,
      jobBudgetMs: 1500,
      concurrency: 2,
    });
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    for (const j of others) expect(lines(j.id, 'command done')).toHaveLength(1);
    expect(lines(others[2]!.id, 'command done')[0]).toMatch(/"reply":"secret_sent"/);

    // SQS brings the hung job back while its first run still waits on Mailtrap: busy, retried later.
    const again = await runBatch([records[0] as SQSRecord], run, log, { remainingMs: () => 60_000 });
    expect(again.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    await s.standin.waitFor(() => lines(hung.id, 'command done').length > 0, 15_000);

    // Once it has finished, a last redelivery finds it done.
    const last = await runBatch([records[0] as SQSRecord], run, log, { remainingMs: () => 60_000 });
    expect(last.batchItemFailures).toEqual([]);
    expect(lines(hung.id, 'command done')).toHaveLength(1);
    for (const j of others) {
      expect(lines(j.id, 'command done')).toHaveLength(1);
      expect(lines(j.id, 'duplicate job skipped')).toHaveLength(0);
      expect(lines(j.id, 'interrupted job not repeated')).toHaveLength(0);
    }
    // Two creates, two secrets: the hung one was not minted twice.
    expect(deliveredSecrets(s).length - secretsBefore).toBe(2);
  }, 60_000);
});
