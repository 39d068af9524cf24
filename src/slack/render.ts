import { bulkPreviewView } from './views/bulk.js';
import type { Reply } from '../commands/reply.js';
import {
  auditListView,
  changeDoneView,
  errorView,
  findResultsView,
  pendingApprovalView,
  providersView,
  secretSentView,
  tokenDetailView,
  tokenListView,
  type View,
} from './views.js';
import { actions, button, context, fitsValue, message, section } from './views/blocks.js';
import { bold, code, safe } from './mrkdwn.js';
import { notFoundView, revokedBeforeView } from './views/revocation.js';

// System and provider failures carry the reference id a person can give the admins; their own typing mistakes do not.
const WITH_REFERENCE = new Set([
  'internal',
  'audit_unavailable',
  'auth',
  'forbidden',
  'rate_limited',
  'provider_unavailable',
  'unexpected_response',
  'invalid_request',
  'not_found',
  'delivery_failed',
  'conflict',
]);

/** Asks before a second token with a name the connection already has. */
function duplicateNameView(r: Extract<Reply, { kind: 'duplicate_name' }>): View {
  const existing = r.existing
    .slice(0, 5)
    .map((ref) => code(ref, 300))
    .join(', ');
  const text = `:warning: ${code(r.target, 200)} already has a token named ${bold(r.tokenName, 200)} (${existing}). Create another one with the same name?`;
  const blocks = [section(text)];
  if (r.confirmValue && fitsValue(r.confirmValue)) {
    blocks.push(
      actions('duplicate_confirm', [
        button('Create another', 'create_duplicate', { value: r.confirmValue, style: 'primary' }),
        button('Cancel', 'create_cancel', { value: 'cancel' }),
      ]),
    );
  } else blocks.push(context('Give it another name, so the two are easy to tell apart.'));
  return message(`${safe(r.target, 200)} already has a token named ${safe(r.tokenName, 200)}.`, blocks);
}

/** Renders a use case's reply as a Slack message. Every text goes through the escaping views. */
export function renderReply(reply: Reply, correlationId: string): View {
  switch (reply.kind) {
    case 'list':
      return tokenListView(reply.tokens, {
        title: reply.title,
        errors: reply.errors,
        page: reply.page,
        query: reply.query,
      });
    case 'detail':
      return tokenDetailView(reply.token, { owner: reply.owner, may: reply.may });
    case 'providers':
      return providersView(reply.infos);
    case 'find':
      return findResultsView(reply.query, reply.matches, reply.errors, reply.may, reply.partial);
    case 'audit':
      return auditListView(reply.records, { sinceDays: reply.sinceDays, provider: reply.provider });
    case 'secret_sent':
      return secretSentView({
        ref: reply.ref,
        tokenName: reply.tokenName,
        action: reply.action,
        how: reply.how,
        oldFate: reply.oldFate,
      });
    case 'change_done':
      return changeDoneView({
        action: reply.action,
        ref: reply.ref,
        tokenName: reply.tokenName,
        how: reply.how,
        emulated: reply.emulated,
      });
    case 'pending_approval':
      return pendingApprovalView(reply.summary, reply.approvalsChannel);
    case 'duplicate_name':
      return duplicateNameView(reply);
    case 'bulk_preview':
      return bulkPreviewView(reply);
    case 'refused':
      return errorView(reply.message);
    case 'not_found':
      return notFoundView(reply);
    case 'revoked_before':
      return revokedBeforeView(reply);
    case 'error':
      return errorView(reply.message, {
        usage: reply.usage,
        correlationId: WITH_REFERENCE.has(reply.code) ? correlationId : undefined,
      });
  }
}
