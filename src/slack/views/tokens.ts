// Views that show tokens: lists, one token, find results. One short section per token reads well on a
// phone; tables do not. Buttons are offered only for what the viewer may do (`may`, from the policy).
import { shortFingerprint } from '../../core/secret.js';
import { type ProviderType, type TokenSummary } from '../../core/token.js';
import { providerLabel, revokeDeactivates } from '../../providers/descriptors.js';
import { bold, code, mention, safe, shortTime, slackDate } from '../mrkdwn.js';
import {
  actions,
  button,
  context,
  fields,
  fitsValue,
  header,
  message,
  section,
  type Block,
  type View,
} from './blocks.js';
import { encodeListCursor, type ListQuery } from './paging.js';

/** A per-connection failure shown next to partial results. */
export interface TargetError {
  target: string;
  message: string;
}

/** Actions a viewer may take on one token from a button. */
export type TokenAction = 'revoke' | 'rotate' | 'activate' | 'deactivate';

/** What the viewer may do, per REF (absent: nothing). Built from the same policy check the worker applies. */
export type ViewerMay = Readonly<Record<string, readonly TokenAction[]>>;

/** The page size of token lists. */
export const PAGE_SIZE = 20;
const MAX_FIND_MATCHES = 40;

/** Words for provider extras, so a reply never shows a field name like `rateTier`. */
const EXTRA_LABELS: Record<string, string> = {
  rateTier: 'Rate tier',
  deactivationReasons: 'Why it is inactive',
  inactiveNote: 'Note',
  createdBy: 'Created by',
  access: 'Access',
  scopes: 'Scopes',
  userEmail: 'User email',
  hosts: 'Allowed hosts',
  owner: 'Owner (created through tokenops)',
};

