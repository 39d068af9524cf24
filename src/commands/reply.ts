import type { AuditRecord } from '../core/audit.js';
import type { Revocation } from '../core/ports.js';
import type { Capabilities, IssuedToken, ProviderType, TokenSummary } from '../core/token.js';
import type { Target } from './command.js';

/** Actions a viewer may take on a token from a button. */
export type TokenAction = 'revoke' | 'rotate' | 'activate' | 'deactivate';

/** What the viewer may do, per REF: from the same policy check the worker applies before acting. */
export type ViewerMay = Record<string, TokenAction[]>;

/** A per-connection failure inside a fan-out (one provider down must not fail the whole list). */
export interface ConnectionError {
  target: string;
  message: string;
}

/** How a find query matched a token. */
export type MatchKind = 'last4' | 'fingerprint' | 'name';

/** What a use case answers; the Slack layer renders it. Never holds a secret. */
export type Reply =
  | {
      kind: 'list';
      title: string;
      tokens: TokenSummary[];
      errors: ConnectionError[];
      /** What was asked, for the page buttons and the hints. */
      query?: { target?: Target | undefined; nameFilter?: string | undefined; mine: boolean } | undefined;
      page?: number | undefined;
    }
  | { kind: 'detail'; token: TokenSummary; owner?: string | undefined; may?: TokenAction[] | undefined }
  | { kind: 'providers'; infos: { provider: ProviderType; connection: string; capabilities: Capabilities }[] }
  | {
      kind: 'find';
      query: string;
      matches: { token: TokenSummary; matchedOn: MatchKind }[];
      errors: ConnectionError[];
      may?: ViewerMay | undefined;
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
  | { kind: 'pending_approval'; approvalId: string; summary: string; approvalsChannel?: string | undefined }
  /** A create whose name the connection already has: asks to confirm before making a second one. */
  | { kind: 'duplicate_name'; tokenName: string; target: string; existing: string[]; confirmValue?: string | undefined }
  /** The preview of a bulk revocation: nothing changed yet; `bulkId` is the job to confirm. */
  | {
      kind: 'bulk_preview';
      bulkId?: string | undefined;
      selection: string;
      total: number;
      perConnection: { target: string; count: number; how: string; names: string[] }[];
      skipped: { ref: string; name: string; why: string }[];
      partial: string[];
      estimateMs: number;
      typedConfirm: boolean;
    }
  | { kind: 'refused'; message: string }
  /** A revoke found no such token: never a success. `revokedBefore` when tokenops itself revoked it. */
  | { kind: 'not_found'; ref: string; message: string; revokedBefore?: Revocation | undefined }
  /** An action refused because tokenops revoked the token earlier: revocation is final. */
  | { kind: 'revoked_before'; action: string; ref: string; revokedBefore: Revocation }
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
