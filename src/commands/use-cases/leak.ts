import { asTokenOpsError } from '../../core/errors.js';
import type { LeakItem } from '../../core/leak-door.js';
import type { TokenRecord } from '../../core/ports.js';
import { parseRef } from '../../providers/ref.js';
import type { ProviderType, TokenSummary } from '../../core/token.js';
import { DESCRIPTORS } from '../../providers/descriptors.js';
import type { UseCaseContext } from './context.js';
import { revokeAuthorized } from './revoke.js';

/** What to do with a matched leak, per provider. */
export type LeakPolicy = 'autoRevoke' | 'propose';

/** Providers whose list answers carry the secret itself (so a listing can match a leaked value). */
export const LISTS_EXPOSE_VALUES: readonly ProviderType[] = DESCRIPTORS.filter((d) => d.listsExposeValues).map(
  (d) => d.type,
);

/** A token a leaked value belongs to (never the value). */
export interface LeakedToken {
  ref: string;
  provider: ProviderType;
  connection: string;
  name: string;
  owner?: string | undefined;
  createdAt?: string | undefined;
  /** Set when tokenops had already revoked it. */
  revokedAt?: string | undefined;
}

/** The outcome for one reported value. */
export interface LeakOutcome {
  item: LeakItem;
  token?: LeakedToken | undefined;
  /** revoked: killed now · proposed: a card asks security · already_revoked · not_found: gone at the provider · failed · unknown: no match. */
  result: 'revoked' | 'proposed' | 'already_revoked' | 'not_found' | 'failed' | 'unknown';
  detail?: string | undefined;
}

const fromRecord = (r: TokenRecord): LeakedToken => ({
  ref: r.ref,
  provider: r.provider,
  connection: r.connection,
  name: r.name,
  owner: r.owner,
  createdAt: r.createdAt,
  revokedAt: r.revokedAt,
});

const fromSummary = (t: TokenSummary, owner?: string): LeakedToken => ({
  ref: t.ref,
  provider: t.provider,
  connection: t.connection,
  name: t.name,
  owner,
  createdAt: t.createdAt,
});

/**
 * Finds the tokens reported values belong to: first the token index (tokens tokenops minted), then,
 * only for values still unknown, a live listing of the providers whose lists expose values.
 */
export async function matchLeaks(ctx: UseCaseContext, items: readonly LeakItem[]): Promise<Map<string, LeakedToken>> {
  const records = await ctx.deps.stores.tokens.all().catch(() => [] as TokenRecord[]);
  const byPrint = new Map(records.map((r) => [r.fingerprint, r]));
  const found = new Map<string, LeakedToken>();
  for (const i of items) {
    const r = byPrint.get(i.fingerprint);
    if (r) found.set(i.fingerprint, fromRecord(r));
  }
  if (items.every((i) => found.has(i.fingerprint))) return found;
  const conns = ctx.deps.registry.connections().filter((c) => LISTS_EXPOSE_VALUES.includes(c.provider));
  const lists = await Promise.allSettled(
    conns.map(async (c) => (await ctx.deps.registry.adapter(c.provider, c.connection)).list()),
  );
  const owners = new Map(records.map((r) => [r.ref, r.owner]));
  for (const l of lists) {
    if (l.status !== 'fulfilled') continue;
    for (const t of l.value)
      if (t.fingerprint && !found.has(t.fingerprint) && items.some((i) => i.fingerprint === t.fingerprint))
        found.set(t.fingerprint, fromSummary(t, owners.get(t.ref)));
  }
  return found;
}

/**
 * Acts on each reported value: a match under `autoRevoke` is killed at once through the shared revoke
 * path (audited as tokenops, with where it leaked as the reason); under `propose` it is left for a
 * person. Each value is handled on its own: one failure never hides the others.
 */
export async function actOnLeaks(
  ctx: UseCaseContext,
  items: readonly LeakItem[],
  policyFor: (provider: ProviderType) => LeakPolicy,
): Promise<LeakOutcome[]> {
  const matches = await matchLeaks(ctx, items);
  return Promise.all(
    items.map(async (item): Promise<LeakOutcome> => {
      const token = matches.get(item.fingerprint);
      if (!token) return { item, result: 'unknown' };
      if (token.revokedAt) return { item, token, result: 'already_revoked', detail: `revoked ${token.revokedAt}` };
      if (policyFor(token.provider) === 'propose') return { item, token, result: 'proposed' };
      const reason = `leak report${item.source ? ` from ${item.source}` : ''}${item.url ? `: ${item.url}` : ''}`;
      try {
        const reply = await revokeAuthorized(ctx, parseRef(token.ref), reason.slice(0, 300));
        // not_found is never a kill: the token is gone (or never was) at the provider.
        if (reply.kind === 'not_found') return { item, token, result: 'not_found', detail: reply.message };
        const how = reply.kind === 'change_done' ? reply.how : undefined;
        return { item, token, result: 'revoked', detail: how };
      } catch (err) {
        const e = asTokenOpsError(err);
        return { item, token, result: e.code === 'not_found' ? 'not_found' : 'failed', detail: e.message };
      }
    }),
  );
}
