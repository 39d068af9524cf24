// What a viewer may do to the tokens a reply shows, decided by the same policy check the worker runs
// before acting, so a button is offered only when pressing it would be allowed. Owner-aware grants
// decide per token: `mayOn` is the one place that asks.
import { TokenOpsError } from '../../core/errors.js';
import type { TokenSummary } from '../../core/token.js';
import { Access } from '../access.js';
import type { TokenAction, ViewerMay } from '../reply.js';
import type { UseCaseContext } from './context.js';

/**
 * True when the actor may do `action` on this token: the same owner-aware check the worker applies
 * (`:own` grants reach only tokens the index records as theirs). Never throws for a refusal.
 */
async function mayOn(ctx: UseCaseContext, action: TokenAction, t: TokenSummary): Promise<boolean> {
  const owner = typeof t.extras['owner'] === 'string' ? t.extras['owner'] : undefined;
  const { userId, teamId } = ctx.actor;
  try {
    return await new Access(ctx.deps).mayChange(userId, teamId, action, {
      provider: t.provider,
      owner,
      ownCredential: t.ownCredential,
    });
  } catch (err) {
    if (err instanceof TokenOpsError && err.code === 'denied') return false;
    return false; // Slack could not confirm who they are: offer nothing rather than a button that fails
  }
}

/** Whether the provider can do the action at all (an unsupported action gets no button either). */
async function providerCan(ctx: UseCaseContext, t: TokenSummary, action: TokenAction): Promise<boolean> {
  try {
    const adapter = await ctx.deps.registry.adapter(t.provider, t.connection);
    return adapter.capabilities[action].mode !== 'unsupported';
  } catch {
    return false;
  }
}

/** Per REF, the actions (of `wanted`) the actor may take and the provider supports. */
export async function viewerMay(
  ctx: UseCaseContext,
  tokens: readonly TokenSummary[],
  wanted: readonly TokenAction[],
): Promise<ViewerMay> {
  // One decision per action, provider and owner: a page of tokens shares a handful of them.
  const decided = new Map<string, Promise<boolean>>();
  const allowed = (action: TokenAction, t: TokenSummary): Promise<boolean> => {
    const key = `${action}:${t.provider}:${String(t.extras['owner'] ?? '')}:${t.ownCredential ? 1 : 0}`;
    if (!decided.has(key)) decided.set(key, mayOn(ctx, action, t));
    return decided.get(key) as Promise<boolean>;
  };
  const out: ViewerMay = {};
  await Promise.all(
    tokens.map(async (t) => {
      const ok = await Promise.all(wanted.map(async (a) => (await allowed(a, t)) && (await providerCan(ctx, t, a))));
      const may = wanted.filter((_, i) => ok[i]);
      if (may.length > 0) out[t.ref] = may;
    }),
  );
  return out;
}
