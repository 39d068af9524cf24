// What a viewer may do to the tokens a reply shows, decided by the same policy check the worker runs
// before acting, so a button is offered only when pressing it would be allowed. Owner-aware grants
// (issue 9) plug in here: `mayOn` is the one place that asks.
import { TokenOpsError } from '../../core/errors.js';
import type { ProviderType, TokenSummary } from '../../core/token.js';
import type { TokenAction, ViewerMay } from '../reply.js';
import type { UseCaseContext } from './context.js';

/** True when the actor may do `action` on a provider's tokens; never throws for a refusal. */
async function mayOn(ctx: UseCaseContext, action: TokenAction, provider: ProviderType): Promise<boolean> {
  try {
    await ctx.authorize(action, provider);
    return true;
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
  const byProvider = new Map<string, Promise<boolean>>();
  const allowed = (action: TokenAction, provider: ProviderType): Promise<boolean> => {
    const key = `${action}:${provider}`;
    if (!byProvider.has(key)) byProvider.set(key, mayOn(ctx, action, provider));
    return byProvider.get(key) as Promise<boolean>;
  };
  const out: ViewerMay = {};
  await Promise.all(
    tokens.map(async (t) => {
      const ok = await Promise.all(
        wanted.map(async (a) => (await allowed(a, t.provider)) && (await providerCan(ctx, t, a))),
      );
      const may = wanted.filter((_, i) => ok[i]);
      if (may.length > 0) out[t.ref] = may;
    }),
  );
  return out;
}
