import { describe, expect, it } from 'vitest';
import { approvalJob, commandJob } from '../../../../src/commands/job.js';
import { decideApproval, requestApproval } from '../../../../src/commands/use-cases/approval.js';
import { UseCaseContext, type UseCaseDeps } from '../../../../src/commands/use-cases/context.js';
import type { Stores } from '../../../../src/core/ports.js';
import type { ConnectionConfig } from '../../../../src/providers/config.js';
import { ProviderRegistry } from '../../../../src/providers/registry.js';
import { useDynamo } from '../../../support/dynamo.js';
import { TEST_POLICY, fixedDirectory, recordingLog } from '../../../support/worker.js';

// Approval needs no provider call: the registry only resolves the connection's name.
const TRITON: ConnectionConfig = { provider: 'triton', name: 'prod', baseUrl: 'http://127.0.0.1:9' };

function context(stores: Stores, userId: string): UseCaseContext {
  const deps: UseCaseDeps = {
    registry: new ProviderRegistry([TRITON], { fingerprintKey: 'k' }),
    stores,
    directory: fixedDirectory(),
    policy: TEST_POLICY,
    allowedTeams: ['T1'],
    fingerprintKey: 'k',
    log: recordingLog(),
  };
  return new UseCaseContext(deps, { userId, teamId: 'T1', correlationId: `c-${userId}` }, async () => {
    throw new Error('no secret here');
  });
}

const origin = (userId: string) => ({ userId, teamId: 'T1', channelId: 'C1' });
const paidCreate = () =>
  commandJob(
    { id: `t-${Math.random()}`, correlationId: 'c1', origin: origin('U0ENG') },
    { name: 'create', target: { provider: 'triton' }, tokenName: 'big-rpc', tier: 'tier3', reason: 'load test' },
  );

async function filed(stores: Stores) {
  const job = paidCreate();
  const result = await requestApproval(context(stores, 'U0ENG'), job, 'create triton:prod token "big-rpc"');
  return { job, result };
}

const decision = (approvalId: string, userId: string, decision: 'approved' | 'denied' = 'approved') =>
  approvalJob({ id: `a-${Math.random()}`, correlationId: `c-${userId}`, origin: origin(userId) }, approvalId, decision);

describe('approval use case', () => {
  const dynamo = useDynamo();

  it('files a request with the job to run later, audited as pending, and describes it for approvers', async () => {
    const stores = await dynamo.stores();
    const ctx = context(stores, 'U0ENG');
    const job = paidCreate();
    const { reply, request } = await requestApproval(ctx, job, 'create triton:prod token "big-rpc"');
    expect(reply).toMatchObject({ kind: 'pending_approval', approvalId: request.approvalId });
    expect(request).toMatchObject({
      requester: 'U0ENG',
      target: 'triton:prod',
      tokenName: 'big-rpc',
      detail: 'tier tier3',
    });
    const stored = await stores.approvals.get(request.approvalId);
    expect(stored?.status).toBe('pending');
    expect(JSON.parse(stored?.job ?? '{}')).toEqual(job);
    expect(ctx.audit.map((r) => [r.action, r.outcome])).toEqual([['create', 'pending_approval']]);
  });

  it('refuses a requester approving their own request, and audits the refusal', async () => {
    const stores = await dynamo.stores();
    const { result } = await filed(stores);
    const ctx = context(stores, 'U0ENG');
    const out = await decideApproval(ctx, decision(result.request.approvalId, 'U0ENG'));
    expect(out).toEqual({ kind: 'refused', message: 'You cannot approve or deny your own request.' });
    expect(ctx.audit.map((r) => [r.action, r.outcome, r.errorCode])).toEqual([['approve', 'refused', 'denied']]);
    expect((await stores.approvals.get(result.request.approvalId))?.status).toBe('pending');
  });

  it('refuses someone without the approve right, and audits it', async () => {
    const stores = await dynamo.stores();
    const { result } = await filed(stores);
    const ctx = context(stores, 'U0ENG2');
    const out = await decideApproval(ctx, decision(result.request.approvalId, 'U0ENG2'));
    expect(out.kind).toBe('refused');
    expect(out.kind === 'refused' && out.message).toMatch(/do not allow `approve` on triton/);
    expect(ctx.audit[0]).toMatchObject({ action: 'approve', outcome: 'refused', actor: 'U0ENG2' });
  });

  it('approves once: the original job comes back marked approved, and a second click is turned away', async () => {
    const stores = await dynamo.stores();
    const { job, result } = await filed(stores);
    const ctx = context(stores, 'U0APPR');
    const out = await decideApproval(ctx, decision(result.request.approvalId, 'U0APPR'));
    expect(out).toMatchObject({
      kind: 'decided',
      decision: 'approved',
      subject: { requester: 'U0ENG', target: 'triton:prod', tokenName: 'big-rpc' },
      approved: { ...job, id: `${job.id}-approved`, approvedBy: 'U0APPR' },
    });
    expect(ctx.audit.map((r) => [r.action, r.outcome])).toEqual([['approve', 'succeeded']]);
    const again = await decideApproval(
      context(stores, 'U0SEC'),
      decision(result.request.approvalId, 'U0SEC', 'denied'),
    );
    expect(again).toEqual({ kind: 'refused', message: 'That request was already decided or has expired.' });
  });

  it('denies without running anything', async () => {
    const stores = await dynamo.stores();
    const { result } = await filed(stores);
    const ctx = context(stores, 'U0SEC');
    const out = await decideApproval(ctx, decision(result.request.approvalId, 'U0SEC', 'denied'));
    expect(out).toMatchObject({ kind: 'decided', decision: 'denied', approved: undefined });
    expect(ctx.audit.map((r) => [r.action, r.outcome])).toEqual([['deny', 'succeeded']]);
    expect((await stores.approvals.get(result.request.approvalId))?.status).toBe('denied');
  });
});
