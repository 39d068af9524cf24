import type { Job } from '../../src/commands/job.js';
import type { Directory, JobOrigin, Log, Notifier, Stores, UserFacts } from '../../src/core/ports.js';
import type { PolicyDoc } from '../../src/core/policy.js';
import type { ConnectionConfig } from '../../src/providers/config.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import type { View } from '../../src/slack/views.js';
import { JobRunner, type JobRunnerDeps } from '../../src/worker/job-runner.js';

/** Everything the worker said, by channel of output: a fake Notifier over plain arrays. */
export class RecordingNotifier implements Notifier<View> {
  readonly replies: { origin: JobOrigin; view: View }[] = [];
  readonly secrets: { userId: string; view: View }[] = [];
  readonly audits: View[] = [];
  readonly approvals: View[] = [];
  readonly notices: { userId: string; view: View }[] = [];
  /** Set to make the audit channel fail (Slack down). */
  auditDown = false;

  async respond(origin: JobOrigin, view: View): Promise<void> {
    this.replies.push({ origin, view });
  }
  async deliverSecret(userId: string, view: View): Promise<void> {
    this.secrets.push({ userId, view });
  }
  async postAudit(view: View): Promise<void> {
    if (this.auditDown) throw new Error('slack down');
    this.audits.push(view);
  }
  readonly updates: { channel: string; ts: string; view: View }[] = [];
  readonly homes: { userId: string; view: { type: 'home'; blocks: unknown[] } }[] = [];

  async postApproval(view: View): Promise<{ channel: string; ts: string }> {
    this.approvals.push(view);
    return { channel: 'C0APPROVALS', ts: `${this.approvals.length}.000100` };
  }
  async notifyUser(userId: string, view: View): Promise<void> {
    this.notices.push({ userId, view });
  }
  readonly posts: { where: { channel: string } | { user: string }; view: View; threadTs?: string | undefined }[] = [];
  async postMessage(
    where: { channel: string } | { user: string },
    view: View,
    threadTs?: string,
  ): Promise<{ channel: string; ts: string }> {
    this.posts.push({ where, view, threadTs });
    return { channel: 'channel' in where ? where.channel : `D${where.user}`, ts: `${this.posts.length}.000200` };
  }
  async updateMessage(channel: string, ts: string, view: View): Promise<void> {
    this.updates.push({ channel, ts, view });
  }
  async publishHome(userId: string, view: { type: 'home'; blocks: unknown[] }): Promise<void> {
    this.homes.push({ userId, view });
  }
}

/** A queue that keeps what is sent, with the delay asked for. */
export class RecordingQueue {
  readonly sent: { job: Job; delaySeconds: number | undefined }[] = [];
  async send(job: Job, options?: { delaySeconds?: number }): Promise<void> {
    this.sent.push({ job, delaySeconds: options?.delaySeconds });
  }
}

/** Log lines as structured values. */
export function recordingLog(): Log & { lines: { level: string; message: string; extra?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, extra?: Record<string, unknown>) => {
    lines.push({ level, message, ...(extra ? { extra } : {}) });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** A directory where everyone is a plain member of team T1, plus the given groups. */
export function fixedDirectory(groups: Record<string, string[]> = {}): Directory {
  return {
    async user(userId: string): Promise<UserFacts> {
      return {
        teamId: 'T1',
        isRestricted: false,
        isUltraRestricted: false,
        isStranger: false,
        deleted: false,
        groups: groups[userId] ?? [],
      };
    },
  };
}

/** Engineers create and rotate; U0SEC does everything; U0APPR approves; paid Triton tiers need approval. */
export const TEST_POLICY: PolicyDoc = {
  roles: {
    engineer: { grants: { '*': ['list', 'get', 'create', 'rotate', 'find'] } },
    security: { grants: { '*': ['*'] } },
    approver: { grants: { '*': ['approve'] } },
  },
  members: [
    { user: 'U0ENG', roles: ['engineer'] },
    { user: 'U0ENG2', roles: ['engineer'] },
    { user: 'U0SEC', roles: ['security'] },
    { user: 'U0APPR', roles: ['engineer', 'approver'] },
  ],
  approvals: [{ action: 'create', provider: 'triton', tiers: ['tier3'] }],
};

/** A job runner over real stores and registry, with recording edges. */
export function testRunner(
  stores: Stores,
  connections: ConnectionConfig[],
  over: Partial<JobRunnerDeps> = {},
): { runner: JobRunner; output: RecordingNotifier; queue: RecordingQueue; log: ReturnType<typeof recordingLog> } {
  const output = new RecordingNotifier();
  const queue = new RecordingQueue();
  const log = recordingLog();
  const registry = new ProviderRegistry(connections, {
    fingerprintKey: 'worker-test-key',
    retry: { maxRetries: 0 },
  });
  const runner = new JobRunner({
    registry,
    stores,
    directory: fixedDirectory(),
    policy: TEST_POLICY,
    allowedTeams: ['T1'],
    fingerprintKey: 'worker-test-key',
    output,
    queue,
    log,
    ...over,
  });
  return { runner, output, queue, log };
}

/** The text of a view: its fallback and every text in its blocks. */
export function viewText(view: View): string {
  return JSON.stringify(view);
}
