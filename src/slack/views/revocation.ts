// Views for honest revocation outcomes: no such token, and "tokenops already revoked it" (final).
import type { Revocation } from '../../core/ports.js';
import { code, mention, safe, shortTime } from '../mrkdwn.js';
import { context, message, section, type Block, type View } from './blocks.js';

/** "revoked by @sam at 2026-12-04 15:02 UTC (deleted at the provider)": who and when, as mrkdwn. */
export function revokedByText(r: Revocation): string {
  const how = r.how ? ` (${safe(r.how, 300)})` : '';
  return `revoked by ${mention(r.by)} at ${shortTime(r.at)}${how}`;
}

/** A revoke that found no token: never a ✅. Says whether tokenops itself revoked it before. */
export function notFoundView(args: { ref: string; message: string; revokedBefore?: Revocation | undefined }): View {
  const ref = code(args.ref, 500);
  const blocks: Block[] = [];
  if (args.revokedBefore) {
    const line = `:information_source: Nothing to revoke: ${ref} is already gone. tokenops ${revokedByText(args.revokedBefore)}.`;
    blocks.push(section(line));
    return message(`Nothing to revoke: ${safe(args.ref, 500)} was already revoked`, blocks);
  }
  blocks.push(section(`:warning: Nothing was revoked: ${safe(args.message, 1000)}`));
  blocks.push(
    context('Check the REF (copy it from `/token find` or `/token list`). The audit trail records this as not found.'),
  );
  return message(`Nothing was revoked: no token ${safe(args.ref, 500)}`, blocks);
}

/** An action refused because tokenops revoked the token earlier: revocation is final. */
export function revokedBeforeView(args: { action: string; ref: string; revokedBefore: Revocation }): View {
  const text = `:no_entry: Cannot ${safe(args.action, 40)} ${code(args.ref, 500)}: it was ${revokedByText(args.revokedBefore)}; a revoked token stays revoked. Create a new token instead.`;
  return message(`Cannot ${safe(args.action, 40)} ${safe(args.ref, 500)}: it was revoked`, [section(text)]);
}
