import type { Command } from '../commands/command.js';
import { ParseError } from '../commands/grammar-lexer.js';
import { listFlag, optionalText, parseExpires, requiredText } from '../commands/grammar-values.js';
import { isConnectionName } from '../core/ref.js';
import { isProviderType } from '../core/token.js';

/** Values of the create modal: block_id → the value typed or chosen. */
export type ModalValues = Record<string, string | undefined>;

/** Reads Slack's view.state.values into block_id → value (text inputs and static selects). */
export function modalValues(state: unknown): ModalValues {
  const out: ModalValues = {};
  const values =
    (
      state as {
        values?: Record<string, Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>;
      }
    )?.values ?? {};
  for (const [blockId, actions] of Object.entries(values)) {
    const v = actions['value'];
    const value = v?.selected_option?.value ?? v?.value ?? undefined;
    if (value !== null && value !== undefined && value.trim() !== '') out[blockId] = value;
  }
  return out;
}

/** Turns the create modal's values into a create command, or field errors keyed by block id. */
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
    if (connection !== undefined && !isConnectionName(connection))
      throw new ParseError('That connection is not valid.');
    return { provider, connection };
  });
  const tokenName = field('name', () => requiredText(v['name'] ?? '', 'name', 100));
  const tier = field('tier', () => {
    const t = v['tier']?.trim().toLowerCase();
    if (t !== undefined && !/^[a-z0-9][a-z0-9_-]{0,31}$/.test(t)) throw new ParseError('That tier is not valid.');
    return t;
  });
  const expiresAt = field('expires', () => (v['expires'] ? parseExpires(v['expires'].trim(), now) : undefined));
  const scopes = field('scopes', () =>
    listFlag(v['scopes'] ? [v['scopes']] : undefined, 'scope', /^[A-Za-z0-9_.:/*-]{1,64}$/),
  );
  const hosts = field('hosts', () =>
    listFlag(v['hosts'] ? [v['hosts']] : undefined, 'host', /^[A-Za-z0-9_.:/*-]{1,253}$/),
  );
  const reason = field('reason', () => optionalText(v['reason'], 'reason', 500));
  if (Object.keys(errors).length > 0 || !target || !tokenName) return { ok: false, errors };
  return { ok: true, command: { name: 'create', target, tokenName, tier, expiresAt, scopes, hosts, reason } };
}
