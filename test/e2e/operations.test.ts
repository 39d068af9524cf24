import { describe, expect, it } from 'vitest';
import { credentialResolver } from '../../src/config/load.js';
import type { Log } from '../../src/core/ports.js';
import { scheduleJobs } from '../../src/handlers/schedule-jobs.js';
import { LOCAL } from '../../src/local/demo.js';
import { composeWorker } from '../../src/worker/compose.js';
import { ALICE, GUEST, SAM, click, refsIn, run, telemetryEvents, textOf, useStack } from './harness.js';

// What an operator sees of real traffic: the metrics each job reports (through the same Telemetry
// port the Powertools emitter implements on AWS), and the reminder horizon taken from the config.
const quiet: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const events = (kind: string) => telemetryEvents.filter((e) => e[0] === kind).map((e) => e.slice(1));

describe('operations: metrics and reminders from real jobs', () => {
  const stack = useStack();

  it('counts jobs by command and outcome, and provider calls by provider and status', async () => {
    telemetryEvents.length = 0;
    await run(stack(), ALICE, 'list mailtrap');
    await run(stack(), ALICE, 'show mailtrap:main/999999999');
    expect(events('job')).toContainEqual(['list', 'ok']);
    expect(events('job')).toContainEqual(['show', 'rejected']);
    expect(events('providerCall')).toContainEqual(['mailtrap', '2xx']);
    expect(events('providerCall').every(([provider]) => provider === 'mailtrap')).toBe(true);
  });

  it('measures the time from a revoke command to the dead secret, per provider', async () => {
    const created = await run(stack(), ALICE, 'create mailtrap ops-ttk');
    const ref = refsIn(created.replies.join('\n'))[0]!;
    telemetryEvents.length = 0;
    // Revoke asks for confirmation first: the clock starts when the confirmed job is queued.
    await stack().standin.slashCommand({ user: SAM, text: `revoke ${ref}` });
    await click(stack(), SAM, 'revoke_confirm');
    const kills = events('timeToKill');
    expect(kills.length).toBe(1);
    expect(kills[0]![0]).toBe('mailtrap');
    expect(kills[0]![1]).toBeGreaterThanOrEqual(0);
    expect(events('job')).toContainEqual(['revoke', 'ok']);
  });

  it('counts a change refused in the ingress once, when its audit notice reaches the worker', async () => {
    telemetryEvents.length = 0;
    const r = await run(stack(), GUEST, 'create mailtrap guest-try');
    expect(r.ack).toMatch(/Not allowed/);
    expect(events('refusal')).toEqual([['ingress']]);
    expect(events('job').some(([, outcome]) => outcome === 'failed')).toBe(false);
  });

  it('reminds owners expiryReminderDays before expiry, as configured (not a fixed 14)', async () => {
    const s = stack();
    const in20days = new Date(Date.now() + 20 * 86400_000).toISOString();
    await s.stores.tokens.put({
      ref: 'mailtrap:main/424242',
      provider: 'mailtrap',
      connection: 'main',
      name: 'reminder-probe',
      owner: ALICE,
      fingerprint: 'fp-reminder-probe',
      last4: '4242',
      createdAt: new Date().toISOString(),
      expiresAt: in20days,
    });
    const reminded = () =>
      s.standin.calls.filter((c) => c.method === 'chat.postMessage' && textOf(c.args).includes('reminder-probe'));
    const job = scheduleJobs(new Date()).find((j) => j.kind === 'schedule' && j.task === 'expiry_reminders')!;
    await s.runner.run({ ...job, id: `${job.id}-default` });
    expect(reminded()).toHaveLength(0); // the demo config keeps the default of 14 days
    const { runner } = composeWorker({
      config: { ...s.config, expiryReminderDays: 30 },
      slack: s.slack,
      fingerprintKey: LOCAL.fingerprintKey,
      stores: s.stores,
      queue: s.queue,
      resolveCredentials: credentialResolver(),
      log: quiet,
    });
    await runner.run({ ...job, id: `${job.id}-thirty` });
    expect(reminded()).toHaveLength(1);
  });
});
