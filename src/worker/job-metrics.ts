import type { JobOutcome, Telemetry } from '../core/telemetry.js';
import type { Job } from '../commands/job.js';
import type { Reply } from '../commands/reply.js';

// Errors the requester did not cause: tokenops, its provider credentials, a provider or Slack failed.
// Anything else (a typo, an unknown REF, a refusal, a provider's rate limit) is the user's to fix.
const FAILURES = new Set([
  'internal',
  'config',
  'auth',
  'forbidden',
  'provider_unavailable',
  'unexpected_response',
  'delivery_failed',
  'audit_unavailable',
]);

/** How a command's reply counts: ok, refused, rejected (user input) or failed (ours). */
export function outcomeOf(reply: Reply): JobOutcome {
  if (reply.kind === 'refused') return 'refused';
  if (reply.kind === 'error') return FAILURES.has(reply.code) ? 'failed' : 'rejected';
  return 'ok';
}

/** The metric label of a job: the command's name, or the job's kind. */
export function jobLabel(job: Job): string {
  return job.kind === 'command' ? job.command.name : job.kind;
}

/** Reports a finished command: its outcome, a refusal, fan-out errors, and how fast a revoke killed. */
export function reportCommand(telemetry: Telemetry, job: Extract<Job, { kind: 'command' }>, reply: Reply): void {
  const outcome = outcomeOf(reply);
  telemetry.job(job.command.name, outcome);
  if (outcome === 'refused') telemetry.refusal('worker');
  if (reply.kind === 'list' || reply.kind === 'find') {
    for (const e of reply.errors) telemetry.connectionError(e.target.split(':')[0] ?? 'unknown');
  }
  if (reply.kind === 'change_done' && reply.action === 'revoke') {
    const ms = Date.now() - Date.parse(job.createdAt);
    if (Number.isFinite(ms) && ms >= 0) telemetry.timeToKill(reply.ref.split(/[:/]/)[0] ?? 'unknown', ms);
  }
}
