// Block Kit builders: pure functions from domain values to Slack messages. Every piece of user or
// provider text goes through ./mrkdwn.ts (escaped) or a plain_text object; limits are enforced in
// ./views/blocks.ts. Only secretDmView ever shows a secret.
export { LIMITS, type Block, type View } from './views/blocks.js';
export { findResultsView, tokenDetailView, tokenListView, type TargetError } from './views/tokens.js';
export { changeDoneView, confirmRevokeView, errorView, helpView, providersView, workingView } from './views/replies.js';
export { SECRET_NOTICE, SECRET_SENT_NOTICE, secretDmView, secretSentView } from './views/secrets.js';
export { auditListView, auditNoticeView } from './views/audit.js';
export { CREATE_MODAL_CALLBACK_ID, createModalView, type ModalView } from './views/modal.js';
export { approvalDecidedView, approvalRequestView, type ApprovalSubject } from './views/approval.js';
export { expiryReminderView, pendingApprovalView, requestDeniedView, staleReportView } from './views/notices.js';
