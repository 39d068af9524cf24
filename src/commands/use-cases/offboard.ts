import { asTokenOpsError } from '../../core/errors.js';
import type { TokenRecord } from '../../core/ports.js';
import { parseRef } from '../../providers/ref.js';
import type { UseCaseContext } from './context.js';
import { revokeAuthorized } from './revoke.js';

/** What happens to a deactivated person's tokens: revoked at once, or a card asks security. */
export type DeactivationPolicy = 'revoke' | 'ask';

/** One token's fate in an offboarding revoke-all. */
export interface OffboardResult {
  token: TokenRecord;
  result: 'revoked' | 'not_found' | 'failed';
  detail?: string | undefined;
}

/** The tokens the index says a person owns and tokenops has not revoked. */
export async function liveTokensOf(ctx: UseCaseContext, owner: string): Promise<TokenRecord[]> {
  const records = await ctx.deps.stores.tokens.byOwner(owner);
  return records.filter((r) => !r.revokedAt);
}

/**
 * Revokes every live token a deactivated person owns, each through the one kill-first revoke path (its
 * own audit record), at once; then one summary record. One failure never stops the others.
 */
export async function revokeAllOf(ctx: UseCaseContext, owner: string, why: string): Promise<OffboardResult[]> {
  const tokens = await liveTokensOf(ctx, owner);
  const results = await Promise.all(
    tokens.map(async (token): Promise<OffboardResult> => {
      try {
        const reply = await revokeAuthorized(ctx, parseRef(token.ref), why, token);
        if (reply.kind === 'not_found') return { token, result: 'not_found', detail: reply.message };
        if (reply.kind === 'change_done') return { token, result: 'revoked', detail: reply.how };
        return { token, result: 'failed', detail: 'message' in reply ? String(reply.message) : reply.kind };
      } catch (err) {
        const e = asTokenOpsError(err);
        return { token, result: e.code === 'not_found' ? 'not_found' : 'failed', detail: e.message };
      }
    }),
  );
  const first = tokens[0];
  if (first) {
    const revoked = results.filter((r) => r.result === 'revoked').length;
    const detail = `revoked ${revoked} of ${tokens.length} tokens owned by ${owner} (deactivated in Slack)`;
    const { record } = await ctx.beginAuditSoft({
      action: 'offboard',
      provider: first.provider,
      connection: first.connection,
      reason: why,
      detail,
    });
    await ctx.finishAudit(record, revoked === tokens.length ? 'succeeded' : 'failed', { detail });
  }
  return results;
}

/** Gives every live token of a deactivated person to someone else in the index; one audit record each. */
export async function reassignAllOf(ctx: UseCaseContext, owner: string, newOwner: string): Promise<TokenRecord[]> {
  const tokens = await liveTokensOf(ctx, owner);
  await Promise.all(
    tokens.map(async (t) => {
      const { record } = await ctx.beginAuditSoft({
        action: 'reassign',
        provider: t.provider,
        connection: t.connection,
        ref: t.ref,
        tokenName: t.name,
        last4: t.last4,
        reason: `owner ${owner} was deactivated in Slack`,
      });
      try {
        await ctx.deps.stores.tokens.reassign(t.ref, newOwner);
        await ctx.finishAudit(record, 'succeeded', { detail: `owner ${owner} → ${newOwner}` });
      } catch (err) {
        await ctx.finishAudit(record, 'failed', { errorCode: asTokenOpsError(err).code });
        throw err;
      }
    }),
  );
  return tokens;
}

/** Records that security chose to keep a deactivated person's tokens as they are; one record each. */
export async function keepAllOf(ctx: UseCaseContext, owner: string): Promise<TokenRecord[]> {
  const tokens = await liveTokensOf(ctx, owner);
  await Promise.all(
    tokens.map(async (t) => {
      const { record } = await ctx.beginAuditSoft({
        action: 'keep',
        provider: t.provider,
        connection: t.connection,
        ref: t.ref,
        tokenName: t.name,
        last4: t.last4,
        reason: `owner ${owner} was deactivated in Slack`,
      });
      await ctx.finishAudit(record, 'succeeded', { detail: `kept; still owned by ${owner}` });
    }),
  );
  return tokens;
}
