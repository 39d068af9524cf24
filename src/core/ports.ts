import type { AuditRecord, AuditOutcome } from './audit.js';
import type { BulkJobStore } from './bulk.js';
import type { ProviderType } from './token.js';

/** The durable audit trail. */
export interface AuditStore {
  /** Writes a new record; throws when the store is unavailable (minting then fails closed). */
  put(record: AuditRecord): Promise<void>;
  /** Writes a record unless one with its id exists (late persistence of a posted notice). */
  putIfAbsent(record: AuditRecord): Promise<void>;
  /** Sets the outcome (and detail) of a record written before the action ran. */
  finish(
    id: string,
    outcome: AuditOutcome,
    extra?: Partial<Pick<AuditRecord, 'errorCode' | 'detail' | 'ref' | 'last4' | 'tokenName'>>,
  ): Promise<void>;
  get(id: string): Promise<AuditRecord | undefined>;
  /** Newest first, since a time, optionally for one provider. */
  list(query: { since: string; provider?: ProviderType; limit?: number }): Promise<AuditRecord[]>;
}

/** What tokenops remembers of a token it minted: never the secret, only its fingerprint and last 4. */
export interface TokenRecord {
  ref: string;
  provider: ProviderType;
  connection: string;
  name: string;
  /** Slack user id of the person it was minted for: the owner owner-scoped grants check. */
  owner: string;
  fingerprint: string;
  last4: string;
  createdAt: string;
  expiresAt?: string | undefined;
  /** The rate tier it was minted with (approval rules for rotate depend on it). */
  tier?: string | undefined;
  /** Set when tokenops revoked it. */
  revokedAt?: string | undefined;
  /** Slack user id of the person who revoked it through tokenops. */
  revokedBy?: string | undefined;
}

/** A revocation tokenops made: kept for every token it revoked, minted by it or not. */
export interface Revocation {
  ref: string;
  /** ISO 8601 time of the kill. */
  at: string;
  /** Slack user id of the person who revoked it (or `tokenops` for the orphan sweep). */
  by: string;
  /** How: the revoke method words, e.g. "deactivated". */
  how?: string | undefined;
}

/** Tokens minted through tokenops, for `--mine`, `find` by fingerprint, and expiry reminders. */
export interface TokenIndex {
  put(record: TokenRecord): Promise<void>;
  get(ref: string): Promise<TokenRecord | undefined>;
  byOwner(owner: string): Promise<TokenRecord[]>;
  /** Gives a token to a new owner (offboarding); the caller audits it. */
  reassign(ref: string, owner: string): Promise<void>;
  /** Every record (the schedule's daily pass). */
  all(): Promise<TokenRecord[]>;
  /** Records that tokenops revoked a token (any token, minted by tokenops or not): revocation is final. */
  markRevoked(revocation: Revocation): Promise<void>;
  /** The revocation of a token, when tokenops made one. */
  revocation(ref: string): Promise<Revocation | undefined>;
  /** Every revocation on one connection (to mark deactivated-by-revoke tokens in lists). */
  revocations(provider: ProviderType, connection: string): Promise<Revocation[]>;
}

/** A request waiting for a second person's approval. The command holds no secret. */
export interface ApprovalRequest {
  id: string;
  requester: string;
  /** The serialised job to run when approved. */
  job: string;
  summary: string;
  status: 'pending' | 'approved' | 'denied';
  decidedBy?: string | undefined;
  createdAt: string;
  /** Where the request card was posted, so a decision can update it in place. */
  card?: { channel: string; ts: string } | undefined;
  /** The denier's reason. */
  note?: string | undefined;
}

/** Approvals, with a decision that can be taken exactly once. */
export interface ApprovalStore {
  create(request: ApprovalRequest): Promise<void>;
  get(id: string): Promise<ApprovalRequest | undefined>;
  /** Moves a pending request to approved/denied; returns undefined when it was not pending any more. */
  decide(id: string, status: 'approved' | 'denied', by: string, note?: string): Promise<ApprovalRequest | undefined>;
  /** Requests still waiting, newest first (the Home tab). */
  pending(): Promise<ApprovalRequest[]>;
  /** Remembers where the request card was posted. */
  setCard(id: string, card: { channel: string; ts: string }): Promise<void>;
}

/**
 * How a claim went. `claimed`: run it. `done`: it already ran. `busy`: another worker runs it now.
 * `interrupted`: an earlier run's lease lapsed mid-job and the job is not safe to repeat.
 */
