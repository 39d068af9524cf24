import { AwsLambdaReceiver, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll } from 'vitest';
import type { Job, JobQueue } from '../../src/commands/job.js';
import type { AppConfig } from '../../src/config/schema.js';
import { DEMO_POLICY, DEMO_USERS, LOCAL } from '../../src/local/demo.js';
import { startSlackStandin, type SlackStandin, type StandinUser } from '../../src/local/slack-standin/index.js';
import { composeIngress } from '../../src/slack/compose-ingress.js';
import { withDoor, type DoorEvent } from '../../src/slack/door.js';
import type { Log } from '../../src/core/ports.js';

/** A log that keeps its lines, by level. */
export function recordingLog(): Log & { lines: { level: 'info' | 'warn' | 'error'; m: string }[] } {
  const lines: { level: 'info' | 'warn' | 'error'; m: string }[] = [];
  return {
    lines,
    info: (m) => lines.push({ level: 'info', m }),
    warn: (m) => lines.push({ level: 'warn', m }),
    error: (m) => lines.push({ level: 'error', m }),
  };
}

/** What the ingress handler answers (API Gateway's view of a Lambda result). */
export interface IngressResult {
  statusCode: number;
  body?: string;
}

/** The ingress Lambda as deployed (door + Bolt + listeners), with a recording queue, Slack on loopback. */
export interface TestIngress {
  handler(event: DoorEvent): Promise<IngressResult>;
  jobs: Job[];
  log: ReturnType<typeof recordingLog>;
  standin: SlackStandin;
  config: AppConfig;
  /** Lines Bolt's own loggers wrote at ERROR. */
  boltErrors: string[];
}

/** Starts the stand-in and composes the ingress for the enclosing suite. */
export function useIngress(options: { users?: StandinUser[]; rateLimits?: boolean } = {}): () => TestIngress {
  let t: TestIngress;
  beforeAll(async () => {
    const standin = await startSlackStandin({
      signingSecret: LOCAL.signingSecret,
      botToken: LOCAL.botToken,
      teamId: LOCAL.teamId,
      botUserId: LOCAL.botUserId,
      botId: LOCAL.botId,
      users: [...DEMO_USERS, ...(options.users ?? [])],
      channels: [{ id: LOCAL.channels.general, name: 'general' }],
      auditChannel: LOCAL.channels.audit,
      rateLimits: options.rateLimits ?? false,
    });
    const config: AppConfig = {
      slack: {
        botId: LOCAL.botId,
        botUserId: LOCAL.botUserId,
        apiUrl: standin.apiUrl,
        allowedTeams: [LOCAL.teamId],
        auditChannel: LOCAL.channels.audit,
        timeoutMs: 3000,
        retries: 1,
      },
      fingerprintKey: LOCAL.fingerprintKey,
      policy: DEMO_POLICY,
      connections: [{ provider: 'mailtrap', name: 'default', baseUrl: 'http://127.0.0.1:9', accountId: 1 }],
      expiryReminderDays: 14,
    } as AppConfig;
    const jobs: Job[] = [];
    const queue: JobQueue = { send: async (job) => void jobs.push(job) };
    const log = recordingLog();
    const boltErrors: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (...m: unknown[]) => void boltErrors.push(m.map(String).join(' ')),
      setLevel: () => undefined,
      getLevel: () => LogLevel.ERROR,
      setName: () => undefined,
    };
    const receiver = new AwsLambdaReceiver({ signingSecret: LOCAL.signingSecret, logger });
    const slack = { signingSecret: LOCAL.signingSecret, botToken: LOCAL.botToken };
    composeIngress({ config, slack, receiver, queue, fingerprintKey: async () => LOCAL.fingerprintKey, log });
    const handler = withDoor(receiver.toHandler(), { signingSecret: LOCAL.signingSecret, log });
    t = {
      handler: (event) => handler(httpApiEvent(event) as never, {}) as Promise<IngressResult>,
      jobs,
      log,
      standin,
      config,
      boltErrors,
    };
  });
  afterAll(async () => t?.standin.close());
  return () => t;
}

/** An API Gateway HTTP API (v2) event around the parts the door reads. */
export function httpApiEvent(e: DoorEvent): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: 'POST /slack/events',
    rawPath: '/slack/events',
    rawQueryString: '',
    requestContext: { http: { method: 'POST', path: '/slack/events' }, requestId: 'test', timeEpoch: Date.now() },
    ...e,
  };
}
