import type { BulkSelection } from '../core/bulk.js';
import type { Ref } from '../core/ref.js';
import type { ProviderType } from '../core/token.js';

/** A provider and optionally one of its connections, as typed by the user (`triton` or `triton:prod`). */
export interface Target {
  provider: ProviderType;
  connection?: string | undefined;
}

/** Options shared by the commands that change a token. */
export interface ChangeOptions {
  reason?: string | undefined;
}

/** One parsed `/token` command: the typed form of everything the grammar accepts. */
export type Command =
  | { name: 'help'; topic?: CommandName | undefined }
  | { name: 'providers' }
  | {
      name: 'list';
      target?: Target | undefined;
      nameFilter?: string | undefined;
      mine: boolean;
      /** The page to show (from a Previous/Next button). @default 1 */
      page?: number | undefined;
    }
  | { name: 'show'; ref: Ref }
  | {
      name: 'create';
      target: Target;
      tokenName: string;
      tier?: string | undefined;
      /** ISO 8601 expiry, resolved from `30d` or `2027-01-31`. */
      expiresAt?: string | undefined;
      scopes?: string[] | undefined;
      hosts?: string[] | undefined;
      reason?: string | undefined;
      /** The person confirmed a second token with a name the connection already has. */
      allowDuplicate?: boolean | undefined;
    }
  | { name: 'create_modal' }
  | ({ name: 'revoke' | 'rotate' | 'activate' | 'deactivate'; ref: Ref } & ChangeOptions)
  /** `/token revoke --owner … --provider …`: a preview of a bulk revocation (compromise mode). */
  | { name: 'revoke_bulk'; selection: BulkSelection; reason?: string | undefined }
  | { name: 'find'; query: string }
  /** Opens the leak form. `typed`: something followed `leaked` on the command line (never kept here). */
  | { name: 'leaked'; typed: boolean }
  | { name: 'audit'; provider?: ProviderType | undefined; sinceDays: number };

/** The name of a command. */
export type CommandName = Exclude<Command['name'], 'create_modal' | 'revoke_bulk'>;

/** The result of parsing: a command, or a short message saying what was wrong and the right form. */
export type ParseResult = { ok: true; command: Command } | { ok: false; error: string; usage: string };
