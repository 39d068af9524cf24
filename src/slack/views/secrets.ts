// The one view that shows a secret (the requester's ephemeral DM), and the channel reply that never does.
import { bold, code, escapeMrkdwn, safe, slackDate } from '../mrkdwn.js';
import { context, message, plainText, section, type Block, type View } from './blocks.js';

/** Text every secret delivery carries. */
export const SECRET_NOTICE = 'Only visible to you. Store it now: it will not be shown again.';
/** Text every channel reply about a new secret carries. */
export const SECRET_SENT_NOTICE =
  'The secret was sent to your DM with the bot; if you cannot see it there, rotate the token.';

// Leaves room for the ``` fences inside a 3000-character section.
const CHUNK = 2900;

/**
 * The secret, exactly as issued: a code block when it can be one, plain text otherwise (a backtick or a
 * line break would end the block, and replacing them would corrupt the secret). Never truncated: a very
 * long secret is split over several blocks instead.
 */
function secretBlocks(secret: string): Block[] {
  const asCode = !/[`\r\n]/.test(secret);
  const blocks: Block[] = [];
  for (let i = 0; i < secret.length; i += CHUNK) {
    const part = secret.slice(i, i + CHUNK);
    // Escaped text can be longer than the limit; a plain_text section shows the characters as they are.
    const escaped = escapeMrkdwn(part);
    if (asCode && escaped.length <= CHUNK) blocks.push(section(`\`\`\`${escaped}\`\`\``));
    else blocks.push({ type: 'section', text: plainText(part) });
  }
  return blocks.length > 0 ? blocks : [section('(the provider returned an empty secret)')];
}

/** The requester's private delivery of a new secret. The fallback text never holds it (it shows in notifications). */
export function secretDmView(args: {
  ref: string;
  tokenName: string;
  providerLabel: string;
  secret: string;
  expiresAt?: string | null;
  note?: string;
}): View {
  const name = bold(args.tokenName, 200) || code(args.ref, 500);
  const intro = `:key: New secret for ${name} (${safe(args.providerLabel, 100)} · ${code(args.ref, 500)})`;
  const notes = [`:lock: ${SECRET_NOTICE}`];
  if (args.expiresAt) notes.push(`Expires ${slackDate(args.expiresAt)}.`);
  if (args.note) notes.push(safe(args.note, 1000));
  const blocks: Block[] = [section(intro), ...secretBlocks(args.secret), context(...notes)];
  return message(`Your new secret for ${safe(args.tokenName || args.ref, 200)} is here. ${SECRET_NOTICE}`, blocks);
}

/** The channel / response_url reply after a create or rotate: where the secret went, never the secret. */
export function secretSentView(args: {
  ref: string;
  tokenName: string;
  action: 'created' | 'rotated';
  how?: string;
  oldFate?: string;
}): View {
  const verb = args.action === 'created' ? 'Created' : 'Rotated';
  const what = `${bold(args.tokenName, 200)} ${code(args.ref, 500)}`.trim();
  const blocks: Block[] = [section(`:white_check_mark: ${verb} ${what}. ${SECRET_SENT_NOTICE}`)];
  const notes: string[] = [];
  if (args.how) notes.push(`How: ${safe(args.how, 500)}`);
  if (args.oldFate) notes.push(`Old secret: ${safe(args.oldFate, 500)}`);
  if (notes.length > 0) blocks.push(context(...notes));
  return message(`${verb} ${safe(args.tokenName || args.ref, 200)}. ${SECRET_SENT_NOTICE}`, blocks);
}
