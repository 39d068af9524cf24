// The worker's own notices: expiry reminders and the stale-token report (from the daily schedule),
// the requester's "denied" notice and the "waiting for approval" reply. Escaped like every view.
import type { TokenRecord } from '../../core/ports.js';
import { code, mention, safe } from '../mrkdwn.js';
import { message, section, type View } from './blocks.js';

/** A token owner's DM: their token expires soon, and how to rotate it. */
export function expiryReminderView(t: TokenRecord): View {
  const text = `:alarm_clock: Your token ${code(t.ref, 300)} (${safe(t.name, 200)}) expires ${safe(t.expiresAt ?? '', 40)}. Rotate it with ${code(`/token rotate ${t.ref}`, 400)}.`;
  return message(`Token ${safe(t.name, 200)} expires soon`, [section(text)]);
}

/** Tokens the report lists at most (the rest are counted). */
const STALE_LINES = 40;

/** The audit channel's report of live tokens minted more than `days` ago and never rotated. */
export function staleReportView(stale: readonly TokenRecord[], days: number): View {
  const lines = stale
    .slice(0, STALE_LINES)
    .map(
      (t) => `• ${code(t.ref, 300)} ${safe(t.name, 100)} (minted ${t.createdAt.slice(0, 10)} for ${mention(t.owner)})`,
    );
  return message(`${stale.length} tokens are older than ${days} days`, [
    section(
      `:broom: *${stale.length} tokens minted by tokenops are older than ${days} days* and were never rotated:\n${lines.join('\n')}`,
    ),
  ]);
}

/** The requester's DM when an approver denied their request. */
export function requestDeniedView(summary: string): View {
  return message('Request denied', [section(`:no_entry: Your request to ${safe(summary, 500)} was denied.`)]);
}

/** The requester's reply while their request waits for an approver. */
export function pendingApprovalView(summary: string): View {
  const text = `:hourglass: Your request needs approval: ${safe(summary, 500)}. It went to the approvers; you will hear back here.`;
  return message(text, [section(text)]);
}
