import { randomUUID } from 'node:crypto';
import { TokenOpsError } from '../../core/errors.js';
import type { JobOf } from '../job.js';
import type { Reply } from '../reply.js';
import { errorReply } from '../run.js';
import type { UseCaseContext } from './context.js';

/** What an approval is about, as the approvers' messages show it. Never a secret. */
export interface ApprovalFacts {
  /** Slack user id of the requester. */
  requester: string;
  action: 'create';
  /** `provider:connection`. */
  target: string;
  tokenName: string;
}

/** A request filed for approval: the requester's reply, and what the approvers' channel is shown. */
export interface FiledRequest {
  reply: Reply;
  request: ApprovalFacts & { approvalId: string; detail?: string | undefined; reason?: string | undefined };
}

/**
 * Files a command that policy says needs a second person: the request (with the job to run once
 * approved) is stored, and audited as pending. Only `create` needs approval today.
 */
export async function requestApproval(
  ctx: UseCaseContext,
  job: JobOf<'command'>,
  summary: string,
): Promise<FiledRequest> {
  const cmd = job.command;
  if (cmd.name !== 'create') throw new TokenOpsError('internal', 'Only create needs approval.');
  const id = randomUUID();
  await ctx.deps.stores.approvals.create({
    id,
    requester: job.origin.userId,
    job: JSON.stringify(job),
    summary,
    status: 'pending',
    createdAt: ctx.now().toISOString(),
  });
  const connection = ctx.deps.registry.resolveConnection(cmd.target.provider, cmd.target.connection);
  const record = await ctx.beginAudit({
    action: 'create',
    provider: cmd.target.provider,
    connection,
    tokenName: cmd.tokenName,
    reason: cmd.reason,
  });
  await ctx.finishAudit(record, 'pending_approval', { detail: `approval ${id}` });
  return {
    reply: { kind: 'pending_approval', approvalId: id, summary },
    request: {
      approvalId: id,
      requester: job.origin.userId,
      action: 'create',
      target: `${cmd.target.provider}:${connection}`,
      tokenName: cmd.tokenName,
      detail: cmd.tier ? `tier ${cmd.tier}` : undefined,
      reason: cmd.reason,
    },
  };
}

/** How a decision on a request went. Audit records of it are in `ctx.audit`. */
export type DecisionOutcome =
  /** Nothing was decided; `message` says why (to the person who clicked). */
  | { kind: 'refused'; message: string }
  | {
      kind: 'decided';
      decision: 'approved' | 'denied';
      subject: ApprovalFacts;
      /** The request as the requester was told it. */
      summary: string;
      /** When approved: the requester's job, to run now with `approvedBy` set. */
      approved?: JobOf<'command'> | undefined;
    };

/**
 * Decides a pending request, once: the approver needs `approve` on the provider and cannot be the
 * requester. Refusals of a real request are audited; a stale or raced click is only answered.
 */
export async function decideApproval(ctx: UseCaseContext, job: JobOf<'approval'>): Promise<DecisionOutcome> {
  const approver = ctx.actor.userId;
  const request = await ctx.deps.stores.approvals.get(job.approvalId);
  if (!request || request.status !== 'pending')
    return { kind: 'refused', message: 'That request was already decided or has expired.' };
  const original = JSON.parse(request.job) as JobOf<'command'>;
  const cmd = original.command;
  if (cmd.name !== 'create') return { kind: 'refused', message: 'That request is malformed.' };
  const connection = ctx.deps.registry.resolveConnection(cmd.target.provider, cmd.target.connection);
  const audit = async (outcome: 'succeeded' | 'refused', detail: string): Promise<void> => {
    const { record } = await ctx.beginAuditSoft({
      action: job.decision === 'approved' ? 'approve' : 'deny',
      provider: cmd.target.provider,
      connection,
      tokenName: cmd.tokenName,
      detail,
    });
    await ctx.finishAudit(record, outcome, outcome === 'refused' ? { errorCode: 'denied' } : {});
  };
  const refuse = async (message: string): Promise<DecisionOutcome> => {
    await audit('refused', `request ${request.id} by ${request.requester}: ${message}`);
    return { kind: 'refused', message };
  };
  if (request.requester === approver) return refuse('You cannot approve or deny your own request.');
  try {
    await ctx.authorize('approve', cmd.target.provider);
  } catch (err) {
    return refuse(
      errorReply(err, ctx.actor.correlationId).kind === 'refused' ? (err as Error).message : 'Not allowed.',
    );
  }
  const decided = await ctx.deps.stores.approvals.decide(job.approvalId, job.decision, approver);
  if (!decided) return { kind: 'refused', message: 'Someone else decided that request first.' };
  await audit('succeeded', `request ${request.id} by ${request.requester}`);
  const subject: ApprovalFacts = {
    requester: request.requester,
    action: 'create',
    target: `${cmd.target.provider}:${connection}`,
    tokenName: cmd.tokenName,
  };
  const approved =
    job.decision === 'approved' ? { ...original, id: `${original.id}-approved`, approvedBy: approver } : undefined;
  return { kind: 'decided', decision: job.decision, subject, summary: request.summary, approved };
}
