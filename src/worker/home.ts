// Builds and publishes a person's App Home tab from the stores: their tokens, what expires soon, the
// approvals waiting, and for security roles (those who may read the audit) the latest changes.
import type { Notifier } from '../core/ports.js';
import type { Job } from '../commands/job.js';
import type { UseCaseContext } from '../commands/use-cases/context.js';
import { homeView } from '../slack/views.js';
import type { View } from '../slack/views.js';
import type { JobRunnerDeps } from './job-runner.js';

const AUDIT_DAYS = 7;

/** True when the actor passes a policy check; refusals and lookup failures are both "no". */
async function may(ctx: UseCaseContext, ...check: Parameters<UseCaseContext['authorize']>): Promise<boolean> {
  return ctx.authorize(...check).then(
    () => true,
    () => false,
  );
}

/** Publishes the Home tab of the job's user. Each part that cannot be read is said, not hidden. */
export async function publishHome(
  deps: JobRunnerDeps & { output: Notifier<View> },
  ctx: UseCaseContext,
  job: Job,
): Promise<string> {
  const userId = job.origin.userId;
  const now = ctx.now();
  const problems: string[] = [];
  const soft = <T>(what: string, p: Promise<T>, fallback: T): Promise<T> =>
    p.catch(() => {
      problems.push(`${what} could not be read just now; open the tab again in a moment.`);
      return fallback;
    });
  // A person outside the policy (a guest, another workspace) sees no data at all.
  if (!(await may(ctx, 'list'))) {
    await deps.output.publishHome(
      userId,
      homeView({
        userId,
        own: [],
        now,
        mayRotate: () => false,
        myPending: [],
        problems: ['tokenops has nothing to show you: your account has no tokenops access.'],
      }),
    );
    return 'home (no access)';
  }
  const [own, pending, isApprover, isSecurity, bulk] = await Promise.all([
    soft('Your tokens', deps.stores.tokens.byOwner(userId), []),
    soft('Approvals', deps.stores.approvals.pending(), []),
    may(ctx, 'approve'),
    may(ctx, 'audit'),
    soft('Bulk revocations', deps.stores.bulk.byActor(userId), []),
  ]);
  const since = new Date(now.getTime() - AUDIT_DAYS * 86_400_000).toISOString();
  const audit = isSecurity ? await soft('Recent changes', deps.stores.audit.list({ since, limit: 10 }), []) : undefined;
  const rotatable = new Map<string, boolean>();
  for (const provider of new Set(own.map((t) => t.provider)))
    rotatable.set(provider, await may(ctx, 'rotate', provider));
  const view = homeView({
    userId,
    own,
    now,
    mayRotate: (t) => rotatable.get(t.provider) === true,
    myPending: pending.filter((r) => r.requester === userId),
    toDecide: isApprover ? pending.filter((r) => r.requester !== userId) : undefined,
    audit,
    problems,
    bulk: bulk.filter((j) => j.status === 'running' || j.status === 'stopping'),
  });
  await deps.output.publishHome(userId, view);
  return 'home published';
}
