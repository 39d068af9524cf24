import { minimumMs, ruleApplies, type RateRule } from './rate-limit.js';
import type { ProviderType } from './token.js';

/** Where a bulk revocation came from. */
export type BulkSource = 'command' | 'leak' | 'offboarding';

/**
 * A bulk job's life: `previewed` (nothing changed yet) → `running` (confirmed) → `done`; or
 * `running` → `stopping` (Stop pressed: what has not started is cancelled) → `stopped`.
 */
export type BulkStatus = 'previewed' | 'running' | 'stopping' | 'done' | 'stopped';

/** One token's state inside a bulk job. */
export type BulkItemState = 'pending' | 'running' | 'revoked' | 'not_found' | 'failed' | 'cancelled';

/** States an item ends in. */
export const FINAL_ITEM_STATES: readonly BulkItemState[] = ['revoked', 'not_found', 'failed', 'cancelled'];

/** A durable bulk revocation. Holds no secret: tokens are named by REF. */
export interface BulkJob {
  id: string;
  status: BulkStatus;
  source: BulkSource;
  /** Slack user id of the person who asked (or confirmed); `tokenops` for automatic jobs. */
  actor: string;
  teamId: string;
  /** Where the progress message lives. */
  channelId: string;
  /** The selection in words, e.g. `--owner @sam --provider mailtrap`. */
  selection: string;
  reason?: string | undefined;
  total: number;
  createdAt: string;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
  stoppedBy?: string | undefined;
  /** The progress message (`chat.update` target) once posted. */
  messageTs?: string | undefined;
  /** Set once every token's queue message was sent (a redelivered start does not send them again). */
  fannedOut?: boolean | undefined;
  /** The person must type the number of tokens to confirm (more than the configured threshold). */
  typedConfirm?: boolean | undefined;
  /** Tokens the selection matched that the job leaves alone, and why. */
  skipped?: BulkSkipped[] | undefined;
  /** Settled tokens by outcome, kept by atomic adds (read with the job). */
  counts?: BulkTally | undefined;
  /** The documented-rate estimate at preview, ms. */
  estimateMs?: number | undefined;
}

/** One token of a bulk job. */
export interface BulkItem {
  ref: string;
  provider: ProviderType;
  connection: string;
  name: string;
  owner?: string | undefined;
  state: BulkItemState;
  attempts: number;
  /** How it was revoked, or why it failed (never a secret). */
  detail?: string | undefined;
  errorCode?: string | undefined;
  leaseUntil?: number | undefined;
}

/** Counts of a job's items by state. */
export type BulkCounts = Record<BulkItemState, number>;

/** Counts items by state. */
export function countItems(items: readonly Pick<BulkItem, 'state'>[]): BulkCounts {
  const counts: BulkCounts = { pending: 0, running: 0, revoked: 0, not_found: 0, failed: 0, cancelled: 0 };
  for (const i of items) counts[i.state]++;
  return counts;
}

/** True when no item is waiting or running. */
export function allSettled(counts: BulkCounts): boolean {
  return counts.pending === 0 && counts.running === 0;
}

/**
 * What `/token revoke --owner … --provider …` selects: every given filter must match (at least one is
 * required; there is no "everything"). `name` is a case-insensitive substring; `createdBefore` an ISO date.
 */
export interface BulkSelection {
  owner?: string | undefined;
  provider?: ProviderType | undefined;
  connection?: string | undefined;
  name?: string | undefined;
  createdBefore?: string | undefined;
}

/** A token as the selection sees it (from the token index, a live listing, or both). */
export interface BulkCandidate {
  ref: string;
  provider: ProviderType;
  connection: string;
  name: string;
  owner?: string | undefined;
  createdAt?: string | undefined;
}

/** True when the selection names at least one filter. */
export function hasFilter(sel: BulkSelection): boolean {
  return [sel.owner, sel.provider, sel.connection, sel.name, sel.createdBefore].some((v) => v !== undefined);
}

/** True when a token matches every filter of the selection. */
export function matchesSelection(t: BulkCandidate, sel: BulkSelection): boolean {
  if (sel.owner !== undefined && t.owner !== sel.owner) return false;
  if (sel.provider !== undefined && t.provider !== sel.provider) return false;
  if (sel.connection !== undefined && t.connection !== sel.connection) return false;
  if (sel.name !== undefined && !t.name.toLowerCase().includes(sel.name.toLowerCase())) return false;
  if (sel.createdBefore !== undefined) {
    // A token whose creation time nobody knows is not "created before" anything: left out, not guessed.
    const at = t.createdAt === undefined ? NaN : Date.parse(t.createdAt);
    if (Number.isNaN(at) || at >= Date.parse(sel.createdBefore)) return false;
  }
  return true;
}

