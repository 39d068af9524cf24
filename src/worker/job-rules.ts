// The job runner's rules of repetition and its fixed words: which jobs may run again after a crash,
// which run without a claim, and what a person is told when a run was interrupted.
import { COMMAND_TRAITS } from '../commands/access.js';
import type { Command } from '../commands/command.js';
import type { Job } from '../commands/job.js';
import { labelOf, type ApprovalSubject } from '../slack/views.js';

/** True when running a job again after a crash cannot mint a second token. */
export function safeToRepeat(job: Job): boolean {
  if (job.kind === 'approval') return false;
  return !(job.kind === 'command' && COMMAND_TRAITS[job.command.name].mints);
}

/**
 * Jobs that run even when the claim store is down: revocation and audit notices are never blocked, and
 * reads change nothing, so running one twice does no harm.
 */
export function runsWithoutClaim(job: Job): boolean {
  if (job.kind === 'audit_post') return true;
  if (job.kind !== 'command') return false;
  const traits = COMMAND_TRAITS[job.command.name];
  return traits.neverBlocked || (traits.audits === undefined && !traits.mints);
}

/** Said on an Approve/Deny click that could not be recorded. */
export const DECISION_NOT_RECORDED =
  'tokenops could not record your decision: its store is unavailable right now, so nothing was approved or denied. Click again in a minute.';

/** Every field of a create request, in words, for the approval card (before and after the decision). */
export function approvalSubject(requester: string, cmd: Command, target: string): ApprovalSubject {
  const facts: { label: string; value: string }[] = [];
  if (cmd.name === 'create') {
    if (cmd.tier) facts.push({ label: labelOf('rateTier'), value: cmd.tier });
    if (cmd.expiresAt) facts.push({ label: 'Expires', value: cmd.expiresAt.slice(0, 10) });
    if (cmd.scopes?.length) facts.push({ label: labelOf('scopes'), value: cmd.scopes.join(', ') });
    if (cmd.hosts?.length) facts.push({ label: labelOf('hosts'), value: cmd.hosts.join(', ') });
  }
  const tokenName = cmd.name === 'create' ? cmd.tokenName : undefined;
  const reason = 'reason' in cmd ? cmd.reason : undefined;
  return { requester, action: cmd.name, target, tokenName, facts, reason };
}

export const INTERRUPTED =
  'An earlier attempt at this request was interrupted before it finished, so tokenops will not repeat it: it may have taken effect. Check `/token list` (and your DM with the bot) before trying again.';

export const INTERRUPTED_SETTLED =
  'This request was interrupted before it finished, so tokenops will not repeat it. Your DM with the bot says what was left behind and what tokenops did about it.';
