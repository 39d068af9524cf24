import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../src/config/schema.js';
import { DEMO_USERS, LOCAL } from '../../../src/local/demo.js';
import { startSlackStandin, type SlackStandin, type StandinUser } from '../../../src/local/slack-standin/index.js';
import { directoryClient } from '../../../src/slack/web-client.js';
import { DirectoryUnavailableError, SlackDirectory, type DirectoryOptions } from '../../../src/slack/directory.js';
import { caught } from '../../support/errors.js';
import { recordingLog } from '../../support/ingress.js';

// The directory against the Slack stand-in over loopback, with Slack's rate limits enforced on a
// clock the test moves: waits for Retry-After cost no real time.

const SEC = LOCAL.securityGroup;
const users: StandinUser[] = [
  ...DEMO_USERS,
  ...Array.from({ length: 20 }, (_, i) => ({ id: `U0DIR${i}`, name: `dir${i}`, teamId: LOCAL.teamId, groups: [SEC] })),
];

let clock = 1_790_000_000_000;
let standin: SlackStandin;

async function startStandin(rateLimits: { perWindow: Record<string, number>; windowMs?: number } | false) {
  return startSlackStandin({
    signingSecret: LOCAL.signingSecret,
    botToken: LOCAL.botToken,
    teamId: LOCAL.teamId,
    botUserId: LOCAL.botUserId,
    botId: LOCAL.botId,
    users,
    channels: [{ id: LOCAL.channels.general, name: 'general' }],
    auditChannel: LOCAL.channels.audit,
    now: () => clock,
    rateLimits,
  });
}

const configFor = (apiUrl: string) => ({ slack: { apiUrl, timeoutMs: 3000, retries: 2 } }) as AppConfig;

function directory(s: SlackStandin, o: DirectoryOptions = {}, groups: string[] = [SEC]) {
  const log = recordingLog();
  // A roomy budget by default: this machine is shared, and only the tests about budgets set one.
  const dir = new SlackDirectory(directoryClient(configFor(s.apiUrl).slack, LOCAL.botToken, 20_000), groups, {
    budgetMs: 20_000,
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
    log,
    ...o,
  });
  return { dir, log };
}

const callsOf = (s: SlackStandin, method: string, from = 0) => s.calls.slice(from).filter((c) => c.method === method);

describe('the Slack directory', () => {
  beforeAll(async () => {
    standin = await startStandin({ perWindow: { 'users.info': 100, 'usergroups.users.list': 20 } });
  });
  afterAll(async () => standin.close());
  afterEach(() => {
    clock += 3_600_000; // every test starts with Slack's windows empty
  });

  it('makes one users.info and one group call however many requests wait on a cold cache', async () => {
    const { dir } = directory(standin);
    const from = standin.calls.length;
    const facts = await Promise.all(Array.from({ length: 50 }, () => dir.user('U0SAM')));
    expect(new Set(facts.map((f) => JSON.stringify(f))).size).toBe(1);
    expect(facts[0]).toMatchObject({ teamId: LOCAL.teamId, groups: [SEC], isRestricted: false });
    expect(callsOf(standin, 'users.info', from)).toHaveLength(1);
    expect(callsOf(standin, 'usergroups.users.list', from)).toHaveLength(1);
  });

  it('makes one call per distinct user, and none while the cache is fresh', async () => {
    const { dir } = directory(standin);
    const from = standin.calls.length;
    const ids = users.slice(5, 25).map((u) => u.id);
    await Promise.all(Array.from({ length: 200 }, (_, i) => dir.user(ids[i % ids.length] as string)));
    expect(callsOf(standin, 'users.info', from)).toHaveLength(ids.length);
    expect(callsOf(standin, 'usergroups.users.list', from)).toHaveLength(1);
    clock += 60_000;
    await Promise.all(ids.map((id) => dir.user(id)));
    expect(callsOf(standin, 'users.info', from)).toHaveLength(ids.length);
  });

  it('sees a guest as a guest and a stranger as a stranger', async () => {
    const { dir } = directory(standin);
    expect(await dir.user('U0GUEST')).toMatchObject({ isRestricted: true, groups: [] });
    expect(await dir.user('U0STRANGER')).toMatchObject({ isStranger: true, teamId: 'T0OTHER' });
  });

  it("says a user Slack does not know is refused, and does not say 'try again'", async () => {
    const { dir } = directory(standin);
    const err = await caught(dir.user('U0NOBODY'));
    expect(err.code).toBe('denied');
    expect(err.message).not.toMatch(/try again/i);
  });

  it('tells an admin to act when Slack refuses tokenops itself (scopes, token)', async () => {
    const { dir, log } = directory(standin);
    standin.fail('users.info', 'missing_scope');
    const err = await caught(dir.user('U0ALICE'));
    expect(err.code).toBe('config');
    expect(err.message).toMatch(/missing_scope.*admin/);
    expect(err.message).not.toMatch(/try again/i);
    expect(log.lines.map((l) => l.level)).toContain('error');
  });

  it('treats a user group Slack does not know as empty, with a warning', async () => {
    const { dir, log } = directory(standin, {}, ['S0GONE']);
    expect((await dir.user('U0SAM')).groups).toEqual([]);
    expect(log.lines.some((l) => l.level === 'warn')).toBe(true);
  });
});

