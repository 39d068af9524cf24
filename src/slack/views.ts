// Block Kit builders: pure functions from domain values to Slack messages. Every piece of user or
// provider text goes through ./mrkdwn.ts (escaped) or a plain_text object; limits are enforced in
// ./views/blocks.ts. Only secretDmView ever shows a secret.
export { LIMITS, type Block, type View } from './views/blocks.js';
export {
  PAGE_SIZE,
  findResultsView,
  labelOf,
  tokenButtons,
  tokenDetailView,
  tokenListView,
  type TargetError,
  type TokenAction,
  type ViewerMay,
} from './views/tokens.js';
export { decodeListCursor, encodeListCursor, type ListCursor, type ListQuery } from './views/paging.js';
export {
  changeDoneView,
  confirmRevokeView,
  errorView,
  helpView,
  providersView,
  revokeKeptView,
  splitProviderError,
  workingView,
} from './views/replies.js';
export { SECRET_NOTICE, SECRET_SENT_NOTICE, secretDmView, secretSentView } from './views/secrets.js';
export { auditListView, auditNoticeView, thirdPerson } from './views/audit.js';
export {
  CREATE_MODAL_CALLBACK_ID,
  CREATE_TARGET_ACTION,
  createModalView,
  targetLabel,
  type CreateTarget,
  type ModalView,
} from './views/modal.js';
export {
  DENY_MODAL_CALLBACK_ID,
  approvalDecidedView,
  approvalOutcomeView,
  approvalRequestView,
  denyReasonModalView,
  pendingApprovalView,
  type ApprovalSubject,
} from './views/approval.js';
export { EXPIRING_DAYS, homeView, type HomeView } from './views/home.js';
export { expiryReminderView, requestDeniedView, staleReportView } from './views/notices.js';
export { orphanNoticeView } from './views/orphans.js';
