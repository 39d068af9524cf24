import { TokenOpsError } from '../../core/errors.js';
import { formatRef, type Ref } from '../../core/ref.js';
import { fingerprint } from '../../core/secret.js';
import { type ProviderAdapter, type ProviderType, type TokenSummary } from '../../core/token.js';
import { providerLabel } from '../../providers/descriptors.js';
import type { Revocation, TokenRecord } from '../../core/ports.js';
import type { Target } from '../command.js';
import type { ConnectionError, MatchKind, Reply } from '../reply.js';
import type { UseCaseContext } from './context.js';
import { viewerMay } from './viewer.js';

/** Said when the token index (who minted what) cannot be read: the tokenops store is down. */
const OWNERS_UNAVAILABLE =
  "the tokenops store is unavailable right now, so who minted which token (and a minted token's last 4) is not shown.";

/** The connections a target means: one named connection, all of a provider's, or all of them. */
function connectionsFor(ctx: UseCaseContext, target?: Target): { provider: ProviderType; connection: string }[] {
  const all = ctx.deps.registry.connections();
  if (!target) return all;
  if (target.connection !== undefined) {
    return [
      {
        provider: target.provider,
        connection: ctx.deps.registry.resolveConnection(target.provider, target.connection),
      },
    ];
  }
  const mine = all.filter((c) => c.provider === target.provider);
  if (mine.length === 0) ctx.deps.registry.resolveConnection(target.provider); // throws the helpful not-configured error
  return mine;
}

/** Lists every connection at once; a failing connection becomes an error line, not a failed list. */
async function fanOut(
  ctx: UseCaseContext,
  conns: { provider: ProviderType; connection: string }[],
): Promise<{ tokens: TokenSummary[]; errors: ConnectionError[] }> {
  const results = await Promise.allSettled(
    conns.map(async (c) => {
      const adapter = await ctx.deps.registry.adapter(c.provider, c.connection);
      const revocations = ctx.deps.stores.tokens.revocations(c.provider, c.connection).catch(() => []);
      return marked(adapter, await adapter.list(), await revocations);
    }),
  );
  const tokens: TokenSummary[] = [];
  const errors: ConnectionError[] = [];
  results.forEach((r, i) => {
    const c = conns[i] as { provider: ProviderType; connection: string };
    if (r.status === 'fulfilled') tokens.push(...r.value);
    else
      errors.push({
        target: `${c.provider}:${c.connection}`,
        message: r.reason instanceof TokenOpsError ? r.reason.message : 'failed unexpectedly',
      });
  });
  return { tokens, errors };
}

/**
 * Marks tokenops' own credential, and the tokens tokenops revoked that the provider still lists (a
 * deactivated Triton token is "revoked", not merely "inactive": revocation is final).
 */
async function marked(
  adapter: ProviderAdapter,
  tokens: TokenSummary[],
  revocations: readonly Revocation[],
): Promise<TokenSummary[]> {
  const own = new Set((await adapter.ownCredential().catch(() => ({ ids: [] }))).ids);
  const revoked = new Map(revocations.map((r) => [r.ref, r]));
  return tokens.map((t) => {
    const r = revoked.get(t.ref);
    const extra: Partial<TokenSummary> = {};
    if (own.has(t.id)) extra.ownCredential = true;
    if (r) extra.revoked = { by: r.by, at: r.at };
    return Object.keys(extra).length > 0 ? { ...t, ...extra } : t;
  });
}

/** Adds what tokenops remembers (fingerprint, last 4 from creation) to summaries that lack it. */
function enrich(tokens: TokenSummary[], records: Map<string, TokenRecord>): TokenSummary[] {
  return tokens.map((t) => {
    const r = records.get(t.ref);
    if (!r) return t;
    return {
      ...t,
      last4: t.last4 ?? r.last4,
      fingerprint: t.fingerprint ?? r.fingerprint,
      extras: { ...t.extras, owner: r.owner },
    };
  });
}

