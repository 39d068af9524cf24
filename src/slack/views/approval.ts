// Approval requests for the approvers' channel, the card they become once decided, the small modal that
// asks a denier for a reason, and what the requester is told.
import { bold, code, mention, safe } from '../mrkdwn.js';
import {
  actions,
  button,
  context,
  fields,
  fitsValue,
  message,
  plainText,
  section,
  type Block,
  type View,
} from './blocks.js';
import type { ModalView } from './modal.js';

/** What an approval is about. */
export interface ApprovalSubject {
  /** Slack user id of the requester. */
  requester: string;
  /** The action asked for, e.g. `create`. */
  action: string;
  /** A REF, or `provider:connection` for a create. */
  target: string;
  tokenName?: string | undefined;
  /** Every other field of the request, in words (e.g. `Rate tier` → `tier3`). */
  facts?: { label: string; value: string }[] | undefined;
  /** Short extra facts, e.g. `tier tier3` (older callers). */
  detail?: string | undefined;
  reason?: string | undefined;
}

/** Callback id of the deny-reason modal. */
export const DENY_MODAL_CALLBACK_ID = 'approval_deny_reason';

/** The request's fields, as short mrkdwn fields (phones show them two by two). */
function subjectFields(s: ApprovalSubject): Block[] {
  const items = [
    `*Requested by*\n${mention(s.requester)}`,
    `*Action*\n${safe(s.action, 40)}`,
    `*Where*\n${code(s.target, 300)}`,
  ];
  if (s.tokenName) items.push(`*Token name*\n${bold(s.tokenName, 150)}`);
  for (const f of s.facts ?? []) items.push(`*${safe(f.label, 60)}*\n${code(f.value, 300)}`);
  if (s.detail) items.push(`*Details*\n${safe(s.detail, 300)}`);
  const blocks = [fields(items.slice(0, 10))];
  blocks.push(section(`*Reason*\n${s.reason ? safe(s.reason, 1000) : '_none given_'}`));
  return blocks;
}

/** A request with Approve/Deny buttons; both buttons carry the approval id. */
export function approvalRequestView(args: ApprovalSubject & { approvalId: string }): View {
  const blocks: Block[] = [
    section(`:raising_hand: *Approval needed:* ${mention(args.requester)} asks to ${safe(args.action, 40)} a token.`),
  ];
  blocks.push(...subjectFields(args));
  if (fitsValue(args.approvalId) && args.approvalId.length > 0) {
    const value = args.approvalId;
    blocks.push(
      actions('approval', [
        button('Approve', 'approval_approve', { value, style: 'primary' }),
        button('Deny…', 'approval_deny', { value, style: 'danger' }),
      ]),
    );
  }
  blocks.push(
    context('Requesters cannot approve their own requests. Deny asks for a reason, which the requester sees.'),
  );
  return message(`Approval needed: ${safe(args.action, 40)} ${safe(args.target, 300)}`, blocks);
}

/** The decided card: "Approved by @olivia" or "Denied by @sam: reason", with every field kept and no buttons. */
export function approvalDecidedView(
  args: ApprovalSubject & { approver: string; decision: 'approved' | 'denied'; note?: string | undefined },
): View {
  const head =
    args.decision === 'approved'
      ? `:white_check_mark: *Approved by ${mention(args.approver)}*`
      : `:no_entry: *Denied by ${mention(args.approver)}*${args.note ? `: ${safe(args.note, 1000)}` : ''}`;
  const blocks: Block[] = [section(head), ...subjectFields(args)];
  const fallbackWho = args.decision === 'approved' ? 'Approved' : 'Denied';
  return message(`${fallbackWho}: ${safe(args.action, 40)} ${safe(args.target, 300)}`, blocks);
}

/** What the requester hears, in their DM with the bot (where the pending reply said they would). */
export function approvalOutcomeView(args: {
  decision: 'approved' | 'denied';
  approver: string;
  summary: string;
  note?: string | undefined;
}): View {
  const what = safe(args.summary, 500);
  const text =
    args.decision === 'approved'
      ? `:white_check_mark: ${mention(args.approver)} approved your request to ${what}. tokenops is doing it now; the secret comes here, privately.`
      : `:no_entry: ${mention(args.approver)} denied your request to ${what}.${args.note ? ` Reason: ${safe(args.note, 1000)}` : ''}`;
  return message(`Your request was ${args.decision}`, [section(text)]);
}

/** The requester's reply while a request waits: says where the request went and where the answer comes. */
export function pendingApprovalView(summary: string, approvalsChannel?: string): View {
  const where = approvalsChannel && /^C[A-Z0-9]+$/.test(approvalsChannel) ? ` in <#${approvalsChannel}>` : '';
  const text = `:hourglass: Your request to ${safe(summary, 500)} needs approval. It went to the approvers${where}; you will hear back in your DM with the bot.`;
  return message(text, [section(text)]);
}

/** The small modal a denier fills in: one reason field, shown to the requester and kept in the audit trail. */
export function denyReasonModalView(args: { privateMetadata: string; summary: string }): ModalView {
  return {
    type: 'modal',
    callback_id: DENY_MODAL_CALLBACK_ID,
    title: plainText('Deny request', 24),
    submit: plainText('Deny', 24),
    close: plainText('Cancel', 24),
    private_metadata: args.privateMetadata,
    blocks: [
      section(`Deny the request to ${safe(args.summary, 500)}?`),
      {
        type: 'input',
        block_id: 'reason',
        label: plainText('Reason'),
        hint: plainText('The requester sees it, and it is kept in the audit trail.'),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          min_length: 3,
          max_length: 500,
          placeholder: plainText('e.g. use the free tier for CI'),
        },
      },
    ],
  };
}