/** The selection in the words it was typed (`--owner <@U…> --provider mailtrap`). */
export function selectionText(sel: BulkSelection): string {
  const parts: string[] = [];
  if (sel.owner !== undefined) parts.push(`--owner <@${sel.owner}>`);
  if (sel.connection !== undefined) parts.push(`--connection ${sel.provider ?? ''}:${sel.connection}`);
  else if (sel.provider !== undefined) parts.push(`--provider ${sel.provider}`);
  if (sel.name !== undefined) parts.push(`--name "${sel.name}"`);
  if (sel.createdBefore !== undefined) parts.push(`--created-before ${sel.createdBefore.slice(0, 10)}`);
  return parts.join(' ');
}

/** A token the job leaves alone, and why (tokenops' own credential, a provider with no revoke). */
export interface BulkSkipped {
  ref: string;
  name: string;
  why: string;
}

/** Retries of a token that failed for a reason that may pass (rate limit, provider down). */
export const BULK_MAX_ATTEMPTS = 5;

/** The wait before a failed token's next attempt: 2, 4, 8 … s (at most a minute), or the provider's own. */
export function retryDelayS(attempt: number, retryAfterMs?: number): number {
  const backoff = Math.min(60, 2 ** Math.max(1, attempt));
  return Math.max(backoff, Math.ceil((retryAfterMs ?? 0) / 1000));
}

/** A text progress bar, `▓▓▓▓░░░░░░`, of `width` cells. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width));
  return `${'▓'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/** The time left at the rate seen so far, ms; undefined before anything finished. */
export function etaMs(done: number, total: number, startedMs: number, nowMs: number): number | undefined {
  if (done === 0 || done >= total) return done >= total ? 0 : undefined;
  return Math.round(((nowMs - startedMs) / done) * (total - done));
}

/** Running tallies kept on the job item (one atomic add per settled token), so progress needs no scan. */
export type BulkTally = Partial<Record<'revoked' | 'not_found' | 'failed' | 'cancelled', number>>;

/** Settled tokens of a tally. */
export function settledOf(t: BulkTally): number {
  return (t.revoked ?? 0) + (t.not_found ?? 0) + (t.failed ?? 0) + (t.cancelled ?? 0);
}

/** What one provider's revoke costs: its documented limits and the requests one revoke makes. */
export interface RevokeCost {
  rules: readonly RateRule[];
  /** HTTP methods of the kill's requests. */
  requests: readonly string[];
}

/**
 * The least time revoking these tokens takes at the providers' documented limits: connections run side
 * by side, so the slowest one's time (its tightest rule over the requests the rule counts).
 */
export function estimateBulkMs(
  perConnection: readonly { provider: ProviderType; count: number }[],
  costOf: (provider: ProviderType) => RevokeCost,
): number {
  let slowest = 0;
  for (const { provider, count } of perConnection) {
    const cost = costOf(provider);
    for (const rule of cost.rules) {
      const requests = cost.requests.filter((m) => ruleApplies(rule, m)).length * count;
      slowest = Math.max(slowest, minimumMs(rule, requests));
    }
  }
  return Math.round(slowest);
}

/** How a claim on one token of a bulk job went (see the store). */
export type ItemClaim = 'claimed' | 'busy' | 'finished' | 'cancelled' | 'exhausted';

/** The durable store of bulk jobs (DynamoDB): every transition a conditional write. */
export interface BulkJobStore {
  create(job: BulkJob, items: readonly Omit<BulkItem, 'state' | 'attempts'>[]): Promise<void>;
  get(id: string): Promise<BulkJob | undefined>;
  items(id: string): Promise<BulkItem[]>;
  transition(id: string, from: readonly BulkStatus[], to: BulkStatus, set?: Partial<BulkJob>): Promise<boolean>;
  annotate(id: string, set: Pick<Partial<BulkJob>, 'messageTs' | 'fannedOut' | 'channelId'>): Promise<void>;
  claimItem(
    id: string,
    ref: string,
    leaseMs: number,
    maxAttempts: number,
  ): Promise<{ claim: ItemClaim; attempt: number; item?: BulkItem }>;
  finishItem(
    id: string,
    ref: string,
    attempt: number,
    state: Exclude<BulkItemState, 'pending' | 'running'>,
    fields?: Pick<BulkItem, 'detail' | 'errorCode'>,
  ): Promise<boolean>;
  releaseItem(id: string, ref: string, attempt: number, detail: string): Promise<boolean>;
  cancelPending(id: string): Promise<number>;
  progressTick(id: string, gapMs: number): Promise<boolean>;
  /** Adds settled tokens to the job's tally; returns the job as it is after the add. */
  tally(id: string, state: keyof BulkTally, n?: number): Promise<BulkJob | undefined>;
  /** The person's bulk jobs of the last days, newest first (the Home tab). */
  byActor(actor: string, limit?: number): Promise<BulkJob[]>;
}
