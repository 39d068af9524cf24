import type { Command } from '../commands/command.js';
import { ParseError } from '../commands/grammar-lexer.js';
import { optionalText, requiredText } from '../commands/grammar-values.js';
import { isConnectionName } from '../core/ref.js';
import { descriptorOf, isProviderType } from '../providers/descriptors.js';

/** Values of the create modal: block_id → the value typed, chosen or picked. */
export type ModalValues = Record<string, string | undefined>;

type ElementState = {
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_date?: string | null;
};

/** Reads Slack's view.state.values into block_id → value (text inputs, static selects and date pickers). */
export function modalValues(state: unknown): ModalValues {
  const out: ModalValues = {};
  const values = (state as { values?: Record<string, Record<string, ElementState>> })?.values ?? {};
  for (const [blockId, actions] of Object.entries(values)) {
    // One element per input block; its action id is `value`, or a dispatching one like `create_target`.
    const v = actions['value'] ?? Object.values(actions)[0];
    const value = v?.selected_option?.value ?? v?.selected_date ?? v?.value ?? undefined;
    if (value !== null && value !== undefined && value.trim() !== '') out[blockId] = value;
  }
  return out;
}

const HOST =
  /^(?=.{1,253}$)(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:\d{1,5})?$/;
const DAY = 86_400_000;

/** A picked date → the ISO time, or a form-style message. Tomorrow at the earliest, 5 years at most. */
function expiryFromDate(date: string, now: Date): string {
  const at = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(at)) throw new ParseError('Pick a date from the calendar.');
  if (at <= now.getTime()) throw new ParseError('Pick a date after today.');
  if (at > now.getTime() + 5 * 365 * DAY) throw new ParseError('Pick a date within the next five years.');
  return new Date(at).toISOString();
}

/** Comma separated host names → a list, or a form-style message naming the first bad one. */
function hostList(text: string): string[] {
  const items = [...new Set(text.split(/[\s,]+/).map((h) => h.trim()))].filter(Boolean);
  const bad = items.find((h) => !HOST.test(h));
  if (bad !== undefined) {
    const shown = bad.length > 40 ? `${bad.slice(0, 40)}…` : bad;
    throw new ParseError(`“${shown}” is not a host name. Use names like app.example.com, separated by commas.`);
  }
  if (items.length > 20) throw new ParseError('Give at most 20 hosts.');
  return items;
}

/**
 * Turns the create form's values into a create command, or field errors keyed by block id. Messages
 * speak about the form ("Pick a date after today"), never about command-line flags. Only the fields the
 * chosen provider takes are read; the rest cannot be on the form.
 */
export function commandFromModal(
  v: ModalValues,
  now: Date,
): { ok: true; command: Command } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const field = <T>(blockId: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      errors[blockId] = err instanceof ParseError ? err.message : 'This value is not valid.';
      return undefined;
    }
  };
  const target = field('target', () => {
    const [provider, connection] = (v['target'] ?? '').split(':');
    if (!provider || !isProviderType(provider)) throw new ParseError('Choose a provider.');
    if (!descriptorOf(provider).createForm.creatable)
      throw new ParseError('Tokens of this provider are created in its web app.');
    if (connection !== undefined && !isConnectionName(connection))
      throw new ParseError('Choose a connection from the list.');
    return { provider, connection };
  });
  if (!target) return { ok: false, errors };
  const form = descriptorOf(target.provider).createForm;
  const tokenName = field('name', () => {
    if (!v['name']?.trim()) throw new ParseError('Give the token a name, like “ci deploy bot”.');
    return requiredText(v['name'], 'name', 100);
  });
  const tier = field('tier', () => {
    if (!form.tiers) return undefined;
    const t = v['tier'];
    if (t === undefined) throw new ParseError('Choose a rate tier.');
    if (!form.tiers.includes(t)) throw new ParseError('Choose one of the listed rate tiers.');
    return t;
  });
  const expiresAt = field('expires', () =>
    form.expires && v['expires'] ? expiryFromDate(v['expires'], now) : undefined,
  );
  const scopes = field('scopes', () => {
    if (!form.scopes || !v['scopes']) return undefined;
    if (!form.scopes.some((s) => s.value === v['scopes']))
      throw new ParseError('Choose one of the listed permissions.');
    return [v['scopes']];
  });
  const hosts = field('hosts', () => (form.hosts && v['hosts'] ? hostList(v['hosts']) : undefined));
  const reason = field('reason', () => optionalText(v['reason'], 'reason', 500));
  if (Object.keys(errors).length > 0 || !tokenName) return { ok: false, errors };
  const command: Command = { name: 'create', target, tokenName, tier, expiresAt, scopes, hosts, reason };
  return { ok: true, command };
}
