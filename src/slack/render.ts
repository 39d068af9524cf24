import type { Reply } from '../commands/reply.js';
import {
  auditListView,
  changeDoneView,
  errorView,
  findResultsView,
  providersView,
  secretSentView,
  tokenDetailView,
  tokenListView,
  type View,
} from './views.js';
import { pendingApprovalView } from './views/notices.js';

/** Renders a use case's reply as a Slack message. Every text goes through the escaping views. */
export function renderReply(reply: Reply, correlationId: string): View {
  switch (reply.kind) {
    case 'list':
      return tokenListView(reply.tokens, { title: reply.title, errors: reply.errors });
    case 'detail':
      return tokenDetailView(reply.token);
    case 'providers':
      return providersView(reply.infos);
    case 'find':
      return findResultsView(reply.query, reply.matches, reply.errors, reply.partial);
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
      return pendingApprovalView(reply.summary);
    case 'refused':
      return errorView(reply.message);
    case 'error':
      return errorView(reply.message, {
        usage: reply.usage,
        correlationId: reply.code === 'internal' || reply.code === 'audit_unavailable' ? correlationId : undefined,
      });
  }
}
