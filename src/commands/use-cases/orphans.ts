// Orphans: a create (or rotate) whose worker died between the provider call and the end of the job
// leaves a live token nobody received and an audit record "in progress". The sweep finds such
// records once their job's lease has lapsed (or at once when the worker is known dead), looks for the
// token at the provider by name and creation time, revokes it (the revoke is the first call on it),
// and closes the record with an honest outcome. It runs on the schedule and when a lease lapses.
import type { AuditRecord } from '../../core/audit.js';
import { asTokenOpsError } from '../../core/errors.js';
import type { ProviderAdapter, TokenSummary } from '../../core/token.js';
import type { UseCaseDeps } from './context.js';

/** How one interrupted mint was settled; `record` is the closed audit record. */
export interface OrphanOutcome {
  record: AuditRecord;
  /** The person the token was being minted for (the record's actor). */
  requester: string;
  /** REFs of the orphaned tokens that were revoked. */
  revoked: string[];
  /** True when the provider could not be checked (the requester is asked to look). */
  unchecked: boolean;
}

/** Which records to settle. */
export interface SweepOptions {
  now: Date;
  /** The job lease: a record older than this has no live worker any more. */
  leaseMs: number;
  /** Only the records of this job (a lapsed or dead run), settled at once whatever their age. */
  correlationId?: string | undefined;
  /** How far back to look. @default 2 days */
  lookbackMs?: number;
}

/** Clock skew allowed between tokenops and a provider when matching creation times. */
const SKEW_MS = 120_000;
const MINTS = new Set(['create', 'rotate']);

/** Audit records of mints still "in progress" whose worker is gone. */
async function strandedRecords(deps: UseCaseDeps, o: SweepOptions): Promise<AuditRecord[]> {
  const since = new Date(o.now.getTime() - (o.lookbackMs ?? 2 * 86_400_000)).toISOString();
  const records = await deps.stores.audit.list({ since, limit: 5000 });
  const cutoff = o.now.getTime() - o.leaseMs;
  return records.filter(
    (r) =>
      r.outcome === 'in_progress' &&
      MINTS.has(r.action) &&
      (o.correlationId !== undefined ? r.correlationId === o.correlationId : Date.parse(r.at) <= cutoff),
  );
}

/** The token name the mint gave (a rotate's new token keeps the old one's name). */
async function mintedName(deps: UseCaseDeps, r: AuditRecord, all: TokenSummary[]): Promise<string | undefined> {
  if (r.tokenName) return r.tokenName;
  if (!r.ref) return undefined;
  const known = await deps.stores.tokens.get(r.ref).catch(() => undefined);
  return known?.name ?? all.find((t) => t.ref === r.ref)?.name;
}

/**
 * Tokens the interrupted mint may have left: same name, created in the mint's window when the provider
 * tells creation times, not delivered (the token index records every delivered token), not the token a
 * rotate replaced, not tokenops' own credential, not already revoked.
 */
async function orphansOf(deps: UseCaseDeps, r: AuditRecord, all: TokenSummary[], leaseMs: number) {
  const name = await mintedName(deps, r, all);
  if (name === undefined) return [];
  const from = Date.parse(r.at) - SKEW_MS;
  const to = Date.parse(r.at) + leaseMs + SKEW_MS;
  const same = all.filter(
    (t) =>
      t.name === name &&
      t.ref !== r.ref &&
      !t.ownCredential &&
      !t.revoked &&
      (t.createdAt === undefined || (Date.parse(t.createdAt) >= from && Date.parse(t.createdAt) <= to)),
  );
  const indexed = await Promise.all(same.map((t) => deps.stores.tokens.get(t.ref).catch(() => undefined)));
  return same.filter((_, i) => indexed[i] === undefined);
}

/** Revokes each orphan (the kill is the first call on it) and records the revocation as final. */
async function revokeAll(deps: UseCaseDeps, adapter: ProviderAdapter, orphans: TokenSummary[], now: Date) {
  const revoked: string[] = [];
  for (const t of orphans) {
    const res = await adapter.revoke(t.id, { reason: 'orphan of an interrupted create' }).catch((err: unknown) => {
      if (asTokenOpsError(err).code === 'not_found') return undefined; // gone already: nothing is left
      throw err;
    });
    if (!res) continue;
    revoked.push(t.ref);
    await deps.stores.tokens
      .markRevoked({ ref: t.ref, at: now.toISOString(), by: 'tokenops', how: res.method })
      .catch(() => undefined);
  }
  return revoked;
}

/** Settles one record: find and revoke what it left, then close it. */
async function settle(deps: UseCaseDeps, r: AuditRecord, o: SweepOptions): Promise<OrphanOutcome> {
  const what = r.tokenName ? `"${r.tokenName}"` : (r.ref ?? 'the token');
  let revoked: string[] = [];
  let outcome: Pick<AuditRecord, 'outcome' | 'detail' | 'errorCode' | 'ref'>;
  try {
    const adapter = await deps.registry.adapter(r.provider, r.connection);
    const all = await adapter.list();
    revoked = await revokeAll(deps, adapter, await orphansOf(deps, r, all, o.leaseMs), o.now);
    outcome =
      revoked.length > 0
        ? {
            outcome: 'orphan_revoked',
            ref: revoked[0],
            detail: `the ${r.action} of ${what} was interrupted; the token it left (${revoked.join(', ')}) was revoked before anyone received its secret`,
          }
        : {
            outcome: 'interrupted',
            detail:
              r.action === 'create'
                ? `the create of ${what} was interrupted; no token it could have left was found at the provider, so nothing was left behind`
                : `the rotate of ${what} was interrupted; no new token was found at the provider (if its secret was reset in place, rotate it again)`,
          };
  } catch (err) {
    const e = asTokenOpsError(err);
    outcome = {
      outcome: 'interrupted',
      errorCode: e.code,
      detail: `the ${r.action} of ${what} was interrupted, and the provider could not be checked for a token it may have left (${e.code}): look for it with /token find and revoke it`,
    };
  }
  await deps.stores.audit.finish(r.id, outcome.outcome, outcome);
  return { record: { ...r, ...outcome }, requester: r.actor, revoked, unchecked: outcome.errorCode !== undefined };
}

/**
 * Settles interrupted mints. `claim` makes one sweeper own each record (the schedule and a lapsed
 * lease may look at the same one). Records are closed even when the provider cannot be checked: none
 * stays "in progress" past its lease.
 */
export async function sweepOrphans(
  deps: UseCaseDeps,
  o: SweepOptions,
  claim: (recordId: string) => Promise<boolean>,
): Promise<OrphanOutcome[]> {
  const out: OrphanOutcome[] = [];
  for (const r of await strandedRecords(deps, o)) {
    if (!(await claim(r.id))) continue;
    out.push(await settle(deps, r, o));
  }
  return out;
}
