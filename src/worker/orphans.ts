import { dropped } from '../core/dropped.js';
import type { Log, Notifier } from '../core/ports.js';
import { sweepOrphans } from '../commands/use-cases/orphans.js';
import type { UseCaseDeps } from '../commands/use-cases/context.js';
import type { Job } from '../commands/job.js';
import { orphanNoticeView, type View } from '../slack/views.js';
import type { AuditNotices } from './audit-notices.js';

/**
 * Runs the orphan sweep and tells each requester (in their DM) and the audit channel how their
 * interrupted request was settled. `correlationId` limits it to one job's records (its lease lapsed
 * or its process died); without it, every record older than the lease (the schedule).
 */
export async function reconcileOrphans(
  deps: UseCaseDeps & { output: Notifier<View> },
  notices: AuditNotices,
  sweep: { job: Job; leaseMs: number; correlationId?: string | undefined; log: Log },
): Promise<number> {
  const { job, log } = sweep;
  const claim = async (recordId: string): Promise<boolean> =>
    (await deps.stores.claims.claim(`orphan-${recordId}`, sweep.leaseMs, { takeover: true })) === 'claimed';
  const now = deps.now?.() ?? new Date();
  const settled = await sweepOrphans(deps, { now, leaseMs: sweep.leaseMs, correlationId: sweep.correlationId }, claim);
  for (const o of settled) {
    log.warn('interrupted mint settled', {
      auditId: o.record.id,
      outcome: o.record.outcome,
      revoked: o.revoked.length,
    });
    await Promise.all([
      deps.output.notifyUser(o.requester, orphanNoticeView(o)).catch(dropped(log, 'orphan notice', job.correlationId)),
      notices.post(o.record, 0, job, log, true),
    ]);
  }
  return settled.length;
}