/** A field name in words: a known label, or `camelCase` split into a sentence. */
export function labelOf(key: string): string {
  const known = EXTRA_LABELS[key];
  if (known) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value for a field: Slack users as mentions, everything else as code. */
function extraValue(key: string, v: string | number | boolean): string {
  const s = String(v);
  if ((key === 'owner' || key === 'createdBy') && /^[UW][A-Z0-9]{1,20}$/.test(s)) return mention(s);
  return code(s, 150);
}

const connLabel = (provider: ProviderType, connection: string): string => `${providerLabel(provider)} · ${connection}`;

/** Status, REF and last characters of one token, in two short lines of mrkdwn. */
export function tokenLines(t: TokenSummary): string {
  const status = statusText(t, '_');
  const bits = [code(t.ref, 200)];
  if (t.last4) bits.push(`ends ${code(`…${t.last4}`, 20)}`);
  if (t.expiresAt) bits.push(`expires ${slackDate(t.expiresAt)}`);
  const owner = t.extras?.['owner'];
  if (typeof owner === 'string') bits.push(`owner ${mention(owner)}`);
  return `${bold(t.name, 200) || '_(no name)_'} · ${status}\n${bits.join(' · ')}`;
}

/** Status words: tokenops' own credential, revoked (by whom, when), active or inactive. */
function statusText(t: TokenSummary, em: '' | '_'): string {
  if (t.revoked) return `${em}revoked${em} by ${mention(t.revoked.by)} ${shortTime(t.revoked.at)}`;
  const own = t.ownCredential ? " · *tokenops' own credential*" : '';
  return `${t.active ? 'active' : `${em}inactive${em}`}${own}`;
}

/** Warning lines for the connections that could not be read. */
export function errorContext(errors: TargetError[] | undefined): Block[] {
  if (errors === undefined || errors.length === 0) return [];
  const lines = errors
    .slice(0, 9)
    .map((e) => `:warning: ${code(e.target, 60)} could not be read: ${safe(e.message, 300)}`);
  if (errors.length > 9) lines.push(`:warning: …and ${errors.length - 9} more connections could not be read.`);
  return [context(...lines)];
}

/** Tokens grouped by provider connection, in first-seen order, with counts. */
function groupsOf(tokens: TokenSummary[]): { key: string; label: string; count: number }[] {
  const groups = new Map<string, { key: string; label: string; count: number }>();
  for (const t of tokens) {
    const key = `${t.provider}:${t.connection}`;
    const g = groups.get(key) ?? { key, label: connLabel(t.provider, t.connection), count: 0 };
    g.count++;
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** Sorts tokens so each connection's tokens sit together, keeping the provider order of the fan-out. */
function grouped(tokens: TokenSummary[]): TokenSummary[] {
  const order = new Map(groupsOf(tokens).map((g, i) => [g.key, i]));
  return tokens
    .map((t, i) => ({ t, i }))
    .sort(
      (a, b) =>
        (order.get(`${a.t.provider}:${a.t.connection}`) ?? 0) - (order.get(`${b.t.provider}:${b.t.connection}`) ?? 0) ||
        a.i - b.i,
    )
    .map((x) => x.t);
}

/** A hint that fits what was typed: narrow by what the person has not used yet, with a real example. */
function narrowHint(query: ListQuery, groups: { key: string }[]): string {
  const tips: string[] = [];
  if (!query.target && groups[0]) tips.push(`a provider, like ${code(`/token list ${groups[0].key.split(':')[0]}`)}`);
  else if (query.target && !query.target.connection && groups.length > 1 && groups[0]) {
    tips.push(`a connection, like ${code(`/token list ${groups[0].key}`)}`);
  }
  if (!query.nameFilter) tips.push(code('--name TEXT'));
  if (!query.mine) tips.push(`${code('--mine')} for the ones you created`);
  return tips.length > 0 ? `Narrow it with ${tips.join(', or ')}.` : '';
}

/** Previous / Next buttons whose values carry the page cursor (provider cursors are not secrets). */
function pagerBlock(query: ListQuery, page: number, pages: number): Block | undefined {
  const buttons: Block[] = [];
  const prev = encodeListCursor({ ...query, page: page - 1 });
  const next = encodeListCursor({ ...query, page: page + 1 });
  if (page > 1 && fitsValue(prev)) buttons.push(button('◀ Previous', 'list_page_prev', { value: prev }));
  if (page < pages && fitsValue(next)) buttons.push(button('Next ▶', 'list_page_next', { value: next }));
  return buttons.length > 0 ? actions('list_pager', buttons) : undefined;
}

/**
 * One page of a token list. Listing several connections groups the tokens by connection, with a count
 * per group; Previous/Next replace the message in place. `query` is what was typed (for the hints).
 */
export function tokenListView(
  tokens: TokenSummary[],
  opts: { title: string; errors?: TargetError[]; page?: number; query?: ListQuery },
): View {
  const query: ListQuery = opts.query ?? { mine: false };
  const total = tokens.length;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pages);
  const groups = groupsOf(tokens);
  const ordered = groups.length > 1 ? grouped(tokens) : tokens;
  const offset = (page - 1) * PAGE_SIZE;
  const shown = ordered.slice(offset, offset + PAGE_SIZE);
  const blocks: Block[] = [header(opts.title)];
  const range = total === 0 ? '' : `${offset + 1}–${offset + shown.length} of ${total}`;
  if (total === 0) blocks.push(section('No tokens found.'));
  if (groups.length > 1) {
    blocks.push(context(groups.map((g) => `*${safe(g.label, 100)}*: ${g.count}`).join(' · ')));
  }
  let current = '';
  for (const t of shown) {
    const key = `${t.provider}:${t.connection}`;
    if (groups.length > 1 && key !== current) {
      current = key;
      const g = groups.find((x) => x.key === key);
      blocks.push(context(`*${safe(g?.label ?? key, 100)}* · ${g?.count ?? 0} tokens`));
    }
    blocks.push(section(tokenLines(t)));
  }
  blocks.push(...errorContext(opts.errors));
  if (pages > 1) {
    const hint = narrowHint(query, groups);
    blocks.push(context(`Page ${page} of ${pages} (${range}).${hint ? ` ${hint}` : ''}`));
    const pager = pagerBlock(query, page, pages);
    if (pager) blocks.push(pager);
  }
  const count = total === 1 ? '1 token' : `${total} tokens`;
  return message(`${safe(opts.title, 150)}: ${count}${pages > 1 ? ` (page ${page} of ${pages})` : ''}`, blocks);
}

/** The buttons for what the viewer may do to one token; empty when nothing. */
export function tokenButtons(t: TokenSummary, may: readonly TokenAction[] | undefined, from?: string): Block[] {
  const out: Block[] = [];
  // tokenops' own credential is never changed from Slack, and a token revoked through tokenops stays revoked.
  if (t.ownCredential || t.revoked) return out;
  if (may?.includes('rotate')) {
    const value = JSON.stringify({ ref: t.ref });
    if (fitsValue(value)) {
      const confirm = {
        title: 'Rotate this token?',
        text: `A new secret for ${t.name || t.ref} goes to your DM with the bot; then the old one is retired.`,
        confirm: 'Rotate',
        deny: 'Keep it',
      };
      out.push(button('Rotate', 'rotate_request', { value, confirm }));
    }
  }
  // Where revoke deactivates (Triton), an inactive token is already dead: revoking it again would only confuse.
  const revokable = t.active || !revokeDeactivates(t.provider);
  if (may?.includes('revoke') && revokable) {
    const b = revokeRequestButton(t.ref, from);
    if (b) out.push(b);
  }
  return out;
}

/** One token in full: status, last characters, fingerprint, dates and provider extras. Never a secret. */
export function tokenDetailView(t: TokenSummary, opts: { owner?: string; may?: readonly TokenAction[] } = {}): View {
  const main = [
    `*REF*\n${code(t.ref, 500)}`,
    `*Status*\n${statusText(t, '')}`,
    `*Provider*\n${safe(connLabel(t.provider, t.connection), 200)}`,
    `*Last 4 characters*\n${t.last4 ? code(`…${t.last4}`, 20) : 'not known'}`,
    `*Fingerprint*\n${t.fingerprint ? code(shortFingerprint(t.fingerprint), 20) : 'not known (never seen by tokenops)'}`,
    `*Created*\n${slackDate(t.createdAt, 'not told by the provider')}`,
    `*Expires*\n${t.expiresAt ? slackDate(t.expiresAt) : 'never'}`,
    `*Last used*\n${t.lastUsedAt ? slackDate(t.lastUsedAt) : 'not told by the provider'}`,
  ];
  const owner = opts.owner ?? (typeof t.extras?.['owner'] === 'string' ? String(t.extras['owner']) : undefined);
  if (owner) main.push(`*Owner*\n${mention(owner)}`);
  const extras = Object.entries(t.extras ?? {})
    .filter(([k, v]) => v !== null && v !== '' && k !== 'owner')
    .slice(0, 20)
    .map(([k, v]) => `*${safe(labelOf(k), 60)}:* ${extraValue(k, v as string | number | boolean)}`);
  const blocks: Block[] = [header(t.name || '(no name)'), fields(main)];
  if (extras.length > 0) blocks.push(section(extras.join('\n')));
  if (t.ownCredential)
    blocks.push(
      context(
        "tokenops' own credential: it cannot be revoked or rotated from Slack (README: rotating tokenops' own credentials).",
      ),
    );
  else {
    const buttons = tokenButtons(t, opts.may, 'detail');
    if (buttons.length > 0) blocks.push(actions('token_actions', buttons));
  }
  return message(`Token ${safe(t.name, 200)} (${safe(t.ref, 500)})`, blocks);
}

/** A Revoke button carrying `{ref}` (and where it was offered), or nothing when it cannot fit a button value. */
export function revokeRequestButton(ref: string, from?: string): Block | undefined {
  const value = JSON.stringify(from ? { ref, from } : { ref });
  return fitsValue(value) ? button('Revoke', 'revoke_request', { value, style: 'danger' }) : undefined;
}

/** Results of `/token find`; a Revoke button only where the viewer may revoke that token. */
export function findResultsView(
  query: string,
  matches: { token: TokenSummary; matchedOn: 'last4' | 'fingerprint' | 'name' }[],
  errors?: TargetError[],
  may: ViewerMay = {},
  partial?: { targets: string[]; indexed: number },
): View {
  const q = code(query, 100);
  const shown = matches.slice(0, MAX_FIND_MATCHES);
  const count = matches.length === 1 ? '1 token' : `${matches.length} tokens`;
  const headline = matches.length === 0 ? `No token matches ${q}` : `${count} match ${q}`;
  const blocks: Block[] = [
    section(partial ? `${headline} — *partial result*:` : `${headline}${matches.length ? ':' : '.'}`),
  ];
  if (partial) {
    const where = partial.targets.slice(0, 5).map((t) => code(t, 60));
    const more = partial.targets.length > 5 ? ` and ${partial.targets.length - 5} more` : '';
    blocks.push(
      context(
        `:warning: ${where.join(', ')}${more} could not be listed, so there only the ${partial.indexed} tokens tokenops created were searched (from its index); tokens made elsewhere on those connections were not. Try again in a minute for a full search.`,
      ),
    );
  }
  const on = { last4: 'last characters', fingerprint: 'fingerprint', name: 'name' } as const;
  shown.forEach((m, i) => {
    const source =
      m.token.extras['fromIndex'] === true ? " · from tokenops' index (the provider could not be listed)" : '';
    const text = `${tokenLines(m.token)}\nmatched on ${on[m.matchedOn] ?? 'name'}${source}`;
    // Never offer to revoke tokenops itself, or a token already revoked.
    const mayRevoke =
      (may[m.token.ref] ?? []).includes('revoke') &&
      !m.token.ownCredential &&
      !m.token.revoked &&
      (m.token.active || !revokeDeactivates(m.token.provider));
    blocks.push(section(text, mayRevoke ? revokeRequestButton(m.token.ref, 'find') : undefined, `match_${i}`));
  });
  if (matches.length > shown.length) {
    blocks.push(context(`…and ${matches.length - shown.length} more: use more characters to narrow it.`));
  }
  blocks.push(...errorContext(errors));
  return message(`Find ${safe(query, 100)}: ${count}`, blocks);
}
