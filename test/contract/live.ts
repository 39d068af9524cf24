import { randomBytes } from 'node:crypto';
import type { ProviderType } from '../../src/core/token.js';

/**
 * Live mode: `TOKENOPS_LIVE_<PROVIDER>` holds a JSON connection config for a real account (or for a
 * simulator on loopback). Besides the connection fields it may carry `live` settings the suite needs
 * to prove a secret works or to have tokens to act on where the provider cannot create them:
 * - `probeUrl` (Vector Charts: a Core API URL such as `https://host/core/v1/styles`),
 * - `rpcUrl` (Triton: the RPC endpoint a token's value is appended to),
 * - `disposable` (Vaultoro: `[{"referenceId":"…","token":"…"}]` made by hand in the dashboard, which
 *   the run deletes; Cobalt: `[{"id":"api_…"}]` a token made by hand, which the run refreshes).
 */
export interface LiveSettings {
  probeUrl?: string;
  rpcUrl?: string;
  disposable?: { id?: string; referenceId?: string; token?: string }[];
}

/** The id of this run; every token the run creates is named `tokenops-live-<run id>`. */
export const RUN_ID =
  process.env['TOKENOPS_LIVE_RUN_ID'] ?? `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
/** The one name live-mode tokens get, so a person can find and remove leftovers by hand. */
export const LIVE_NAME = `tokenops-live-${RUN_ID}`;

/** The environment variable of a provider's live config. */
export function liveVar(provider: ProviderType): string {
  return `TOKENOPS_LIVE_${provider.toUpperCase()}`;
}

/** The live config of a provider, split into connection fields and live settings; undefined when unset. */
export function liveConfig(
  provider: ProviderType,
): { fields: Record<string, unknown>; settings: LiveSettings } | undefined {
  const raw = process.env[liveVar(provider)];
  if (!raw) return undefined;
  const { live, ...fields } = JSON.parse(raw) as Record<string, unknown> & { live?: LiveSettings };
  return { fields, settings: live ?? {} };
}

/** Whether any provider runs live in this process (names then carry the run id). */
export const ANY_LIVE = Object.keys(process.env).some(
  (k) => k.startsWith('TOKENOPS_LIVE_') && k !== 'TOKENOPS_LIVE_RUN_ID',
);

/** What a live run did, printed at its end: tokens created and removed, and every case it skipped and why. */
export class LiveLedger {
  readonly created = new Map<string, string>();
  readonly removed = new Set<string>();
  readonly skipped: string[] = [];
  constructor(readonly provider: ProviderType) {}

  create(id: string, what: string): void {
    this.created.set(id, what);
  }

  skip(testName: string, reason: string): void {
    this.skipped.push(`${testName}: ${reason}`);
  }

  report(leftOver: readonly string[]): string {
    const lines = [`live ${this.provider} (run ${RUN_ID})`];
    lines.push(
      `  created ${this.created.size}: ${[...this.created].map(([id, w]) => `${id} (${w})`).join(', ') || '-'}`,
    );
    lines.push(`  removed ${this.removed.size}: ${[...this.removed].join(', ') || '-'}`);
    lines.push(`  left behind ${leftOver.length}: ${leftOver.join(', ') || '-'}`);
    for (const s of this.skipped) lines.push(`  skipped ${s}`);
    return lines.join('\n');
  }
}
