// Short replies to commands: working, errors, confirmations, done, help and provider capabilities.
import type { CommandName } from '../../commands/command.js';
import { helpText } from '../../commands/help.js';
import { ACTIONS, type Action, type Capabilities, type ProviderType } from '../../core/token.js';
import { providerLabel } from '../../providers/descriptors.js';
import { bold, code, safe, withOwnerMention } from '../mrkdwn.js';
import { actions, button, context, fitsValue, message, section, type Block, type View } from './blocks.js';

const MAX_PROVIDER_SECTIONS = 45;
const ACTION_LABELS: Record<Action, string> = {
  list: 'list',
  get: 'show',
  create: 'create',
  revoke: 'revoke',
  rotate: 'rotate',
  activate: 'activate',
  deactivate: 'deactivate',
};

/** The immediate acknowledgement while a job runs. */
export function workingView(what: string): View {
  const text = `Working on it… ${safe(what, 500)}`.trim();
  return message(text, [section(`:hourglass_flowing_sand: ${text}`)]);
}

/**
 * A provider error as one plain sentence: "Triton One does not know that token (get token, HTTP 404):
 * Not Found." becomes the sentence, and the call, status and the provider's own words move to the note.
 */
export function splitProviderError(text: string): { sentence: string; detail?: string } {
  const m = /^(.*?) \(([^()]*?), HTTP (\d{3})\)(?:: (.*?))?\.?(\s+Try again in \d+ s\.)?$/s.exec(text);
  if (!m) return { sentence: text };
  const said = m[4] ? `${m[4].trim()} ` : '';
  return { sentence: `${m[1]}.${m[5] ?? ''}`, detail: `${said}(${m[2]}, HTTP ${m[3]})`.trim() };
}

/** A short error: what was wrong, the right form, and the reference id of a system or provider error. */
export function errorView(text: string, opts: { usage?: string; correlationId?: string } = {}): View {
  const { sentence, detail } = splitProviderError(text);
  const shown = withOwnerMention(safe(sentence, 1500));
  const blocks: Block[] = [section(`:warning: ${shown}`)];
  const notes: string[] = [];
  if (opts.usage) notes.push(`Right form: ${code(opts.usage, 500)}`);
  if (detail) notes.push(`The provider said: ${safe(detail, 300)}`);
  if (opts.correlationId) notes.push(`Reference: ${code(opts.correlationId, 100)} (give it to the bot's admins)`);
  if (notes.length > 0) blocks.push(context(...notes));
  return message(shown, blocks);
}

/** Help: the overview, or one command's form and description. */
export function helpView(topic?: CommandName): View {
  return message(topic === undefined ? '/token help' : `/token help ${topic}`, [section(helpText(topic))]);
}

/** Asks "are you sure?" before a revoke; the Revoke button carries `{ref, reason}` as JSON. */
export function confirmRevokeView(ref: string, opts: { reason?: string; tokenName?: string } = {}): View {
  const what = opts.tokenName ? `${bold(opts.tokenName, 200)} ${code(ref, 500)}` : code(ref, 500);
  const lines = [`:warning: Revoke ${what}? Its secret stops working now. This cannot be undone.`];
  if (opts.reason) lines.push(`Reason: ${safe(opts.reason, 1000)}`);
  const value = revokeValue(ref, opts.reason);
  if (value === undefined) return message('That REF is too long to revoke from a button.', [section(lines[0] ?? '')]);
  const confirm = {
    title: 'Revoke this token?',
    text: `${opts.tokenName ? `${opts.tokenName} (${ref})` : ref} stops working now. This cannot be undone.`,
    confirm: 'Revoke',
    deny: 'Keep it',
    danger: true,
  };
  const buttons = [
    button('Revoke', 'revoke_confirm', { value, style: 'danger', confirm }),
    button('Cancel', 'revoke_cancel', { value: fitsValue(ref) ? ref : undefined }),
  ];
  return message(`Revoke ${safe(ref, 500)}?`, [section(lines.join('\n')), actions('revoke_confirm', buttons)]);
}

/** `{ref, reason}` as JSON within the button limit: the reason is shortened, the REF never is. */
function revokeValue(ref: string, reason: string | undefined): string | undefined {
  if (!fitsValue(JSON.stringify({ ref }))) return undefined;
  let r = reason;
  while (r !== undefined && !fitsValue(JSON.stringify({ ref, reason: r }))) r = r.slice(0, Math.floor(r.length * 0.8));
  return JSON.stringify(r ? { ref, reason: r } : { ref });
}

/** What replaces a revoke prompt after Cancel: the state, and no buttons. */
export function revokeKeptView(ref: string): View {
  const text = `Kept ${code(ref, 500)}: nothing was revoked.`;
  return message(`Kept ${safe(ref, 500)}: nothing was revoked.`, [section(`:ok_hand: ${text}`)]);
}

const DONE: Record<'revoke' | 'activate' | 'deactivate', string> = {
  revoke: 'Revoked',
  activate: 'Activated',
  deactivate: 'Deactivated',
};

/** The reply after a revoke, activate or deactivate; an emulated action says how it was done. */
export function changeDoneView(args: {
  action: 'revoke' | 'activate' | 'deactivate';
  ref: string;
  tokenName?: string;
  how?: string;
  emulated?: boolean;
}): View {
  const verb = DONE[args.action] ?? 'Done:';
  const what = args.tokenName ? `${bold(args.tokenName, 200)} ${code(args.ref, 500)}` : code(args.ref, 500);
  const blocks: Block[] = [section(`:white_check_mark: ${verb} ${what}.`)];
  if (args.how) blocks.push(context(`${args.emulated ? 'Emulated: ' : 'How: '}${safe(args.how, 500)}`));
  else if (args.emulated) blocks.push(context('Emulated by the bot: the provider has no such call.'));
  return message(`${verb} ${safe(args.tokenName ?? args.ref, 500)}${args.emulated ? ' (emulated)' : ''}`, blocks);
}

/** "nowhere: X has no inactive state; …" reads as a sentence without the leading word. */
export function whereText(where: string): string {
  const w = where.replace(/^nowhere:\s*/, '');
  return w === where ? w : w.charAt(0).toUpperCase() + w.slice(1);
}

/** One line per action: native, emulated (and how) or unsupported (and where instead). */
function capabilityLines(caps: Capabilities): string[] {
  return ACTIONS.map((action) => {
    const s = caps[action];
    const name = ACTION_LABELS[action];
    if (s === undefined) return `:grey_question: ${name}`;
    if (s.mode === 'native') return `:white_check_mark: ${name}`;
    if (s.mode === 'emulated') return `:arrows_counterclockwise: ${name}: emulated, ${safe(s.how, 250)}`;
    return `:no_entry_sign: ${name}: not over the API; ${safe(whereText(s.where), 250)}`;
  });
}

/** Configured providers, their connections and what each can do. */
export function providersView(
  infos: { provider: ProviderType; connection: string; capabilities: Capabilities }[],
): View {
  if (infos.length === 0) return message('No providers are configured.', [section('No providers are configured.')]);
  const shown = infos.slice(0, MAX_PROVIDER_SECTIONS);
  const blocks: Block[] = shown.map((info) => {
    const label = safe(providerLabel(info.provider), 100);
    return section([`*${label}* · ${code(info.connection, 100)}`, ...capabilityLines(info.capabilities)].join('\n'));
  });
  blocks.push(context('Emulated actions are done by the bot in several provider calls; the reply says how.'));
  if (infos.length > shown.length) blocks.push(context(`…and ${infos.length - shown.length} more connections.`));
  return message(`${infos.length} provider connections`, blocks);
}
