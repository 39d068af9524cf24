import { randomUUID } from 'node:crypto';
import {
  estimateBulkMs,
  matchesSelection,
  selectionText,
  type BulkCandidate,
  type BulkJob,
  type BulkSelection,
  type BulkSkipped,
  type BulkSource,
} from '../../core/bulk.js';
import { TokenOpsError, asTokenOpsError } from '../../core/errors.js';
import type { TokenRecord } from '../../core/ports.js';
import type { ProviderAdapter, ProviderType, TokenSummary } from '../../core/token.js';
import { descriptorOf, providerLabel, revokeCostOf } from '../../providers/descriptors.js';
import { parseRef } from '../../providers/ref.js';
import { Access } from '../access.js';
import type { Reply } from '../reply.js';
import type { UseCaseContext } from './context.js';
import { revokeAuthorized } from './revoke.js';

/** What a selection resolves to: the tokens to revoke, those left alone, and what could not be read. */
export interface BulkPlan {
  items: BulkCandidate[];
  skipped: BulkSkipped[];
  /** Connections whose live listing failed: only the tokens the index knows there were selected. */
  partial: string[];
  estimateMs: number;
}

const fromRecord = (r: TokenRecord): BulkCandidate => ({
  ref: r.ref,
  provider: r.provider,
  connection: r.connection,
  name: r.name,
  owner: r.owner,
  createdAt: r.createdAt,
});

/** The connections a selection reaches. */
function connectionsOf(ctx: UseCaseContext, sel: BulkSelection): { provider: ProviderType; connection: string }[] {
  return ctx.deps.registry
    .connections()
    .filter((c) => (sel.provider === undefined || c.provider === sel.provider) && matchesConn(c.connection, sel));
}

const matchesConn = (connection: string, sel: BulkSelection): boolean =>
  sel.connection === undefined || connection === sel.connection;

/**
 * Resolves a selection. The token index knows owners, names and creation times of what tokenops
 * minted; with no `--owner`, each reached connection is also listed live, so tokens made elsewhere are
 * found too (a failed listing falls back to the index and is reported). Tokens tokenops already
 * revoked are left out; its own credential and providers that cannot revoke are listed, never touched.
 */
export async function planBulk(ctx: UseCaseContext, sel: BulkSelection): Promise<BulkPlan> {
  const records = (await ctx.deps.stores.tokens.all().catch(() => [] as TokenRecord[])).filter((r) => !r.revokedAt);
  const byRef = new Map(records.map((r) => [r.ref, r]));
  const conns = connectionsOf(ctx, sel);
  const partial: string[] = [];
  const found = new Map<string, BulkCandidate & { own?: boolean }>();
  await Promise.all(
    conns.map(async (c) => {
      const indexed = records.filter((r) => r.provider === c.provider && r.connection === c.connection);
      const listed = sel.owner === undefined ? await listLive(ctx, c).catch(() => undefined) : undefined;
      if (sel.owner === undefined && !listed) partial.push(`${c.provider}:${c.connection}`);
      const revoked = new Set(
        (await ctx.deps.stores.tokens.revocations(c.provider, c.connection).catch(() => [])).map((r) => r.ref),
      );
      const cands = listed
        ? listed.map((t) => ({ ...fromSummary(t, byRef.get(t.ref)), own: t.ownCredential }))
        : indexed.map(fromRecord);
      for (const t of cands) if (!revoked.has(t.ref) && matchesSelection(t, sel)) found.set(t.ref, t);
    }),
  );
  return classify(ctx, [...found.values()], partial);
}

async function listLive(
  ctx: UseCaseContext,
  c: { provider: ProviderType; connection: string },
): Promise<TokenSummary[]> {
  return (await ctx.deps.registry.adapter(c.provider, c.connection)).list();
}

function fromSummary(t: TokenSummary, r: TokenRecord | undefined): BulkCandidate {
  return {
    ref: t.ref,
    provider: t.provider,
    connection: t.connection,
    name: t.name || r?.name || '',
    owner: r?.owner,
    createdAt: t.createdAt ?? r?.createdAt,
  };
}

