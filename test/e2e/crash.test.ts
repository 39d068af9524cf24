import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/commands/job.js';
import type { ConnectionOf } from '../../src/providers/config.js';
import { createMailtrapAdapter } from '../../src/providers/mailtrap/adapter.js';
import { LOCAL } from '../../src/local/demo.js';
import { InProcessQueue } from '../../src/queue/in-process.js';
import { ALICE, textOf, useStack } from './harness.js';

// The worker as a real process, killed (SIGKILL) while the provider is still answering its create.
// The provider makes the token anyway; nobody receives it. After a restart the job comes back from the
// queue's journal as "started by a process that died": it is not run again (no second token), the
// orphan is found at the provider and revoked, and the requester is told in their DM.

const REPO = join(import.meta.dirname, '..', '..');
const CHILD = join(REPO, 'test', 'support', 'crash-worker.ts');

/** Starts the worker process; resolves once it logs a line matching `until`. */
function startWorker(env: Record<string, string>): { child: ChildProcess; lines: string[] } {
  // node itself with tsx's loader (not the tsx CLI, which would leave its node child alive after a SIGKILL).
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  child.stdout?.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr?.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  return { child, lines };
}

async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exited = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

describe('a worker process killed during a slow provider create', () => {
  const stack = useStack();
  const queueDir = mkdtempSync(join(tmpdir(), 'tokenops-crash-'));
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    rmSync(queueDir, { recursive: true, force: true });
  });

  it('after a restart, the orphaned token is revoked at the provider and the requester is told', async () => {
    const s = stack();
    const sim = s.sims['mailtrap:default']!;
    const name = `crash-orphan-${Date.now()}`;
    const job: Job = {
      id: `crash-${name}`,
      correlationId: `c-${name}`,
      createdAt: new Date().toISOString(),
      origin: { userId: ALICE, teamId: s.config.slack.allowedTeams[0] as string, channelId: 'C0GENERAL' },
      kind: 'command',
      command: { name: 'create', target: { provider: 'mailtrap' }, tokenName: name },
    };
    // The ingress queued the job (journaled, as `npm start` keeps its queue in .local/queue).
    await new InProcessQueue({ journalDir: queueDir }).send(job);
    const env = {
      CRASH_WORKER_ARGS: JSON.stringify({
        config: s.config,
        endpoint: s.dynamo.endpoint,
        tableName: s.dynamo.tableName,
        queueDir,
      }),
    };
    // The provider takes 3 s to answer the create; it makes the token whatever happens to the caller.
    sim.inject({ fault: { kind: 'latency', ms: 3000 }, method: 'POST', times: 1 });
    const posts = () =>
      sim.requests.filter((r) => r.method === 'POST' && r.body && JSON.stringify(r.body).includes(name));
    const first = startWorker(env);
    children.push(first.child);
    await waitFor(() => posts().length > 0, 60_000).catch(() => {
      throw new Error(`the worker never called the provider:\n${first.lines.join('\n')}`);
    });
    first.child.kill('SIGKILL');
    await exited(first.child);

    const conn = s.config.connections.find((c) => c.provider === 'mailtrap') as ConnectionOf<'mailtrap'>;
    const adapter = createMailtrapAdapter(conn, { fingerprintKey: LOCAL.fingerprintKey });
    const orphan = await waitFor(async () => (await adapter.list()).find((t) => t.name === name), 10_000);
    expect(orphan.active).toBe(true); // a live token that nobody received

    const dmsBefore = s.standin.calls.length;
    const second = startWorker(env);
    children.push(second.child);
    await waitFor(() => second.lines.some((l) => l.includes('"job end"')), 60_000).catch(() => {
      throw new Error(`the restarted worker did not finish the job:\n${second.lines.join('\n')}`);
    });
    expect(second.lines.join('\n')).toMatch(/"recovered":true/);
    // Not run again: still one create at the provider. The orphan is gone.
    expect(posts()).toHaveLength(1);
    expect((await adapter.list()).find((t) => t.name === name)).toBeUndefined();
    const dms = s.standin.calls
      .slice(dmsBefore)
      .filter((c) => c.method === 'chat.postMessage' && String(c.args['channel']).startsWith('D'))
      .map((c) => textOf(c.args));
    expect(dms.join('\n')).toMatch(/interrupted before you received a secret[\s\S]*found and revoked/);
    const records = await s.stores.audit.list({ since: job.createdAt });
    expect(records.find((r) => r.correlationId === job.correlationId)).toMatchObject({ outcome: 'orphan_revoked' });
    second.child.kill('SIGKILL');
  }, 150_000);
});
