// Views that show tokens: lists, one token, find results. One short section per token reads well on a
// phone; tables do not.
import { shortFingerprint } from '../../core/secret.js';
import { PROVIDER_LABELS, type TokenSummary } from '../../core/token.js';
import { bold, code, safe, shortTime } from '../mrkdwn.js';
import { button, context, fields, fitsValue, header, message, section, type Block, type View } from './blocks.js';

/** A per-connection failure shown next to partial results. */
export interface TargetError {
  target: string;
  message: string;
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 40;
const MAX_FIND_MATCHES = 40;

/** Status, REF and last characters of one token, in two short lines of mrkdwn. */
export function tokenLines(t: TokenSummary): string {
  const status = t.active ? 'active' : '_inactive_';
  const bits = [code(t.ref, 200)];
  if (t.last4) bits.push(`ends ${code(`…${t.last4}`, 20)}`);
  if (t.expiresAt) bits.push(`expires ${shortTime(t.expiresAt)}`);
  return `${bold(t.name, 200) || '_(no name)_'} · ${status}\n${bits.join(' · ')}`;
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

/** A page of tokens. `tokens` is the whole list, or (when `total` is larger) the page the caller already cut. */
export function tokenListView(
  tokens: TokenSummary[],
  opts: { title: string; total?: number; errors?: TargetError[]; page?: number; pageSize?: number },
): View {
  const size = Math.min(Math.max(1, Math.floor(opts.pageSize ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
  const page = Math.max(1, Math.floor(opts.page ?? 1));
  const offset = (page - 1) * size;
  const preCut = opts.total !== undefined && opts.total > tokens.length;
  const total = preCut ? (opts.total as number) : tokens.length;
  const shown = preCut ? tokens.slice(0, size) : tokens.slice(offset, offset + size);
  const blocks: Block[] = [header(opts.title)];
  const range = shown.length === 0 ? '' : `showing ${offset + 1}–${offset + shown.length} of ${total}`;
  if (total === 0) blocks.push(section('No tokens found.'));
  else if (shown.length === 0) blocks.push(section(`Page ${page} is past the end: there are ${total} tokens.`));
  else if (shown.length < total) {
    blocks.push(context(`${range}. Narrow it with a provider, like \`/token list triton:prod\`, or \`--name TEXT\`.`));
  }
  blocks.push(...shown.map((t) => section(tokenLines(t))));
  blocks.push(...errorContext(opts.errors));
  const count = total === 1 ? '1 token' : `${total} tokens`;
  return message(`${safe(opts.title, 150)}: ${count}${range ? ` (${range})` : ''}`, blocks);
}

/** One token in full: status, last characters, fingerprint, dates and provider extras. Never a secret. */
export function tokenDetailView(t: TokenSummary): View {
  const main = [
    `*REF*\n${code(t.ref, 500)}`,
    `*Status*\n${t.active ? 'active' : 'inactive'}`,
    `*Provider*\n${safe(PROVIDER_LABELS[t.provider] ?? t.provider, 100)} · ${code(t.connection, 100)}`,
    `*Last 4*\n${t.last4 ? code(`…${t.last4}`, 20) : 'unknown'}`,
    `*Fingerprint*\n${t.fingerprint ? code(shortFingerprint(t.fingerprint), 20) : 'unknown'}`,
    `*Created*\n${shortTime(t.createdAt)}`,
    `*Expires*\n${t.expiresAt ? shortTime(t.expiresAt) : 'never'}`,
    `*Last used*\n${t.lastUsedAt ? shortTime(t.lastUsedAt) : 'unknown'}`,
  ];
  const extras = Object.entries(t.extras ?? {})
    .filter(([, v]) => v !== null && v !== '')
    .slice(0, 20)
    .map(([k, v]) => `${safe(k, 60)}: ${code(String(v), 150)}`);
  const blocks: Block[] = [header(t.name || '(no name)'), fields(main)];
  if (extras.length > 0) blocks.push(section(extras.join('\n')));
  blocks.push(context(`Revoke it with ${code(`/token revoke ${t.ref}`, 600)}`));
  return message(`Token ${safe(t.name, 200)} (${safe(t.ref, 500)})`, blocks);
}

/** A Revoke button carrying `{ref}`, or nothing when the REF could not fit in a button value. */
export function revokeRequestButton(ref: string): Block | undefined {
  const value = JSON.stringify({ ref });
  return fitsValue(value) ? button('Revoke', 'revoke_request', { value, style: 'danger' }) : undefined;
}

/** Results of `/token find`, each with a Revoke button so security can go from find to revoke in one click. */
export function findResultsView(
  query: string,
  matches: { token: TokenSummary; matchedOn: 'last4' | 'fingerprint' | 'name' }[],
  errors?: TargetError[],
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
    blocks.push(section(text, revokeRequestButton(m.token.ref), `match_${i}`));
  });
  if (matches.length > shown.length) {
    blocks.push(context(`…and ${matches.length - shown.length} more: use more characters to narrow it.`));
  }
  blocks.push(...errorContext(errors));
  return message(`Find ${safe(query, 100)}: ${count}`, blocks);
}
