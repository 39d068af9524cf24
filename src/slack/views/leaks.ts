// Leak views: the card security sees for each matched leak report, and the owner's DM.
import type { LeakOutcome } from '../../commands/use-cases/leak.js';
import { providerLabel } from '../../providers/descriptors.js';
import { code, mention, safe, shortTime } from '../mrkdwn.js';
import { context, message, plainText, section, type Block, type View } from './blocks.js';
import type { ModalView } from './modal.js';
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

/** The callback id of the `/token leaked` form. */
export const LEAK_MODAL_CALLBACK_ID = 'leak_report';

/** The `/token leaked` form: the secret goes into a Slack form, never into a channel. */
export function leakModalView(): ModalView {
  return {
    type: 'modal',
    callback_id: LEAK_MODAL_CALLBACK_ID,
    private_metadata: '',
    title: plainText('Report a leaked secret', 24),
    submit: plainText('Check and act', 24),
    close: plainText('Cancel', 24),
    blocks: [
      section(
        'Paste the secret you found. tokenops keeps only its fingerprint: a match is revoked at once or sent to security, as the policy says, and you get the result in your DM with the bot.',
      ),
      {
        type: 'input',
        block_id: 'secret',
        label: plainText('Leaked secret'),
        element: { type: 'plain_text_input', action_id: 'value', min_length: 8, max_length: 1024 },
      },
      {
        type: 'input',
        block_id: 'where',
        optional: true,
        label: plainText('Where did you find it?'),
        hint: plainText('A link or a few words: security sees it on the card.'),
        element: { type: 'plain_text_input', action_id: 'value', max_length: 300 },
      },
    ],
  };
}

/** Said (ephemerally) when someone types a value after `/token leaked`: it is now in Slack too. */
export function leakTypedWarningView(checking: boolean): View {
  const line =
    ':warning: Do not type secrets after a command: what you typed has passed through Slack and may be kept in its history, so treat that secret as leaked.';
  const next = checking
    ? 'tokenops is checking it as a leak report now (only its fingerprint is kept); the result comes to your DM with the bot. Next time, type `/token leaked` alone: it opens a private form.'
    : 'Type `/token leaked` alone: it opens a private form where you can paste it.';
  return message(`${line} ${next}`, [section(`${line}\n${next}`)]);
}

const REPORTER: Record<LeakOutcome['result'], string> = {
  revoked: ':white_check_mark: It matched a token, and tokenops *revoked* it.',
  proposed: ':rotating_light: It matched a token. Security has been asked to revoke it (policy: propose).',
  already_revoked: ':white_check_mark: It matched a token that tokenops had already revoked.',
  not_found: ':grey_question: It matched a token that no longer exists at the provider.',
  failed: ':x: It matched a token, but revoking it *failed*. Security has been told.',
  unknown:
    ':grey_question: It matched no token tokenops knows (a false positive, or a token of a provider or account tokenops does not manage). Nothing was changed.',
};

/** The reporter's DM: what their report matched, and what was done (never the value). */
export function leakReporterView(o: LeakOutcome): View {
  const line = `Your leak report: ${REPORTER[o.result]}`;
  const lines = [line];
  if (o.token) lines.push(...facts(o));
  return message(line.replace(/[:*]/g, ''), [section(lines.join('\n'))]);
}
