import { randomUUID } from 'node:crypto';
import {
  Access,
  ownCredentialRefusal,
  permissionFor,
  refusalRecord,
  type OwnCredentialRef,
} from '../../commands/access.js';
import type { Command } from '../../commands/command.js';
import { auditPostJob, type Job, type JobOrigin, type JobQueue } from '../../commands/job.js';
import { dropped } from '../../core/dropped.js';
import { TokenOpsError } from '../../core/errors.js';
import type { Directory, Log } from '../../core/ports.js';
import type { PolicyDoc } from '../../core/policy.js';
import type { Ref } from '../../core/ref.js';
import { refHoldsSecret, safeRef } from '../../providers/ref.js';
import type { ProviderType } from '../../core/token.js';
import type { View } from '../views.js';

/** What the ingress needs: no provider adapters and no store, so it stays fast and light. */
export interface IngressDeps {
  queue: JobQueue;
  directory: Directory;
  policy: PolicyDoc;
  allowedTeams: readonly string[];
  /** Configured connections (for the create modal's choices). */
  connections: readonly { provider: ProviderType; connection: string }[];
  /** tokenops' own credentials the config names: never revoked, rotated or deactivated. @default none */
  ownCredentials?: readonly OwnCredentialRef[];
  /** Turns a pasted secret in `/token find` into its fingerprint before it is queued. */
  fingerprintKey: () => Promise<string>;
  log: Log;
  /**
   * The correlation id of the request being handled. On Lambda the handler picks it per invocation
   * and puts it on every log line; the listeners use the same one. @default a new id per request
   */
  correlationId?: (() => string) | undefined;
}

/** The answer when the queue does not take a job. */
export const QUEUE_DOWN = 'tokenops could not take the request right now, so nothing was done. Try again in a moment.';

/** The answer when checking access failed for a reason that is not Slack being unreachable (a fault of ours). */
export const ACCESS_CHECK_FAILED =
  'tokenops could not check your access because of an internal fault, so nothing was done. Tell your tokenops admin.';

/**
 * Why an access check that threw refuses the request. Only a directory that could not reach Slack says
 * "try again" (its own words say when); Slack's definite answers (not a member, app misconfigured)
 * are said as they are; anything else is our fault and says so, with no false promise.
 */
export function accessCheckFailure(err: unknown): string {
  if (err instanceof TokenOpsError && ['provider_unavailable', 'denied', 'config'].includes(err.code))
    return err.message;
  return ACCESS_CHECK_FAILED;
}

/** A short id for one request, shown to the user on a failure and carried by every log line. */
export const newCorrelationId = (): string => randomUUID().slice(0, 13);

/** The request's correlation id: the one the Lambda handler set for this invocation, else a new one. */
export const nextCorrelationId = (kit: IngressKit): string => (kit.deps.correlationId ?? newCorrelationId)();

/** An ephemeral ack body. */
export const ephemeral = (view: View): Record<string, unknown> => ({ response_type: 'ephemeral', ...view });

/** The steps every listener shares: check access, audit a refusal, hash a pasted secret, enqueue. */
export interface IngressKit {
  deps: IngressDeps;
  /**
   * Why the command is refused to the user, or undefined when it is allowed. Never throws: a failed
   * check is a refusal saying what failed (`accessCheckFailure`).
   */
  refusalOf(userId: string, teamId: string, c: Command): Promise<string | undefined>;
  /** The providers on which the user may create tokens (the create form offers only those). */
  creatableProviders(userId: string, teamId: string): Promise<Set<ProviderType>>;
  /** Queues the audit record of a refused change (the worker stores and posts it); never throws. */
  auditRefusal(origin: JobOrigin, correlationId: string, c: Command, reason: string): Promise<void>;
  /** The REF with a pasted Vector Charts secret hashed (the key is fetched only then). */
  hashed(ref: Ref): Promise<Ref>;
  /** Queues a job and logs it (without its body). */
  enqueue(job: Job): Promise<void>;
}

/** Builds the shared steps over the ingress's dependencies. */
export function ingressKit(deps: IngressDeps): IngressKit {
  const access = new Access(deps);
  return {
    deps,
    async refusalOf(userId, teamId, c) {
      const own = ownCredentialRefusal(c, deps.ownCredentials ?? []);
      if (own) return own;
      const need = permissionFor(c);
      if (!need) return undefined;
      return access.refusal(userId, teamId, need.action, need.provider).catch((err: unknown) => {
        deps.log.warn('access check failed', { error: (err as Error).name, code: (err as TokenOpsError).code });
        return accessCheckFailure(err);
      });
    },
    creatableProviders: (userId, teamId) =>
      access.allowedProviders(
        userId,
        teamId,
        'create',
        deps.connections.map((c) => c.provider),
      ),
    async auditRefusal(origin, correlationId, c, reason) {
      const record = refusalRecord(origin, correlationId, c, reason);
      if (!record) return;
      const job = auditPostJob({ id: `refused-${record.id}`, correlationId, origin }, record, 0, new Date(record.at));
      await deps.queue.send(job).catch(dropped(deps.log, 'refusal audit', correlationId));
    },
    hashed: async (ref) => (refHoldsSecret(ref) ? safeRef(ref, await deps.fingerprintKey()) : ref),
    async enqueue(job) {
      await deps.queue.send(job);
      deps.log.info('job queued', {
        jobId: job.id,
        kind: job.kind,
        correlationId: job.correlationId,
        ...(job.kind === 'command' ? { command: job.command.name } : {}),
      });
    },
  };
}
