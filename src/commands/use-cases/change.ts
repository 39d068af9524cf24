import type { AuditRecord } from '../../core/audit.js';
import { TokenOpsError, UndoFailedError, asTokenOpsError } from '../../core/errors.js';
import { approvalDependsOnTier, needsApproval } from '../../core/policy.js';
import type { Ref } from '../../core/ref.js';
import { fingerprint } from '../../core/secret.js';
import type { TokenRecord } from '../../core/ports.js';
import type { IssuedToken, OldSecretFate, ProviderAdapter, RotateResult, TokenSummary } from '../../core/token.js';
import { providerLabel } from '../../providers/descriptors.js';
import type { Command } from '../command.js';
import type { Reply } from '../reply.js';
import type { UseCaseContext } from './context.js';
import { adapterFor } from './read.js';
import { refuseOwnCredential } from './revoke.js';

type CreateCommand = Extract<Command, { name: 'create' }>;

/** Words for the fate of a rotated token's old secret. */
export function fateText(fate: OldSecretFate, oldRef?: string): string {
  switch (fate.fate) {
    case 'deleted':
      return 'the old token was deleted';
    case 'deactivated':
      return 'the old token was deactivated';
    case 'dead_immediately':
      return 'the old secret stopped working at once';
    case 'expires_later':
      return oldRef
        ? `the old token ${oldRef} keeps working until ${utcText(fate.at)} (the provider's grace period); if it leaked, revoke it now: /token revoke ${oldRef}`
        : `the old secret keeps working until ${utcText(fate.at)} (the provider's grace period); revoke it now if it leaked`;
    case 'retire_failed':
      return `retiring the old token FAILED, so it still works: revoke it now (${fate.reason})`;
  }
}