/** Splits candidates into what will be revoked and what is left alone (own credential, no revoke). */
async function classify(
  ctx: UseCaseContext,
  cands: (BulkCandidate & { own?: boolean | undefined })[],
  partial: string[],
): Promise<BulkPlan> {
  const items: BulkCandidate[] = [];
  const skipped: BulkSkipped[] = [];
  const adapters = new Map<string, Promise<{ adapter: ProviderAdapter; own: Set<string> } | undefined>>();
  const adapterOf = (t: BulkCandidate) => {
    const key = `${t.provider}:${t.connection}`;
    if (!adapters.has(key)) adapters.set(key, ownIds(ctx, t.provider, t.connection));
    return adapters.get(key) as Promise<{ adapter: ProviderAdapter; own: Set<string> } | undefined>;
  };
  for (const t of cands.sort((a, b) => a.ref.localeCompare(b.ref))) {
    const { own: flagged, ...cand } = t;
    const a = await adapterOf(t);
    const id = parseRef(t.ref).id;
    if (flagged || a?.own.has(id)) skipped.push({ ref: t.ref, name: t.name, why: "tokenops' own credential" });
    else if (a?.adapter.capabilities.revoke.mode === 'unsupported')
      skipped.push({ ref: t.ref, name: t.name, why: `${providerLabel(t.provider)} cannot revoke over its API` });
    else items.push(cand);
  }
  const perConn = countBy(items, (t) => `${t.provider}:${t.connection}`).map(([key, count]) => ({
    provider: key.split(':')[0] as ProviderType,
    count,
  }));
  return { items, skipped, partial: partial.sort(), estimateMs: estimateBulkMs(perConn, revokeCostOf) };
}

async function ownIds(
  ctx: UseCaseContext,
  provider: ProviderType,
  connection: string,
): Promise<{ adapter: ProviderAdapter; own: Set<string> } | undefined> {
  try {
    const adapter = await ctx.deps.registry.adapter(provider, connection);
    const own = await adapter.ownCredential().catch(() => ({ ids: [] as string[] }));
    return { adapter, own: new Set(own.ids) };
  } catch {
    return undefined;
  }
}

/** Counts by key, in first-seen order. */
export function countBy<T>(xs: readonly T[], key: (x: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m.entries()];
}

/**
 * May the actor revoke every selected token? `revoke:any`, or `revoke:own` when each is theirs (a token
 * the index does not know has no owner: only `:any` reaches it). Returns the refusal, or undefined.
 */
export async function bulkRefusal(ctx: UseCaseContext, items: readonly BulkCandidate[]): Promise<string | undefined> {
  const access = new Access(ctx.deps);
  const seen = new Map<string, Promise<string | undefined>>();
  for (const t of items) {
    const key = `${t.provider}|${t.owner ?? ''}`;
    if (!seen.has(key))
      seen.set(
        key,
        access
          .decide(ctx.actor.userId, ctx.actor.teamId, 'revoke', t.provider, { owner: t.owner })
          .then((d) => (d.allowed ? undefined : d.reason)),
      );
  }
  const reasons = (await Promise.all(seen.values())).filter((r): r is string => r !== undefined);
  if (reasons.length === 0) return undefined;
  const theirs = items.filter((t) => t.owner !== ctx.actor.userId).length;
  const whose = theirs > 0 ? ` (${theirs} of the ${items.length} tokens are not yours)` : '';
  return `${reasons[0]}${whose}`;
}

/** What starts a bulk job: the plan, where it came from, and where its progress goes. */
export interface BulkRequest {
  source: BulkSource;
  selection: string;
  channelId: string;
  reason?: string | undefined;
  typedConfirm?: boolean | undefined;
}

/** Saves the plan as a durable job in `previewed`: nothing is changed until it is started. */
export async function saveBulkJob(ctx: UseCaseContext, plan: BulkPlan, req: BulkRequest): Promise<BulkJob> {
  const job: BulkJob = {
    id: randomUUID(),
    status: 'previewed',
    source: req.source,
    actor: ctx.actor.userId,
    teamId: ctx.actor.teamId,
    channelId: req.channelId,
    selection: req.selection,
    reason: req.reason,
    total: plan.items.length,
    createdAt: ctx.now().toISOString(),
    typedConfirm: req.typedConfirm,
    skipped: plan.skipped.slice(0, 50),
    estimateMs: plan.estimateMs,
  };
  await ctx.deps.stores.bulk.create(
    job,
    plan.items.map((t) => ({ ...t })),
  );
  return job;
}

