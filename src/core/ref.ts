import { TokenOpsError } from './errors.js';
import type { ProviderType } from './token.js';

/** A parsed REF: `provider[:connection]/id`. */
export interface Ref {
  provider: ProviderType;
  /** Undefined when the REF named no connection (the provider's default is meant). */
  connection: string | undefined;
  id: string;
}

const CONNECTION = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/** True when the text is a valid connection name. */
export function isConnectionName(text: string): boolean {
  return CONNECTION.test(text);
}

/**
 * Parses `provider[:connection]/id` given which providers exist (core names none; providers/ref.ts
 * passes the descriptor list); throws a `bad_command` error that shows the right form.
 */
export function parseRefAmong(text: string, isProviderType: (name: string) => boolean): Ref {
  const slash = text.indexOf('/');
  const bad = (why: string): TokenOpsError =>
    new TokenOpsError('bad_command', `${why} A REF looks like \`triton:prod/fa2fec9c-…\` (provider[:connection]/id).`);
  if (slash <= 0) throw bad('That is not a token REF.');
  const head = text.slice(0, slash);
  const id = text.slice(slash + 1);
  const [provider, connection, ...rest] = head.split(':');
  if (rest.length > 0 || provider === undefined) throw bad('That REF has too many `:`.');
  if (!isProviderType(provider)) throw bad(`\`${provider.slice(0, 40)}\` is not a provider.`);
  if (connection !== undefined && !CONNECTION.test(connection)) throw bad('That REF has an invalid connection name.');
  if (!ID.test(id)) throw bad('That REF has an invalid token id.');
  return { provider, connection, id };
}

/** Prints a REF in its one canonical form (always with the connection). */
export function formatRef(ref: { provider: ProviderType; connection: string; id: string }): string {
  return `${ref.provider}:${ref.connection}/${ref.id}`;
}

/** True when the text looks like a REF (has a provider before a slash). */
export function looksLikeRefAmong(text: string, isProviderType: (name: string) => boolean): boolean {
  const slash = text.indexOf('/');
  if (slash <= 0) return false;
  const provider = text.slice(0, slash).split(':')[0] ?? '';
  return isProviderType(provider);
}

/** Prints a parsed REF as the user wrote it (the connection only when one was named). */
export function printRef(ref: Ref): string {
  return ref.connection === undefined ? `${ref.provider}/${ref.id}` : `${ref.provider}:${ref.connection}/${ref.id}`;
}
