// The worker's incident jobs: a leak reported in Slack, a deactivated user (offboarding) and
// security's choice on the offboarding card. Slack output only; the decisions live in commands/.
import { Access } from '../commands/access.js';
import type { Job, JobOf } from '../commands/job.js';
import { actOnLeaks, type LeakOutcome, type LeakPolicy } from '../commands/use-cases/leak.js';
import {
  keepAllOf,
  liveTokensOf,
  reassignAllOf,
  revokeAllOf,
  type DeactivationPolicy,
} from '../commands/use-cases/offboard.js';
import { UseCaseContext } from '../commands/use-cases/context.js';
import { dropped } from '../core/dropped.js';
import type { Log } from '../core/ports.js';
import type { ProviderType } from '../core/token.js';
import { leakCardView, leakOwnerView, leakReporterView } from '../slack/views/leaks.js';
import {
  offboardBulkStartedView,
  offboardCardView,
  offboardDecidedView,
  offboardRevokedView,
} from '../slack/views/offboard.js';
import { errorView, type View } from '../slack/views.js';
import { startBulkRevocation } from './bulk-runner.js';
import type { JobRunnerDeps } from './job-runner.js';

/** The incident settings the worker applies. */
export interface IncidentPolicy {
  leakPolicy: (provider: ProviderType) => LeakPolicy;
  onDeactivation: DeactivationPolicy;
}

export type IncidentJob = JobOf<'leak_report'> | JobOf<'offboard'> | JobOf<'offboard_decision'>;

/** Hands the audit records a job made to the notices (stored if need be, then posted). */
type PostNotices = (ctx: UseCaseContext) => Promise<void>;

const noSecrets = async (): Promise<never> => {
  throw new Error('incident jobs deliver no secrets');
};

/** Automatic actions are tokenops' own, in the workspace of the job. */
function automatic(deps: JobRunnerDeps, job: Job): UseCaseContext {
  const actor = { userId: 'tokenops', teamId: job.origin.teamId, correlationId: job.correlationId };
  return new UseCaseContext(deps, actor, noSecrets);
}

/** Runs one incident job; returns its summary. */
export async function runIncidentJob(
  deps: JobRunnerDeps,
  policy: IncidentPolicy,
  job: IncidentJob,
  notices: PostNotices,
  log: Log,
): Promise<string> {
  switch (job.kind) {
    case 'leak_report':
      return leakReport(deps, policy, job, notices, log);
    case 'offboard':
      return offboard(deps, policy, job, notices);
    case 'offboard_decision':
      return offboardDecision(deps, job, notices, log);
  }
}

async function leakReport(
  deps: JobRunnerDeps,
  policy: IncidentPolicy,
  job: JobOf<'leak_report'>,
  notices: PostNotices,
  log: Log,
): Promise<string> {
  const reporter = job.origin.userId;
  const refusal = await new Access(deps)
    .reportRefusal(reporter, job.origin.teamId)
    .catch(() => 'Slack could not confirm who you are; try again in a moment.');
  if (refusal) {
    await deps.output.notifyUser(reporter, errorView(`Not allowed: ${refusal}`)).catch(dropped(log, 'leak refusal'));
    return 'refused';
  }
  const ctx = automatic(deps, job);
  const outcomes = await actOnLeaks(ctx, job.items, policy.leakPolicy);
  await notices(ctx);
  const posts: Promise<unknown>[] = outcomes.map((o) => deps.output.notifyUser(reporter, leakReporterView(o)));
  for (const o of outcomes) posts.push(...tellOthers(deps, o));
  const failed = (await Promise.allSettled(posts)).filter((s) => s.status === 'rejected').length;
  if (failed > 0) log.warn('leak notices not all posted', { failed });
  log.info('leak report handled', { count: outcomes.length, results: outcomes.map((o) => o.result).join(',') });
  return outcomes.map((o) => o.result).join(',');
}

/** The security card and the owner's DM, as for a scanner report. */
function tellOthers(deps: JobRunnerDeps, o: LeakOutcome): Promise<unknown>[] {
  if (o.result === 'unknown') return [];
  const posts: Promise<unknown>[] = [deps.output.postAudit(leakCardView(o))];
  if (o.token?.owner) posts.push(deps.output.notifyUser(o.token.owner, leakOwnerView(o)));
  return posts;
}