/** Plans a list of REFs (the offboarding's or a leak report's): what the index knows of each. */
export async function planRefs(ctx: UseCaseContext, refs: readonly string[]): Promise<BulkPlan> {
  const cands = await Promise.all(
    refs.map(async (text): Promise<BulkCandidate> => {
      const ref = parseRef(text);
      const connection = ctx.deps.registry.resolveConnection(ref.provider, ref.connection);
      const full = `${ref.provider}:${connection}/${ref.id}`;
      const r = await ctx.deps.stores.tokens.get(full).catch(() => undefined);
      return r ? fromRecord(r) : { ref: full, provider: ref.provider, connection, name: '' };
    }),
  );
  const unique = [...new Map(cands.map((c) => [c.ref, c])).values()];
  return classify(ctx, unique, []);
}

/** The outcome of one token's revoke inside a bulk job. */
export type BulkItemOutcome =
  | { state: 'revoked' | 'not_found'; detail: string }
  | { state: 'failed'; detail: string; errorCode: string }
  | { state: 'retry'; detail: string; retryAfterMs?: number | undefined };

/** Revokes one token of a job through the shared kill-first path; never throws. */
export async function revokeBulkItem(
  ctx: UseCaseContext,
  ref: string,
  reason: string,
  last: boolean,
): Promise<BulkItemOutcome> {
  try {
    const reply = await revokeAuthorized(ctx, parseRef(ref), reason);
    if (reply.kind === 'not_found') return { state: 'not_found', detail: 'no such token at the provider' };
    return { state: 'revoked', detail: reply.kind === 'change_done' ? (reply.how ?? 'revoked') : 'revoked' };
  } catch (err) {
    const e = asTokenOpsError(err);
    if (e.retryable && !last) {
      const retryAfterMs = (err as { retryAfterMs?: number }).retryAfterMs;
      return { state: 'retry', detail: e.message, retryAfterMs };
    }
    if (e.code === 'not_found') return { state: 'not_found', detail: e.message };
    return { state: 'failed', detail: e.message.slice(0, 300), errorCode: e.code };
  }
}

/** Who may stop a job: the person who started it, or anyone allowed `revoke:any`. */
export async function stopRefusal(ctx: UseCaseContext, job: BulkJob): Promise<string | undefined> {
  if (ctx.actor.userId === job.actor) return undefined;
  const d = await new Access(ctx.deps).decide(ctx.actor.userId, ctx.actor.teamId, 'revoke', undefined, {
    owner: undefined,
  });
  return d.allowed ? undefined : `only the person who started it, or someone allowed to revoke any token. ${d.reason}`;
}

/** Raised when a confirmation does not match the job (wrong typed number, someone else's preview). */
export function confirmRefusal(job: BulkJob, confirmer: string, typed: number | undefined): string | undefined {
  if (job.source === 'command' && confirmer !== job.actor)
    return 'only the person who asked for this preview can confirm it.';
  if (job.typedConfirm && typed !== job.total)
    return `type the number of tokens to revoke, ${job.total}, to confirm (you typed ${typed ?? 'nothing'}).`;
  return undefined;
}

/** Above this many tokens the person types the number to confirm. @default 10 */
export const DEFAULT_CONFIRM_THRESHOLD = 10;

/**
 * `/token revoke --owner … --provider …`: resolves the selection, checks the person may revoke every
 * token in it, and saves the job as `previewed`. Nothing is changed: the reply is the preview.
 */
export async function previewBulk(
  ctx: UseCaseContext,
  sel: BulkSelection,
  reason: string | undefined,
  channelId: string,
): Promise<Reply> {
  const plan = await planBulk(ctx, sel);
  const refusal = await bulkRefusal(ctx, plan.items);
  if (refusal) throw new TokenOpsError('denied', `Not allowed: ${refusal}`);
  const threshold = ctx.deps.bulkConfirmThreshold ?? DEFAULT_CONFIRM_THRESHOLD;
  const selection = selectionText(sel);
  const typedConfirm = plan.items.length > threshold;
  const job =
    plan.items.length === 0
      ? undefined
      : await saveBulkJob(ctx, plan, { source: 'command', selection, channelId, reason, typedConfirm });
  const perConnection = countBy(plan.items, (t) => `${t.provider}:${t.connection}`).map(([target, count]) => ({
    target,
    count,
    how: descriptorOf(target.split(':')[0] as ProviderType).revokedHow,
    names: plan.items
      .filter((t) => `${t.provider}:${t.connection}` === target)
      .map((t) => t.name || t.ref)
      .slice(0, 5),
  }));
  return {
    kind: 'bulk_preview',
    bulkId: job?.id,
    selection,
    total: plan.items.length,
    perConnection,
    skipped: plan.skipped,
    partial: plan.partial,
    estimateMs: plan.estimateMs,
    typedConfirm,
  };
}
