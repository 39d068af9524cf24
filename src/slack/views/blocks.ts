// Small Block Kit constructors that enforce Slack's limits, so a long name can shorten a message but
// never make Slack reject it. Text passed as `mrkdwn` must already be escaped (see ../mrkdwn.ts).
import { plain, truncate } from '../mrkdwn.js';

/** What every message builder returns: a notification fallback and the blocks. */
export interface View {
  /** Fallback text for notifications and screen readers: escaped, never a secret. */
  text: string;
  blocks: Block[];
}

/** One Block Kit block (loosely typed: Slack validates the shape, our tests validate the limits). */
export type Block = Record<string, unknown>;

/** Slack's documented limits. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
  confirmText: 300,
  confirmTitle: 100,
  confirmButton: 30,
  contextElements: 10,
  fallback: 3000,
} as const;

/** A mrkdwn text object. */
export function mrkdwn(text: string, max: number = LIMITS.sectionText): Record<string, unknown> {
  return { type: 'mrkdwn', text: truncate(text, max) || ' ', verbatim: true };
}

/** A plain_text text object. */
export function plainText(text: string, max: number = LIMITS.sectionText): Record<string, unknown> {
  return { type: 'plain_text', text: plain(text, max), emoji: true };
}

/** A header block (plain text, 150 characters). */
export function header(text: string): Block {
  return { type: 'header', text: plainText(text, LIMITS.header) };
}

/** A section of mrkdwn text, optionally with an accessory (a button). */
export function section(text: string, accessory?: Block, blockId?: string): Block {
  const block: Block = { type: 'section', text: mrkdwn(text) };
  if (accessory !== undefined) block.accessory = accessory;
  if (blockId !== undefined) block.block_id = truncate(blockId, LIMITS.id);
  return block;
}

/** A section with up to 10 short mrkdwn fields (phones show them two by two). */
export function fields(items: string[]): Block {
  return { type: 'section', fields: items.slice(0, LIMITS.fields).map((f) => mrkdwn(f, LIMITS.field)) };
}

/** A context block: small grey mrkdwn lines. */
export function context(...lines: string[]): Block {
  return { type: 'context', elements: lines.slice(0, LIMITS.contextElements).map((l) => mrkdwn(l)) };
}

/** A divider. */
export function divider(): Block {
  return { type: 'divider' };
}

/** A confirm dialog for a button. */
export interface Confirm {
  title: string;
  text: string;
  confirm: string;
  deny: string;
  danger?: boolean;
}

/** A button; the caller guarantees `value` fits (see fitsValue). */
export function button(
  text: string,
  actionId: string,
  opts: { value?: string; style?: 'primary' | 'danger'; confirm?: Confirm } = {},
): Block {
  const b: Block = {
    type: 'button',
    text: plainText(text, LIMITS.buttonText),
    action_id: truncate(actionId, LIMITS.id),
  };
  if (opts.value !== undefined) b.value = opts.value;
  if (opts.style !== undefined) b.style = opts.style;
  if (opts.confirm !== undefined) b.confirm = confirmDialog(opts.confirm);
  return b;
}

function confirmDialog(c: Confirm): Record<string, unknown> {
  return {
    title: plainText(c.title, LIMITS.confirmTitle),
    text: plainText(c.text, LIMITS.confirmText),
    confirm: plainText(c.confirm, LIMITS.confirmButton),
    deny: plainText(c.deny, LIMITS.confirmButton),
    ...(c.danger === true ? { style: 'danger' } : {}),
  };
}

/** An actions block holding buttons. */
export function actions(blockId: string, elements: Block[]): Block {
  return { type: 'actions', block_id: truncate(blockId, LIMITS.id), elements };
}

/** True when a button value fits Slack's limit. */
export function fitsValue(value: string): boolean {
  return value.length <= LIMITS.buttonValue;
}

/** Assembles a message: caps the blocks at 50 (the last one says how many were left out) and the fallback. */
export function message(text: string, blocks: Block[]): View {
  let out = blocks;
  if (blocks.length > LIMITS.blocks) {
    const left = blocks.length - (LIMITS.blocks - 1);
    out = [...blocks.slice(0, LIMITS.blocks - 1), context(`…and ${left} more blocks not shown.`)];
  }
  return { text: truncate(text, LIMITS.fallback) || ' ', blocks: out };
}