/** `/token list [provider[:conn]] [--name] [--mine]`. */
export async function listTokens(
  ctx: UseCaseContext,
  target: Target | undefined,
  nameFilter: string | undefined,
  mine: boolean,
  page = 1,
): Promise<Reply> {
  await ctx.authorize('list', target?.provider);
  const conns = connectionsFor(ctx, target);
  const [{ tokens, errors }, own] = await Promise.all([
    fanOut(ctx, conns),
    mine
      ? ctx.deps.stores.tokens.byOwner(ctx.actor.userId).catch((err: unknown) => {
          const message =
            'Your tokens cannot be picked out right now: the tokenops store, which remembers who minted which token, is unavailable. Leave out --mine to list every token.';
          throw new TokenOpsError('provider_unavailable', message, { cause: err });
        })
      : Promise.resolve([]),
  ]);
  const ownRefs = new Set(own.map((r) => r.ref));
  let shown = enrich(tokens, new Map(own.map((r) => [r.ref, r])));
  if (nameFilter) shown = shown.filter((t) => t.name.toLowerCase().includes(nameFilter.toLowerCase()));
  if (mine) shown = shown.filter((t) => ownRefs.has(t.ref));
  const where = target
    ? `${providerLabel(target.provider)}${target.connection ? ` (${target.connection})` : ''}`
    : 'all providers';
  const title = `${mine ? 'Your tokens' : 'Tokens'} on ${where}${nameFilter ? ` named like “${nameFilter}”` : ''}`;
  return { kind: 'list', title, tokens: shown, errors, query: { target, nameFilter, mine }, page };
}

/** Resolves a REF's connection and its adapter. */
export async function adapterFor(
  ctx: UseCaseContext,
  ref: Ref,
): Promise<{ adapter: ProviderAdapter; connection: string; refText: string }> {
  const connection = ctx.deps.registry.resolveConnection(ref.provider, ref.connection);
  const adapter = await ctx.deps.registry.adapter(ref.provider, connection);
  return { adapter, connection, refText: formatRef({ provider: ref.provider, connection, id: ref.id }) };
}

/** `/token show REF`. */
export async function showToken(ctx: UseCaseContext, ref: Ref): Promise<Reply> {
  await ctx.authorize('get', ref.provider);
  const { adapter, refText } = await adapterFor(ctx, ref);
  const [token, record, revocation] = await Promise.all([
    adapter.get(ref.id),
    ctx.deps.stores.tokens.get(refText).catch(ctx.dropped('token index read')),
    ctx.deps.stores.tokens.revocation(refText).catch(ctx.dropped('revocation read')),
  ]);
  const [enriched] = enrich(
    await marked(adapter, [token], revocation ? [revocation] : []),
    new Map(record ? [[refText, record]] : []),
  );
  const may = await viewerMay(ctx, [enriched as TokenSummary], ['rotate', 'revoke']);
  return {
    kind: 'detail',
    token: enriched as TokenSummary,
    owner: record?.owner,
    may: may[(enriched as TokenSummary).ref] ?? [],
  };
}

/** `/token providers`. */
export async function listProviders(ctx: UseCaseContext): Promise<Reply> {
  await ctx.authorize('list');
  const infos = await Promise.all(
    ctx.deps.registry.connections().map(async (c) => ({
      ...c,
      capabilities: (await ctx.deps.registry.adapter(c.provider, c.connection)).capabilities,
    })),
  );
  return { kind: 'providers', infos };
}

/** A long find query as the ingress forwards it: fingerprints only (it may be a pasted secret). */
interface HashedQuery {
  /** Fingerprint of the text as typed: matches a secret. */
  secret: string;
  /** Fingerprint of the text lower-cased: matches a token name exactly. */
  name: string | undefined;
}

/** Reads `sha256:<as typed>[:<lower-cased>]`, or fingerprints a long raw query (direct callers). */
function hashedQuery(query: string, key: string): HashedQuery | undefined {
  if (query.startsWith('sha256:')) {
    const [secret = '', name] = query.slice(7).split(':');
    return { secret, name };
  }
  return query.length >= 16
    ? { secret: fingerprint(query, key), name: fingerprint(query.toLowerCase(), key) }
    : undefined;
}

