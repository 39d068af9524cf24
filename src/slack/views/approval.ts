// Approval requests for the approvers' channel, and the message that replaces them once decided.
import { bold, code, mention, safe } from '../mrkdwn.js';
import { actions, button, context, fitsValue, message, section, type Block, type View } from './blocks.js';

/** What an approval is about. */
export interface ApprovalSubject {
  /** Slack user id of the requester. */
  requester: string;
  /** The action asked for, e.g. `create`. */
  action: string;
  /** A REF, or `provider:connection` for a create. */
  target: string;
  tokenName?: string;
  /** Short extra facts, e.g. `tier tier3`. */
  detail?: string;
  reason?: string;
}

function describe(s: ApprovalSubject): string[] {
  const what = [`*${safe(s.action, 40)}*`, code(s.target, 300), bold(s.tokenName ?? '', 150)].filter(Boolean).join(' ');
  const lines = [`${mention(s.requester)} asks to ${what}${s.detail ? ` (${safe(s.detail, 300)})` : ''}`];
  if (s.reason) lines.push(`Reason: ${safe(s.reason, 1000)}`);
  return lines;
}

/** A request with Approve/Deny buttons; both buttons carry the approval id. */
export function approvalRequestView(args: ApprovalSubject & { approvalId: string }): View {
  const blocks: Block[] = [section([':raising_hand: Approval needed', ...describe(args)].join('\n'))];
  if (fitsValue(args.approvalId) && args.approvalId.length > 0) {
    const value = args.approvalId;
    blocks.push(
      actions('approval', [
        button('Approve', 'approval_approve', { value, style: 'primary' }),
        button('Deny', 'approval_deny', { value, style: 'danger' }),
      ]),
    );
  }
  blocks.push(context('Requesters cannot approve their own requests.'));
  return message(`Approval needed: ${safe(args.action, 40)} ${safe(args.target, 300)}`, blocks);
}

/** The decided request: who approved or denied it, without buttons. */
export function approvalDecidedView(
  args: ApprovalSubject & { approver: string; decision: 'approved' | 'denied'; note?: string },
): View {
  const emoji = args.decision === 'approved' ? ':white_check_mark:' : ':no_entry:';
  const head = `${emoji} ${mention(args.approver)} ${args.decision} this request.`;
  const blocks: Block[] = [section([head, ...describe(args)].join('\n'))];
  if (args.note) blocks.push(context(safe(args.note, 1000)));
  return message(`Request ${args.decision}: ${safe(args.action, 40)} ${safe(args.target, 300)}`, blocks);
}
