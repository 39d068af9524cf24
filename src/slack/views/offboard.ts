// Offboarding views: the card security sees when a Slack user with tokens is deactivated, its
// outcome in place of the buttons, and the reassign form.
import type { OffboardResult } from '../../commands/use-cases/offboard.js';
import type { TokenRecord } from '../../core/ports.js';
import { providerLabel } from '../../providers/descriptors.js';
import { code, mention, safe } from '../mrkdwn.js';
import { actions, button, context, message, plainText, section, type View } from './blocks.js';
import type { ModalView } from './modal.js';

/** Button action ids of the offboarding card. */
export const OFFBOARD_ACTIONS = {
  revokeAll: 'offboard_revoke_all',
  reassign: 'offboard_reassign',
  keep: 'offboard_keep',
} as const;

/** The callback id of the reassign form. */
export const OFFBOARD_REASSIGN_CALLBACK_ID = 'offboard_reassign';

const SHOWN = 10;

function tokenLines(tokens: readonly TokenRecord[]): string {
  const lines = tokens
    .slice(0, SHOWN)
    .map((t) => `• ${providerLabel(t.provider)} *${safe(t.name || '(no name)', 100)}* ${code(t.ref, 200)}`);
  if (tokens.length > SHOWN) lines.push(`…and ${tokens.length - SHOWN} more`);
  return lines.join('\n');
}

const heading = (n: number, subject: string): string =>
  `:bust_in_silhouette: ${n} token${n === 1 ? '' : 's'} owned by ${mention(subject)}, who was deactivated in Slack`;

/** The card: N tokens owned by @x — Revoke all / Reassign to… / Keep. */
export function offboardCardView(subject: string, tokens: readonly TokenRecord[]): View {
  const head = heading(tokens.length, subject);
  const n = tokens.length;
  return message(`${n} tokens owned by a deactivated user: revoke, reassign or keep?`, [
    section(`${head}: revoke them, give them to someone, or keep them?\n${tokenLines(tokens)}`),
    actions('offboard', [
      button('Revoke all', OFFBOARD_ACTIONS.revokeAll, {
        value: subject,
        style: 'danger',
        confirm: {
          title: 'Revoke every token?',
          text: `Revoke all ${n} tokens at their providers now? This cannot be undone.`,
          confirm: 'Revoke all',
          deny: 'Cancel',
          danger: true,
        },
      }),
      button('Reassign to…', OFFBOARD_ACTIONS.reassign, { value: subject }),
      button('Keep', OFFBOARD_ACTIONS.keep, { value: subject }),
    ]),
  ]);
}

const OUTCOME: Record<OffboardResult['result'], string> = {
  revoked: ':white_check_mark: revoked',
  not_found: ':grey_question: already gone at the provider',
  failed: ':x: *FAILED*, revoke it by hand',
};

/** The outcome of a revoke-all (automatic or clicked), per token. */
export function offboardRevokedView(subject: string, results: readonly OffboardResult[], by: string): View {
  const ok = results.filter((r) => r.result === 'revoked').length;
  const head = `${heading(results.length, subject)}: ${ok} of ${results.length} revoked (${by === 'tokenops' ? 'policy `onDeactivation: revoke`' : `by ${mention(by)}`})`;
  const lines = results
    .slice(0, 40)
    .map(
      (r) =>
        `• *${safe(r.token.name || '(no name)', 100)}* ${code(r.token.ref, 200)} — ${OUTCOME[r.result]}${r.detail ? ` (${safe(r.detail, 120)})` : ''}`,
    );
  return message(head.replace(/[:*`]/g, ''), [section(`${head}\n${lines.join('\n')}`)]);
}

/** The card after Reassign or Keep: the buttons are gone, the decision is on it. */
export function offboardDecidedView(
  subject: string,
  tokens: readonly TokenRecord[],
  by: string,
  newOwner?: string,
): View {
  const what = newOwner ? `reassigned to ${mention(newOwner)}` : 'kept as they are';
  const head = `${heading(tokens.length, subject)}: ${what} by ${mention(by)}`;
  return message(head.replace(/[:*`]/g, ''), [
    section(`${head}\n${tokenLines(tokens)}`),
    context('Recorded in the audit trail, one record per token.'),
  ]);
}

/** The card after Revoke all: a bulk job runs them (its progress message follows in the channel). */
export function offboardBulkStartedView(subject: string, tokens: readonly TokenRecord[], by: string): View {
  const head = `${heading(tokens.length, subject)}: *Revoke all* started by ${mention(by)}`;
  return message(head.replace(/[:*`]/g, ''), [
    section(`${head}\n${tokenLines(tokens)}`),
    context('A bulk revocation runs them: its progress (with Stop) and summary follow in this channel.'),
  ]);
}

/** The reassign form: one person to give every token to. */
export function offboardReassignModalView(privateMetadata: string, subject: string): ModalView {
  return {
    type: 'modal',
    callback_id: OFFBOARD_REASSIGN_CALLBACK_ID,
    private_metadata: privateMetadata,
    title: plainText('Reassign tokens', 24),
    submit: plainText('Reassign', 24),
    close: plainText('Cancel', 24),
    blocks: [
      section(`Give every live token of ${mention(subject)} to:`),
      {
        type: 'input',
        block_id: 'owner',
        label: plainText('New owner'),
        element: { type: 'users_select', action_id: 'value' },
      },
    ],
  };
}