/** How a token matches a find query, if it does. A hashed query matches a secret, or a name exactly. */
export function matchToken(
  token: TokenSummary,
  query: string,
  hashed: HashedQuery | undefined,
  key: string,
): MatchKind | undefined {
  if (hashed) {
    if (token.fingerprint === hashed.secret) return 'fingerprint';
    return hashed.name && token.name && fingerprint(token.name.toLowerCase(), key) === hashed.name ? 'name' : undefined;
  }
  const q = query.toLowerCase();
  if (/^[0-9a-f]{8,64}$/.test(q) && token.fingerprint?.startsWith(q)) return 'fingerprint';
  if (token.last4 && q.length <= 8 && (q.endsWith(token.last4.toLowerCase()) || token.last4.toLowerCase().endsWith(q)))
    return 'last4';
  if (token.name && token.name.toLowerCase().includes(q)) return 'name';
  return undefined;
}

/** A token tokenops minted, as its index remembers it: for a connection the provider could not list. */
function fromIndex(r: TokenRecord): TokenSummary {
  return {
    ref: r.ref,
    provider: r.provider,
    connection: r.connection,
    id: r.ref.slice(r.ref.indexOf('/') + 1),
    name: r.name,
    last4: r.last4,
    fingerprint: r.fingerprint,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt ?? null,
    // Not known without the provider; a leaked token is worth revoking either way.
    active: true,
    extras: { owner: r.owner, fromIndex: true },
  };
}

/**
 * `/token find TEXT`: last characters, fingerprint or name, across every provider and connection at
 * once. A connection that cannot be listed (down, or rate-limited at scale: Cobalt allows 100 GETs a
 * minute) still answers for the tokens tokenops minted there, from its index, and the reply says the
 * result is partial rather than "no match".
 */
export async function findTokens(ctx: UseCaseContext, query: string): Promise<Reply> {
  await ctx.authorize('find');
  const [{ tokens, errors }, records] = await Promise.all([
    fanOut(ctx, ctx.deps.registry.connections()),
    ctx.deps.stores.tokens.all().catch(() => undefined),
  ]);
  // The providers still answer without the store: say what is missing rather than fail the search.
  if (!records) errors.push({ target: 'ownership records', message: OWNERS_UNAVAILABLE });
  const key = ctx.deps.fingerprintKey;
  const hashed = hashedQuery(query, key);
  const shownQuery = hashed ? `a long text or pasted secret (fingerprint ${hashed.secret.slice(0, 12)}…)` : query;
  const recs = records ?? [];
  const failed = new Set(errors.map((e) => e.target));
  const indexed = recs.filter((r) => !r.revokedAt && failed.has(`${r.provider}:${r.connection}`)).map(fromIndex);
  const matches = [...enrich(tokens, new Map(recs.map((r) => [r.ref, r]))), ...indexed]
    .map((token) => ({ token, matchedOn: matchToken(token, query, hashed, key) }))
    .filter((m): m is { token: TokenSummary; matchedOn: MatchKind } => m.matchedOn !== undefined);
  const partial = failed.size > 0 ? { targets: [...failed], indexed: indexed.length } : undefined;
  const may = await viewerMay(
    ctx,
    matches.slice(0, 40).map((m) => m.token),
    ['revoke'],
  );
  return { kind: 'find', query: shownQuery, matches, errors, may, partial };
}

/** `/token audit [provider] [--since 7d]`. */
export async function readAudit(
  ctx: UseCaseContext,
  provider: ProviderType | undefined,
  sinceDays: number,
): Promise<Reply> {
  await ctx.authorize('audit', provider);
  const since = new Date(ctx.now().getTime() - sinceDays * 86400_000).toISOString();
  const records = await ctx.deps.stores.audit.list({ since, provider, limit: 100 });
  return { kind: 'audit', records, sinceDays, provider };
}
