// Leak views: the card security sees for each matched leak report, and the owner's DM.
import type { LeakOutcome } from '../../commands/use-cases/leak.js';
import { providerLabel } from '../../providers/descriptors.js';
import { code, mention, safe, shortTime } from '../mrkdwn.js';
import { context, message, section, type Block, type View } from './blocks.js';
import { revokeRequestButton } from './tokens.js';

const RESULT: Record<LeakOutcome['result'], string> = {
  revoked: ':rotating_light: Leaked token *revoked* automatically',
  proposed: ':rotating_light: Leaked token found: *revoke it?*',
  already_revoked: ':white_check_mark: Leaked token was already revoked by tokenops',
  not_found: ':grey_question: Leaked token no longer exists at the provider',
  failed: ':x: Leaked token found, but revoking it *FAILED*: revoke it now',
  unknown: ':grey_question: Leak report matched no token',
};

/** What matched and where it leaked: provider, name, owner, age, REF and the report's URL. */
function facts(o: LeakOutcome): string[] {
  const t = o.token;
  const lines: string[] = [];
  if (t) {
    lines.push(
      `${providerLabel(t.provider)} (${safe(t.connection, 60)}) · *${safe(t.name || '(no name)', 200)}* · ${code(t.ref, 300)}`,
    );
    lines.push(
      `Owner: ${t.owner ? mention(t.owner) : 'unknown (not minted through tokenops)'} · created ${shortTime(t.createdAt)}`,
    );
  }
  const where = [
    o.item.source && `reported by ${safe(o.item.source, 100)}`,
    o.item.type && `type ${code(o.item.type, 100)}`,
  ];
  if (o.item.url) where.push(`at ${code(o.item.url, 500)}`);
  lines.push(where.filter(Boolean).join(' · ') || 'no source given');
  if (o.detail) lines.push(safe(o.detail, 500));
  return lines;
}

/** The security channel's card: a Revoke button when a person must decide (policy `propose`) or the kill failed. */
export function leakCardView(o: LeakOutcome): View {
  const blocks: Block[] = [section(`${RESULT[o.result]}\n${facts(o).join('\n')}`)];
  if ((o.result === 'proposed' || o.result === 'failed') && o.token) {
    const button = revokeRequestButton(o.token.ref);
    if (button) blocks.push({ type: 'actions', block_id: 'leak_revoke', elements: [button] });
  }
  blocks.push(context(`fingerprint ${code(o.item.fingerprint.slice(0, 12), 20)}…`));
  return message(`${RESULT[o.result].replace(/[:*]/g, '')}: ${o.token?.ref ?? 'no match'}`, blocks);
}

/** The owner's DM: their token leaked, and what was done about it. */
export function leakOwnerView(o: LeakOutcome): View {
  const what =
    o.result === 'revoked'
      ? 'so tokenops revoked it. Create a new one (`/token create …`) wherever it was used.'
      : o.result === 'proposed'
        ? 'security has been asked to revoke it. Stop using it and rotate it (`/token rotate …`).'
        : o.result === 'failed'
          ? 'and revoking it failed: security has been told. Rotate or revoke it now.'
          : 'it no longer works.';
  const line = `:rotating_light: Your token ${code(o.token?.ref ?? '', 300)} was reported as leaked, ${what}`;
  return message(line, [section(`${line}\n${facts(o).join('\n')}`)]);
}
