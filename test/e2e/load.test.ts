import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL } from '../../src/local/demo.js';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { recordingLog } from '../support/ingress.js';
import { ALICE, OLIVIA, SAM, textOf } from './harness.js';

// A bounded load test on loopback: 1,000 signed slash commands, 50 at a time, on a cold directory
// cache, through the real ingress handler (door, Bolt, listeners) and the in-process queue and worker,
// with the Slack stand-in enforcing Slack's published rate limits. It asserts outcomes, never timings:
// the ack latencies go to test-artifacts/load.json for the record (this is a shared 2-core machine).

const TOTAL = 1000;
const CONCURRENCY = 50;
/** Workspace members beyond the demo users, all in the security group (so the group lookup matters). */
const LOAD_USERS = Array.from({ length: 40 }, (_, i) => ({
  id: `U0LOAD${String(i).padStart(3, '0')}`,
  name: `load${i}`,
  teamId: LOCAL.teamId,
  groups: [LOCAL.securityGroup],
}));
const USERS = [ALICE, SAM, OLIVIA, ...LOAD_USERS.map((u) => u.id)];
// Providers whose documented rate limits a burst of 1,000 commands fits (Cobalt's 100 GETs a minute would
// make this a test of waiting out its window; the limiter has its own tests).
const TEXTS = ['list mailtrap', 'list vaultoro', 'list triton:staging', 'show mailtrap/999999999', 'providers'];

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

describe('load: 1,000 signed commands at 50 concurrent', () => {
  let stack: LocalStack;
  const log = recordingLog();
  beforeAll(async () => {
    stack = await startLocalStack({
      log,
      delayScale: 0.001,
      slackRateLimits: true,
      // Latency is recorded, not asserted: on a shared CI machine an ack may take longer than Slack's 3 s.
      ackTimeoutMs: 60_000,
      // …and for the same reason Slack's answers may come later than the ingress's 1.5 s budget. Directory
      // refusals under rate limits (duplicate calls, no Retry-After) still show: they do not wait on time.
      directoryBudgetMs: 30_000,
      extraUsers: LOAD_USERS,
      retry: { maxRetries: 1, retryBaseMs: 5, maxRetryAfterMs: 50 },
    });
  });
  afterAll(async () => stack?.close());

  it(
    'acks every command, refuses nobody for want of Slack, and answers every job exactly once',
    { timeout: 600_000 },
    async () => {
      const acks: { status: number; text: string; responseUrl: string; ms: number }[] = [];
      let next = 0;
      const client = async (): Promise<void> => {
        for (let i = next++; i < TOTAL; i = next++) {
          const started = performance.now();
          const r = await stack.standin.slashCommand({
            user: USERS[i % USERS.length] as string,
            text: TEXTS[i % TEXTS.length] as string,
          });
          acks.push({
            status: r.status,
            text: textOf(r.body),
            responseUrl: r.responseUrl,
            ms: performance.now() - started,
          });
        }
      };
      const t0 = performance.now();
      await Promise.all(Array.from({ length: CONCURRENCY }, client));
      const acked = performance.now();
      await stack.queue.drain();
      const drained = performance.now();

      expect(acks).toHaveLength(TOTAL);
      expect(acks.filter((a) => a.status !== 200)).toEqual([]);
      expect(acks.filter((a) => /Slack (could not|did not)|try again/i.test(a.text))).toEqual([]);
      expect(acks.filter((a) => !/Working on it/i.test(a.text))).toEqual([]);
      const answers = new Map<string, number>();
      for (const r of stack.standin.responses) answers.set(r.responseUrl, (answers.get(r.responseUrl) ?? 0) + 1);
      expect(acks.filter((a) => answers.get(a.responseUrl) !== 1)).toEqual([]);
      expect(stack.queue.deadLetters).toEqual([]);
      // One Slack lookup per user per process (ingress and worker each keep their own cache), no 429s.
      const info = stack.standin.calls.filter((c) => c.method === 'users.info');
      expect(info.length).toBeLessThanOrEqual(2 * USERS.length);
      expect(stack.standin.calls.filter((c) => c.method === 'usergroups.users.list').length).toBeLessThanOrEqual(2);
      expect(stack.standin.rateLimited()).toEqual({});
      expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);

      const ms = acks.map((a) => a.ms).sort((a, b) => a - b);
      const figures = {
        commands: TOTAL,
        concurrency: CONCURRENCY,
        users: USERS.length,
        ackP50Ms: Math.round(percentile(ms, 50)),
        ackP99Ms: Math.round(percentile(ms, 99)),
        ackMaxMs: Math.round(ms.at(-1) as number),
        usersInfoCalls: info.length,
        ackPhaseMs: Math.round(acked - t0),
        drainMs: Math.round(drained - acked),
      };
      mkdirSync('test-artifacts', { recursive: true });
      writeFileSync('test-artifacts/load.json', `${JSON.stringify(figures, null, 2)}\n`);
      process.stdout.write(`load: ${JSON.stringify(figures)}\n`);
    },
  );
});
