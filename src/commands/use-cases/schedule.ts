import type { TokenIndex, TokenRecord } from '../../core/ports.js';

/** Live tokens minted by tokenops that expire within `days`. */
export async function dueReminders(index: TokenIndex, now: Date, days: number): Promise<TokenRecord[]> {
  const horizon = now.getTime() + days * 86400_000;
  return (await index.all()).filter((t) => {
    if (t.revokedAt || !t.expiresAt) return false;
    const at = Date.parse(t.expiresAt);
    return at > now.getTime() && at <= horizon;
  });
}

/** Live tokens minted by tokenops more than `days` ago. */
export async function staleTokens(index: TokenIndex, now: Date, days: number): Promise<TokenRecord[]> {
  const cutoff = now.getTime() - days * 86400_000;
  return (await index.all()).filter((t) => !t.revokedAt && Date.parse(t.createdAt) < cutoff);
}
