import type { AuditRecord } from '../../core/audit.js';
import { TokenOpsError, asTokenOpsError } from '../../core/errors.js';
import type { Revocation, TokenRecord } from '../../core/ports.js';
import type { Ref } from '../../core/ref.js';
import { type ProviderAdapter, type RevokeMethod, type RevokeResult } from '../../core/token.js';
import { providerLabel } from '../../providers/descriptors.js';
import { OWN_CREDENTIAL_HELP } from '../access.js';
import type { Reply } from '../reply.js';
import type { UseCaseContext } from './context.js';
import { adapterFor } from './read.js';

/** Words for how a revoke was done, shown in replies and the audit trail. */
export const REVOKE_HOW: Record<RevokeMethod, string> = {
  deleted: 'deleted at the provider',
  deactivated: 'deactivated (the provider has no delete; the secret no longer works)',
  refreshed_and_discarded:
    'refreshed and the new secret discarded (the provider has no revoke; the old secret died at once)',
};

/**
 * Refuses to revoke, rotate or deactivate the connection's own credential: doing so would lock tokenops
 * out of the provider. Throws `forbidden` with the way to do it safely.
 */
export async function refuseOwnCredential(
  adapter: ProviderAdapter,
  id: string,
  action: 'revoke' | 'rotate' | 'deactivate',
): Promise<void> {
  const own = await adapter.ownCredential();
  if (!own.ids.includes(id)) return;
  throw new TokenOpsError(
    'forbidden',
    `That is tokenops' own credential for ${adapter.provider}:${adapter.connection}: tokenops will not ${action} it, or every later ${providerLabel(adapter.provider)} command would fail. ${OWN_CREDENTIAL_HELP}`,
    { provider: adapter.provider },
  );
}

/** The index's record of a token: its owner and name. The store being down must not block a kill. */
function indexed(ctx: UseCaseContext, refText: string): Promise<TokenRecord | undefined> {
  return ctx.deps.stores.tokens.get(refText).catch(() => undefined);
}

/**
 * `/token revoke REF`: kill first. Only what must precede the kill does (who may, and never tokenops'
 * own credential); the audit "begin" write runs beside the kill and never delays or blocks it.
 */
export async function revokeToken(ctx: UseCaseContext, ref: Ref, reason: string | undefined): Promise<Reply> {
  const { connection, refText } = await adapterFor(ctx, ref);
  const record = await indexed(ctx, refText);
  await ctx.authorizeOn('revoke', { provider: ref.provider, connection, ref: refText, reason }, record?.owner);
  return revokeAuthorized(ctx, ref, reason, record);
}

/**
 * The revoke itself, once someone was allowed to ask for it: the one path person-driven and automatic
 * revocations (a leak report under `autoRevoke`) share. Never tokenops' own credential; kill first.
 */
export async function revokeAuthorized(
  ctx: UseCaseContext,
  ref: Ref,
  reason: string | undefined,
  known?: TokenRecord,
): Promise<Reply> {
  const { adapter, connection, refText } = await adapterFor(ctx, ref);
  const record = known ?? (await indexed(ctx, refText));
  await refuseOwnCredential(adapter, ref.id, 'revoke');
  const kill = adapter.revoke(ref.id, { reason }).then(
    (result) => ({ ok: true as const, result }),
    (err: unknown) => ({ ok: false as const, err }),
  );
  const begun = ctx.beginAuditSoft({ action: 'revoke', provider: ref.provider, connection, ref: refText, reason });
  const [outcome, { record: audit }] = await Promise.all([kill, begun]);
  if (!outcome.ok) return revokeFailed(ctx, audit, refText, outcome.err);
  const named = await nameAfterKill(adapter, ref.id, outcome.result, record);
  const how = REVOKE_HOW[outcome.result.method];
  await ctx.finishAudit(audit, 'succeeded', { tokenName: named.name, last4: named.last4, detail: how });
  const at = ctx.now().toISOString();
  await ctx.deps.stores.tokens.markRevoked({ ref: refText, at, by: ctx.actor.userId, how }).catch(() => undefined);
  return {
    kind: 'change_done',
    action: 'revoke',
    ref: refText,
    tokenName: named.name,
    how,
    emulated: adapter.capabilities.revoke.mode === 'emulated',
  };
}

/** Name and last 4: from the index, else from the kill's answer, else read after the kill (it still exists). */
async function nameAfterKill(
  adapter: ProviderAdapter,
  id: string,
  result: RevokeResult,
  record: TokenRecord | undefined,
): Promise<{ name?: string | undefined; last4?: string | undefined }> {
  const name = record?.name ?? result.summary?.name;
  const last4 = record?.last4 ?? result.summary?.last4;
  if (name !== undefined || result.method !== 'deactivated') return { name, last4 };
  const read = await adapter.get(id).catch(() => undefined);
  return { name: read?.name, last4: last4 ?? read?.last4 };
}

/** A failed kill: `not_found` is said and audited as such (with tokenops' own earlier revoke, if any). */
async function revokeFailed(ctx: UseCaseContext, audit: AuditRecord, refText: string, err: unknown): Promise<Reply> {
  const e = asTokenOpsError(err);
  if (e.code !== 'not_found') {
    await ctx.finishAudit(audit, 'failed', { errorCode: e.code });
    throw err;
  }
  const before: Revocation | undefined = await ctx.deps.stores.tokens.revocation(refText).catch(() => undefined);
  const detail = before
    ? `no such token any more: tokenops already revoked it (by ${before.by} at ${before.at})`
    : 'no such token at the provider: nothing was revoked';
  await ctx.finishAudit(audit, 'not_found', { errorCode: 'not_found', detail });
  return { kind: 'not_found', ref: refText, message: e.message, revokedBefore: before };
}