export type ClaimResult = 'claimed' | 'done' | 'busy' | 'interrupted';

/** How to claim: `ownerDied` says the run holding the claim is known dead (its process crashed). */
export interface ClaimOptions {
  takeover?: boolean;
  /** Treat a running claim's lease as lapsed now, without waiting it out. */
  ownerDied?: boolean;
}

/** At-most-once execution of jobs, keyed by the job id. */
export interface JobClaims {
  /**
   * Claims a job for `leaseMs`. A lapsed lease is taken over only with `takeover` (the default): a job
   * that mints must not run twice because a worker died after the provider call.
   */
  claim(jobId: string, leaseMs: number, options?: ClaimOptions): Promise<ClaimResult>;
  /** Marks the job done; `summary` is a short outcome note, never a secret. */
  complete(jobId: string, summary: string): Promise<void>;
  /** Gives a failed job back so a redelivery may run it. */
  release(jobId: string): Promise<void>;
}

/** What the Slack workspace says about a user. */
export interface UserFacts {
  teamId: string;
  isRestricted: boolean;
  isUltraRestricted: boolean;
  isStranger: boolean;
  deleted: boolean;
  groups: string[];
}

/** Looks users up in Slack (cached). */
export interface Directory {
  user(userId: string): Promise<UserFacts>;
}

/** Every store the use cases and the worker write to (DynamoDB on AWS and locally). */
export interface Stores {
  audit: AuditStore;
  tokens: TokenIndex;
  approvals: ApprovalStore;
  claims: JobClaims;
  /** Durable bulk revocations (compromise mode, offboarding). */
  bulk: BulkJobStore;
}

/** The structured logger (Powertools Logger fits). Never given a secret or a provider's message. */
export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Who started a job, and where to answer. */
export interface JobOrigin {
  userId: string;
  teamId: string;
  channelId: string;
  /** Slack's response_url (valid 30 minutes, 5 uses). Absent for scheduled jobs. */
  responseUrl?: string | undefined;
  /** True when the answer should replace the message with the button that started it. */
  replaceOriginal?: boolean | undefined;
  /** ts of a (non-ephemeral) message to update in `channelId`, e.g. an approval card. */
  messageTs?: string | undefined;
  /**
   * Answer in the DM with the bot: there is no channel to answer in (a click on the Home tab, or a
   * request approved later). The Home tab is refreshed afterwards.
   */
  inDm?: boolean | undefined;
}

/** The queue jobs travel on: in-process (tests, local) or SQS (AWS). `J` is the job type (commands/job.ts). */
export interface JobQueue<J> {
  send(job: J, options?: { delaySeconds?: number }): Promise<void>;
}

/** Everything the worker says to people, as messages `M` (Block Kit views in src/slack). */
export interface Notifier<M> {
  /** Answers the person who asked (response_url, else ephemeral in the channel). */
  respond(origin: JobOrigin, message: M): Promise<void>;
  /** The one way a secret leaves: ephemeral, in the requester's DM with the bot. Throws `delivery_failed`. */
  deliverSecret(userId: string, message: M): Promise<void>;
  /**
   * Gets the user's DM ready ahead of a delivery that may follow (a job that mints), so the secret's
   * own call does not wait for it. Never throws; a failure is met again by deliverSecret.
   */
  prepareDelivery?(userId: string): void;
  /** Posts to the audit channel. */
  postAudit(message: M): Promise<void>;
  /** Posts to the approvers' channel; says where the card landed (to update it once decided). */
  postApproval(message: M): Promise<{ channel: string; ts: string } | undefined>;
  /** A plain notice (never a secret) to a user's DM. */
  notifyUser(userId: string, message: M): Promise<void>;
  /**
   * Posts a message (never a secret) the bot will update in place, in a channel or, given a user id,
   * in that person's DM; optionally in a thread. Says where it landed.
   */
  postMessage(
    where: { channel: string } | { user: string },
    message: M,
    threadTs?: string,
  ): Promise<{ channel: string; ts: string } | undefined>;
  /** Replaces a message the bot posted (an approval card), in place. */
  updateMessage(channel: string, ts: string, message: M): Promise<void>;
  /** Publishes a user's App Home tab. */
  publishHome(userId: string, view: { type: 'home'; blocks: unknown[] }): Promise<void>;
}