/** `2026-12-01 18:30 UTC` for an ISO time; the text as given when it is not one. */
function utcText(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The create again as `/token create …` text, for the "Create another" button: the ingress parses it with
 * the grammar like anything typed, so a changed button value can only ask for what a person could type.
 */
function duplicateConfirmValue(cmd: CreateCommand, connection: string): string | undefined {
  const quoted = (v: string): string | undefined => (/["\r\n]/.test(v) ? undefined : `"${v}"`);
  const parts = ['create', `${cmd.target.provider}:${connection}`, quoted(cmd.tokenName)];
  if (cmd.tier) parts.push('--tier', cmd.tier);
  if (cmd.expiresAt) parts.push('--expires', cmd.expiresAt);
  if (cmd.scopes?.length) parts.push('--scope', cmd.scopes.join(','));
  if (cmd.hosts?.length) parts.push('--hosts', cmd.hosts.join(','));
  if (cmd.reason) parts.push('--reason', quoted(cmd.reason));
  if (parts.some((p) => p === undefined)) return undefined;
  return JSON.stringify({ text: parts.join(' ') });
}

/**
 * The tier of a token tokenops did not mint, read from the provider only when an approval rule for
 * rotate depends on it (Triton lists it; other providers have no tiers).
 */
async function readForTier(ctx: UseCaseContext, adapter: ProviderAdapter, ref: Ref): Promise<TokenSummary | undefined> {
  return approvalDependsOnTier(ctx.deps.policy, 'rotate', ref.provider) ? adapter.get(ref.id) : undefined;
}

/** Remembers a minted token (fingerprint and last 4 only) for --mine, find and reminders. */
async function remember(ctx: UseCaseContext, issued: IssuedToken): Promise<void> {
  const s = issued.summary;
  await ctx.deps.stores.tokens
    .put({
      ref: s.ref,
      provider: s.provider,
      connection: s.connection,
      name: s.name,
      owner: ctx.actor.userId,
      fingerprint: fingerprint(issued.secret, ctx.deps.fingerprintKey),
      last4: issued.secret.last4,
      createdAt: ctx.now().toISOString(),
      expiresAt: s.expiresAt ?? undefined,
      tier: typeof s.extras['rateTier'] === 'string' ? s.extras['rateTier'] : undefined,
    })
    .catch(ctx.dropped('token index write')); // the audit record still names it
}

/** Revokes a token whose secret could not be delivered, and says how that went. */
async function undo(ctx: UseCaseContext, issued: IssuedToken, record: AuditRecord): Promise<string> {
  const { adapter } = await adapterFor(ctx, {
    provider: issued.summary.provider,
    connection: issued.summary.connection,
    id: issued.summary.id,
  });
  try {
    await adapter.revoke(issued.summary.id, { reason: 'the secret could not be delivered' });
    await ctx.finishAudit(record, 'undone', {
      ref: issued.summary.ref,
      errorCode: 'delivery_failed',
      detail: 'secret not delivered; the new token was revoked again',
    });
    return 'The new token was revoked again, so nothing is left behind. Please try again.';
  } catch {
    await ctx.finishAudit(record, 'failed', {
      ref: issued.summary.ref,
      errorCode: 'delivery_failed',
      detail: 'secret not delivered; revoking the new token failed too',
    });
    return `Revoking the new token failed too: revoke ${issued.summary.ref} yourself.`;
  }
}

/**
 * The checks before a create that may stop it with a reply: the provider can create, no token of the
 * same name already exists (unless the person confirmed), approved when the policy says so.
 */
async function planCreate(
  ctx: UseCaseContext,
  cmd: CreateCommand,
  adapter: ProviderAdapter,
  connection: string,
  requestApproval: (summary: string) => Promise<Reply>,
): Promise<Reply | undefined> {
  if (adapter.capabilities.create.mode === 'unsupported')
    return {
      kind: 'refused',
      message: `${providerLabel(cmd.target.provider)} tokens cannot be created by tokenops: create them ${adapter.capabilities.create.where}.`,
    };
  if (!cmd.allowDuplicate) {
    // A second token with the same name is easy to mix up with the first: ask before making it.
    const same = await adapter
      .list()
      .then((all) => all.filter((t) => t.name.trim().toLowerCase() === cmd.tokenName.trim().toLowerCase()))
      .catch(() => []); // a failed look-up must not block the create itself
    if (same.length > 0)
      return {
        kind: 'duplicate_name',
        tokenName: cmd.tokenName,
        target: `${cmd.target.provider}:${connection}`,
        existing: same.map((t) => t.ref),
        confirmValue: duplicateConfirmValue(cmd, connection),
      };
  }
  if (!ctx.actor.approvedBy && needsApproval(ctx.deps.policy, 'create', cmd.target.provider, cmd.tier))
    return requestApproval(
      `create ${cmd.target.provider}:${connection} token "${cmd.tokenName}"${cmd.tier ? ` (tier ${cmd.tier})` : ''}`,
    );
  return undefined;
}

/** `/token create PROVIDER[:CONN] NAME …`: audit first (fail closed), mint, deliver, remember. */
export async function createToken(
  ctx: UseCaseContext,
  cmd: CreateCommand,
  requestApproval: (summary: string) => Promise<Reply>,
): Promise<Reply> {
  await ctx.authorize('create', cmd.target.provider);
  // No --tier: the connection's default tier applies, which the admin chose; limits check what is asked.
  await ctx.withinLimits('create', cmd.target.provider, { tier: cmd.tier, scopes: cmd.scopes });
  const connection = ctx.deps.registry.resolveConnection(cmd.target.provider, cmd.target.connection);
  const adapter = await ctx.deps.registry.adapter(cmd.target.provider, connection);
  const stop = await planCreate(ctx, cmd, adapter, connection, requestApproval);
  if (stop) return stop;
  const base = {
    action: 'create' as const,
    provider: cmd.target.provider,
    connection,
    tokenName: cmd.tokenName,
    reason: cmd.reason,
  };
  const record = await ctx.beginAudit(base); // throws audit_unavailable: no audit, no token
  let issued: IssuedToken;
  try {
    issued = await adapter.create({
      name: cmd.tokenName,
      tier: cmd.tier,
      expiresAt: cmd.expiresAt,
      scopes: cmd.scopes,
      hosts: cmd.hosts,
    });
  } catch (err) {
    await ctx.finishAudit(record, 'failed', { errorCode: asTokenOpsError(err).code });
    throw err;
  }
  try {
    await ctx.deliver(issued, { action: 'created' });
  } catch {
    throw new TokenOpsError(
      'delivery_failed',
      `The secret could not be delivered to your DM. ${await undo(ctx, issued, record)}`,
    );
  }
  // Independent writes, both best effort: one round trip instead of two.
  await Promise.all([
    remember(ctx, issued),
    ctx.finishAudit(record, 'succeeded', { ref: issued.summary.ref, last4: issued.secret.last4 }),
  ]);
  const inactive = issued.summary.active ? undefined : 'the provider created it inactive; an operator must activate it';
  return {
    kind: 'secret_sent',
    action: 'created',
    ref: issued.summary.ref,
    tokenName: issued.summary.name,
    how: inactive,
  };
}

/** What a rotate may go ahead with: the token as known, its tier, and the listing read to learn it. */
interface RotatePlan {
  known: TokenRecord | undefined;
  tier: string | undefined;
  previous: TokenSummary | undefined;
}

/**
 * The checks before a rotate, in order: permission (owner-scoped), the provider can rotate, not a token
 * tokenops revoked, not tokenops' own credential, within limits, approved when the tier needs it.
 * Returns the reply that stops it, or what it may go ahead with.
 */
async function planRotate(
  ctx: UseCaseContext,
  target: Target,
  reason: string | undefined,
  requestApproval: (summary: string) => Promise<Reply>,
): Promise<Reply | RotatePlan> {
  const { adapter, ref, connection, refText } = target;
  const [known, revoked] = await Promise.all([
    ctx.deps.stores.tokens.get(refText).catch(() => undefined),
    ctx.deps.stores.tokens.revocation(refText).catch(() => undefined),
  ]);
  await ctx.authorizeOn('rotate', { provider: ref.provider, connection, ref: refText, reason }, known?.owner);
  if (adapter.capabilities.rotate.mode === 'unsupported')
    return {
      kind: 'refused',
      message: `${providerLabel(ref.provider)} tokens cannot be rotated by tokenops: ${adapter.capabilities.rotate.where}.`,
    };
  if (revoked) return { kind: 'revoked_before', action: 'rotate', ref: refText, revokedBefore: revoked };
  await refuseOwnCredential(adapter, ref.id, 'rotate');
  const previous = known?.tier === undefined ? await readForTier(ctx, adapter, ref) : undefined;
  const rateTier = previous?.extras['rateTier'];
  const tier = known?.tier ?? (typeof rateTier === 'string' ? rateTier : undefined);
  await ctx.withinLimits('rotate', ref.provider, { tier });
  if (!ctx.actor.approvedBy && needsApproval(ctx.deps.policy, 'rotate', ref.provider, tier))
    return requestApproval(`rotate ${refText}${known ? ` "${known.name}"` : ''}${tier ? ` (tier ${tier})` : ''}`);
  return { known, tier, previous };
}

/** A token a change acts on: its adapter, parsed REF, resolved connection and canonical REF text. */
interface Target {
  adapter: ProviderAdapter;
  ref: Ref;
  connection: string;
  refText: string;
}

/** After a rotate: remember the new token, finish the audit, mark the old one retired; the reply. */
async function recordRotation(ctx: UseCaseContext, target: Target, record: AuditRecord, result: RotateResult) {
  const { adapter, refText } = target;
  const how =
    result.fallback ?? (adapter.capabilities.rotate.mode === 'emulated' ? adapter.capabilities.rotate.how : undefined);
  const fate = fateText(result.old, refText);
  const retired = result.old.fate !== 'expires_later' && result.old.fate !== 'retire_failed';
  // Independent best-effort writes, at once. The record names the rotated token: its REF, name and
  // last 4; the new one is in the detail.
  await Promise.all([
    remember(ctx, result.issued),
    ctx.finishAudit(record, 'succeeded', {
      ref: refText,
      tokenName: result.previous?.name,
      last4: result.previous?.last4,
      detail: `new token ${result.issued.summary.ref} (…${result.issued.secret.last4}); ${fate}`,
    }),
    retired
      ? ctx.deps.stores.tokens
          .markRevoked({ ref: refText, at: ctx.now().toISOString(), by: ctx.actor.userId, how: `rotated: ${fate}` })
          .catch(ctx.dropped('token index revoke mark'))
      : undefined,
  ]);
  const reply: Reply = {
    kind: 'secret_sent',
    action: 'rotated',
    ref: result.issued.summary.ref,
    tokenName: result.issued.summary.name,
    how,
    oldFate: fate,
  };
  return reply;
}

/** A rotate that threw: the audit says how it ended, and the error says what became of both tokens. */
async function rotationFailed(
  ctx: UseCaseContext,
  adapter: ProviderAdapter,
  record: AuditRecord,
  err: unknown,
  deliveryFailed: boolean,
): Promise<never> {
  if (err instanceof UndoFailedError) {
    await ctx.finishAudit(record, 'failed', {
      errorCode: 'delivery_failed',
      detail: `secret not delivered; revoking the new token ${err.ref} failed too`,
    });
    throw err;
  }
  if (deliveryFailed) {
    await ctx.finishAudit(record, 'undone', {
      errorCode: 'delivery_failed',
      detail: 'secret not delivered; the new token was revoked again',
    });
    // Emulated rotation retires the old token only after delivery; a provider's own rotation already did.
    const old =
      adapter.capabilities.rotate.mode === 'emulated'
        ? 'The old token was left working.'
        : 'The provider has already retired the old secret (or started its grace period): rotate again or create a new token.';
    throw new TokenOpsError(
      'delivery_failed',
      `The new secret could not be delivered to your DM, so the new token was revoked again. ${old}`,
    );
  }
  await ctx.finishAudit(record, 'failed', { errorCode: asTokenOpsError(err).code });
  throw err;
}

/**
 * `/token rotate REF`: owner-scoped, never tokenops' own credential, never a token tokenops revoked,
 * and under the same approval rules as create. Then create new → deliver → retire old (the adapter).
 */
export async function rotateToken(
  ctx: UseCaseContext,
  ref: Ref,
  reason: string | undefined,
  requestApproval: (summary: string) => Promise<Reply>,
): Promise<Reply> {
  const target: Target = { ref, ...(await adapterFor(ctx, ref)) };
  const plan = await planRotate(ctx, target, reason, requestApproval);
  if ('kind' in plan) return plan;
  const { adapter, connection, refText } = target;
  // The adapter reads the token itself; its name and last 4 join the record when the rotate returns.
  const record = await ctx.beginAudit({ action: 'rotate', provider: ref.provider, connection, ref: refText, reason });
  let deliveryFailed = false;
  const deliver = async (issued: IssuedToken): Promise<void> => {
    try {
      await ctx.deliver(issued, { action: 'rotated' });
    } catch (err) {
      deliveryFailed = true;
      throw err;
    }
  };
  let result: RotateResult;
  try {
    result = await adapter.rotate(ref.id, { reason, previous: plan.previous, deliver });
  } catch (err) {
    return rotationFailed(ctx, adapter, record, err, deliveryFailed);
  }
  return recordRotation(ctx, target, record, result);
}

/** `/token activate|deactivate REF`. Activation fails closed on the audit store (it revives a secret). */
export async function toggleToken(
  ctx: UseCaseContext,
  action: 'activate' | 'deactivate',
  ref: Ref,
  reason: string | undefined,
): Promise<Reply> {
  const { adapter, connection, refText } = await adapterFor(ctx, ref);
  const known = await ctx.deps.stores.tokens.get(refText).catch(() => undefined);
  await ctx.authorizeOn(action, { provider: ref.provider, connection, ref: refText, reason }, known?.owner);
  if (adapter.capabilities[action].mode === 'unsupported') {
    const support = adapter.capabilities[action];
    return {
      kind: 'refused',
      message: `${providerLabel(ref.provider)} tokens cannot be ${action}d: ${support.mode === 'unsupported' ? support.where : ''}.`,
    };
  }
  const fields = { action, provider: ref.provider, connection, ref: refText, reason };
  if (action === 'deactivate') await refuseOwnCredential(adapter, ref.id, 'deactivate');
  else {
    // Revocation is final. Reading it fails closed, like the audit record: activation revives a secret.
    const revoked = await ctx.deps.stores.tokens.revocation(refText);
    if (revoked) {
      const record = await ctx.beginAudit(fields);
      await ctx.finishAudit(record, 'refused', {
        errorCode: 'revoked',
        detail: `revoked by ${revoked.by} at ${revoked.at}`,
      });
      return { kind: 'revoked_before', action, ref: refText, revokedBefore: revoked };
    }
  }
  const record = action === 'activate' ? await ctx.beginAudit(fields) : (await ctx.beginAuditSoft(fields)).record;
  try {
    const token = action === 'activate' ? await adapter.activate(ref.id) : await adapter.deactivate(ref.id, { reason });
    await ctx.finishAudit(record, 'succeeded', { tokenName: token.name, last4: token.last4 });
    return { kind: 'change_done', action, ref: refText, tokenName: token.name, emulated: false };
  } catch (err) {
    await ctx.finishAudit(record, 'failed', { errorCode: asTokenOpsError(err).code });
    throw err;
  }
}
