import type { AuditRecord } from '../core/audit.js';
import type { Capabilities, IssuedToken, ProviderType, TokenSummary } from '../core/token.js';

/** A per-connection failure inside a fan-out (one provider down must not fail the whole list). */
export interface ConnectionError {
  target: string;
  message: string;
}

/** How a find query matched a token. */
export type MatchKind = 'last4' | 'fingerprint' | 'name';

/** What a use case answers; the Slack layer renders it. Never holds a secret. */
export type Reply =
  | { kind: 'list'; title: string; tokens: TokenSummary[]; errors: ConnectionError[] }
  | { kind: 'detail'; token: TokenSummary; owner?: string | undefined }
  | { kind: 'providers'; infos: { provider: ProviderType; connection: string; capabilities: Capabilities }[] }
  | {
      kind: 'find';
      query: string;
      matches: { token: TokenSummary; matchedOn: MatchKind }[];
      errors: ConnectionError[];
      /**
       * Set when some connections could not be listed: their tokens were searched in tokenops' own
       * index only (the tokens it minted), so the answer is partial.
       */
      partial?: { targets: string[]; indexed: number } | undefined;
    }
  | { kind: 'audit'; records: AuditRecord[]; sinceDays: number; provider?: ProviderType | undefined }
  | {
      kind: 'secret_sent';
      action: 'created' | 'rotated';
      ref: string;
      tokenName: string;
      how?: string | undefined;
      oldFate?: string | undefined;
    }
  | {
      kind: 'change_done';
      action: 'revoke' | 'activate' | 'deactivate';
      ref: string;
      tokenName?: string | undefined;
      how?: string | undefined;
      emulated: boolean;
    }
  | { kind: 'pending_approval'; approvalId: string; summary: string }
  | { kind: 'refused'; message: string }
  | { kind: 'error'; code: string; message: string; usage?: string | undefined };

/** Hands a new secret to its owner, once. Throws when it cannot. */
export type DeliverSecret = (
  issued: IssuedToken,
  context: { action: 'created' | 'rotated'; note?: string },
) => Promise<void>;

/** The result of a use case: the reply, and the audit records it wrote (to post to the audit channel). */
export interface Outcome {
  reply: Reply;
  audit: AuditRecord[];
}