describe('the Slack directory when Slack rate-limits or fails', () => {
  let hung: Server;
  const sockets: Socket[] = [];
  let hungUrl: string;
  beforeAll(async () => {
    standin = await startStandin({ perWindow: { 'users.info': 2, 'usergroups.users.list': 1 }, windowMs: 10_000 });
    hung = createServer((socket) => void sockets.push(socket)); // accepts connections, never answers
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/api/`;
  });
  afterAll(async () => {
    await standin.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((r) => hung.close(() => r()));
  });
  afterEach(() => {
    clock += 3_600_000;
  });

  it("waits out Slack's Retry-After and answers every user, when that fits the budget", async () => {
    const { dir } = directory(standin, { budgetMs: 25_000 });
    const from = standin.calls.length;
    const facts = await Promise.all(['U0ALICE', 'U0SAM', 'U0OLIVIA'].map((u) => dir.user(u)));
    expect(facts.map((f) => f.teamId)).toEqual([LOCAL.teamId, LOCAL.teamId, LOCAL.teamId]);
    const info = callsOf(standin, 'users.info', from);
    expect(info.filter((c) => !c.ok).length).toBeGreaterThan(0); // the stand-in did say 429
    expect(info.filter((c) => c.ok)).toHaveLength(3);
  });

  it('says "try again in N s" when Retry-After is longer than the budget and nothing is cached', async () => {
    const { dir } = directory(standin, { budgetMs: 5_000 });
    await Promise.all(['U0ALICE', 'U0SAM'].map((u) => dir.user(u)));
    const err = await caught(dir.user('U0OLIVIA'));
    expect(err).toBeInstanceOf(DirectoryUnavailableError);
    expect(err.message).toMatch(/try again in (10|[1-9]) s/);
  });

  it('serves cached facts for a bounded time while Slack cannot answer', async () => {
    const { dir, log } = directory(standin, { budgetMs: 200, ttlMs: 60_000, maxStaleMs: 120_000 });
    await dir.user('U0ALICE');
    clock += 90_000; // stale, within the bound
    standin.fail('users.info', 'service_unavailable', 10);
    expect(await dir.user('U0ALICE')).toMatchObject({ teamId: LOCAL.teamId });
    expect(log.lines.some((l) => /serving cached facts/.test(l.m))).toBe(true);
    clock += 100_000; // past the bound
    expect(await caught(dir.user('U0ALICE'))).toBeInstanceOf(DirectoryUnavailableError);
    standin.fail('users.info', 'service_unavailable', 0);
  });

  it('gives up within its budget when Slack does not answer at all', async () => {
    const config = configFor(hungUrl);
    const dir = new SlackDirectory(directoryClient(config.slack, LOCAL.botToken), [], { budgetMs: 300 });
    const err = await caught(dir.user('U0ALICE'));
    expect(err).toBeInstanceOf(DirectoryUnavailableError);
    expect(err.message).toMatch(/try again in a moment/);
  });
});