/** A deactivated user: revoke every live token (policy) or ask security with a card. */
async function offboard(
  deps: JobRunnerDeps,
  policy: IncidentPolicy,
  job: JobOf<'offboard'>,
  notices: PostNotices,
): Promise<string> {
  const ctx = automatic(deps, job);
  const tokens = await liveTokensOf(ctx, job.subject);
  if (tokens.length === 0) return 'no tokens';
  if (policy.onDeactivation === 'ask') {
    await deps.output.postAudit(offboardCardView(job.subject, tokens));
    return `asked (${tokens.length})`;
  }
  const refs = tokens.map((t) => t.ref);
  if (await startedAsBulk(deps, job, 'tokenops', refs, deps.auditChannel)) return `bulk (${refs.length})`;
  const results = await revokeAllOf(ctx, job.subject, whyOf(job.subject));
  await notices(ctx);
  await deps.output.postAudit(offboardRevokedView(job.subject, results, 'tokenops'));
  return `revoked (${results.length})`;
}

const whyOf = (subject: string): string => `owner ${subject} was deactivated in Slack`;

/**
 * Starts a durable bulk revocation (fan-out, progress, Stop) of a deactivated person's tokens. False
 * when it could not be started (its store is down): the caller then revokes them itself, one by one,
 * kill first — revocation is never blocked.
 */
async function startedAsBulk(
  deps: JobRunnerDeps,
  job: JobOf<'offboard'> | JobOf<'offboard_decision'>,
  actor: string,
  refs: readonly string[],
  channelId: string | undefined,
): Promise<boolean> {
  const req = {
    source: 'offboarding' as const,
    actor,
    teamId: job.origin.teamId,
    refs,
    correlationId: job.correlationId,
  };
  const started = await startBulkRevocation(deps, { ...req, reason: whyOf(job.subject), channelId }).catch(
    (err: unknown) => {
      deps.log.warn('offboarding bulk job not started; revoking one by one', { error: (err as Error).name });
      return null;
    },
  );
  return started !== null;
}

/** Security's click: every token of the person must be theirs to revoke (`revoke:any` or as owner). */
async function mayDecide(deps: JobRunnerDeps, job: JobOf<'offboard_decision'>, ctx: UseCaseContext) {
  const tokens = await liveTokensOf(ctx, job.subject);
  const access = new Access(deps);
  for (const t of tokens) {
    const d = await access.decide(job.origin.userId, job.origin.teamId, 'revoke', t.provider, { owner: t.owner });
    if (!d.allowed) return { tokens, refusal: d.reason };
  }
  return { tokens, refusal: undefined };
}

async function offboardDecision(
  deps: JobRunnerDeps,
  job: JobOf<'offboard_decision'>,
  notices: PostNotices,
  log: Log,
): Promise<string> {
  const by = job.origin.userId;
  const ctx = new UseCaseContext(
    deps,
    { userId: by, teamId: job.origin.teamId, correlationId: job.correlationId },
    noSecrets,
  );
  const { tokens, refusal } = await mayDecide(deps, job, ctx);
  if (refusal) {
    await deps.output.notifyUser(by, errorView(`Not allowed: ${refusal}`)).catch(dropped(log, 'offboard refusal'));
    return 'refused';
  }
  let card: View;
  if (job.decision === 'revoke') {
    const refs = tokens.map((t) => t.ref);
    const channel = job.origin.channelId || deps.auditChannel;
    card = (await startedAsBulk(deps, job, by, refs, channel))
      ? offboardBulkStartedView(job.subject, tokens, by)
      : offboardRevokedView(job.subject, await revokeAllOf(ctx, job.subject, whyOf(job.subject)), by);
  } else if (job.decision === 'reassign' && job.newOwner) {
    card = offboardDecidedView(job.subject, await reassignAllOf(ctx, job.subject, job.newOwner), by, job.newOwner);
  } else {
    card = offboardDecidedView(job.subject, await keepAllOf(ctx, job.subject), by);
  }
  await notices(ctx);
  const where = job.origin.messageTs
    ? deps.output.updateMessage(job.origin.channelId, job.origin.messageTs, card)
    : job.origin.responseUrl
      ? deps.output.respond({ ...job.origin, replaceOriginal: true }, card)
      : deps.output.postAudit(card);
  await where.catch(dropped(log, 'offboard card update', job.correlationId));
  return `${job.decision} (${tokens.length})`;
}
