import * as z from 'zod/mini';
import '../core/validation.js';
import { OWNER_SCOPED } from '../core/policy.js';
import { ACTIONS } from '../core/token.js';
import { PROVIDER_TYPES } from '../providers/descriptors.js';
import { connectionSchema } from '../providers/config.js';

/** Actions a policy can grant: adapter actions, plus the read-only and audit commands. */
export const POLICY_ACTIONS = [...ACTIONS, 'find', 'audit', 'approve', '*'] as const;

/** Owner-scoped grants: `rotate:own` reaches the person's own tokens, `rotate:any` every token. */
export const SCOPED_GRANTS = OWNER_SCOPED.flatMap((a) => [`${a}:own`, `${a}:any`]);

const policyAction = z.enum([...POLICY_ACTIONS, ...SCOPED_GRANTS]);
const providerKey = z.enum([...PROVIDER_TYPES, '*']);

/** A role: which actions it grants per provider (`*` = every provider), and the tiers/scopes it may ask for. */
const roleSchema = z.object({
  description: z.optional(z.string()),
  grants: z.partialRecord(providerKey, z.array(policyAction)),
  /** Rate tiers this role may create or rotate into. @default any tier */
  tiers: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** Scopes this role may ask for (`*` matches one segment: `project:*:viewer`). @default any scope */
  scopes: z.optional(z.array(z.string().check(z.minLength(1)))),
});

/** Who holds which roles: Slack user ids (U…/W…) or user group ids (S…). */
const memberSchema = z.object({
  user: z.optional(z.string().check(z.regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (U… or W…)'))),
  group: z.optional(z.string().check(z.regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group id (S…)'))),
  roles: z.array(z.string()).check(z.minLength(1)),
});

/** An action that needs a second person's approval, optionally only for some rate tiers. */
const approvalRuleSchema = z.object({
  action: z.enum(ACTIONS),
  provider: providerKey,
  /** Only when the requested Triton rate tier is one of these. */
  tiers: z.optional(z.array(z.string())),
});

/** The authorization policy: deny by default. */
export const policySchema = z.object({
  roles: z.record(z.string(), roleSchema),
  members: z.array(memberSchema),
  approvals: z._default(z.array(approvalRuleSchema), []),
});

/** Slack settings. Secret values may be inline (local) or in a named secret (AWS). */
export const slackSchema = z.object({
  /** Signing secret, inline. */
  signingSecret: z.optional(z.string().check(z.minLength(1))),
  /** Bot token (xoxb-…), inline. */
  botToken: z.optional(z.string().check(z.minLength(1))),
  /** App-level token (xapp-…) for Socket Mode. */
  appToken: z.optional(z.string().check(z.minLength(1))),
  /** Name of a secret holding JSON {signingSecret, botToken, appToken?}; wins over inline values. */
  secretName: z.optional(z.string()),
  /** Bot id and bot user id: given, they spare Bolt an auth.test call at cold start. */
  botId: z.optional(z.string()),
  botUserId: z.optional(z.string()),
  /**
   * The Slack app id (A…, under Basic Information). When set, the ingress refuses signed requests that
   * name another app in `api_app_id`: a pin against a signing secret shared or reused across apps.
   */
  appId: z.optional(z.string().check(z.regex(/^A[A-Z0-9]{2,}$/, 'must be a Slack app id (A…)'))),
  /** Web API base URL override (a local stand-in). @default "https://slack.com/api/" */
  apiUrl: z.optional(z.string().check(z.url())),
  /** The workspace(s) allowed to use the bot (team ids). Requests from others are refused. */
  allowedTeams: z.array(z.string()).check(z.minLength(1)),
  /** Channel id where every change is posted. */
  auditChannel: z.string().check(z.minLength(1)),
  /** Channel id where approval requests go. @default the audit channel */
  approvalsChannel: z.optional(z.string()),
  /** Web API timeout per call, ms. @default 5000 */
  timeoutMs: z._default(z.number().check(z.int(), z.positive()), 5000),
  /** Web API retries per call (bounded; the SDK default of ~30 min is wrong on Lambda). @default 2 */
  retries: z._default(z.number().check(z.int(), z.nonnegative()), 2),
});

/** Incident response: leak intake and its policy. */
export const incidentSchema = z.object({
  /** Shared secret that signs leak reports (`POST /leaks`), inline (local). */
  leakSigningSecret: z.optional(z.string().check(z.minLength(16))),
  /** Name of a secret holding it (AWS); wins over the inline value. */
  leakSigningSecretName: z.optional(z.string()),
  /**
   * Per provider (`*` for the rest): `autoRevoke` kills a reported token at once, `propose` posts a
   * card with a Revoke button to the audit channel. The owner gets a DM either way. @default propose
   */
  leakPolicy: z._default(z.partialRecord(providerKey, z.enum(['autoRevoke', 'propose'])), {}),
  /**
   * When a Slack user is deactivated (`user_change`, `deleted: true`): `revoke` revokes every token the
   * index says they own, at once; `ask` posts a card to the audit channel (Revoke all / Reassign / Keep).
   * @default ask
   */
  onDeactivation: z.optional(z.enum(['revoke', 'ask'])),
  /**
   * A bulk revocation (`/token revoke --owner …`) of more tokens than this is confirmed by typing their
   * number in a modal; up to this many, a button. @default 10
   */
  bulkConfirmThreshold: z.optional(z.number().check(z.int(), z.nonnegative())),
});

/** The whole tokenops config file. */
export const appConfigSchema = z.object({
  slack: slackSchema,
  /** HMAC key for fingerprints, inline (local). */
  fingerprintKey: z.optional(z.string().check(z.minLength(16))),
  /** Name of a secret holding the fingerprint key (AWS); wins over the inline value. */
  fingerprintKeySecret: z.optional(z.string()),
  policy: policySchema,
  connections: z.array(connectionSchema).check(z.minLength(1)),
  /** Days before expiry when the schedule reminds owners. @default 14 */
  expiryReminderDays: z._default(z.number().check(z.int(), z.positive()), 14),
  /**
   * Days the audit trail keeps a record before DynamoDB's TTL deletes it (within about two days).
   * Leave it out to keep every record for good. Point-in-time recovery covers only the last 35 days.
   */
  auditRetentionDays: z.optional(z.number().check(z.int(), z.gte(30))),
  /** Incident response settings. @default leak reports proposed, intake off until a secret is set */
  incident: z._default(incidentSchema, { leakPolicy: {} }),
});

/** The validated config. */
export type AppConfig = z.infer<typeof appConfigSchema>;
/** The authorization policy. */
export type Policy = z.infer<typeof policySchema>;
