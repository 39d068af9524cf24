// Slack mrkdwn helpers. `&`, `<` and `>` are Slack's only control characters: every mention, broadcast
// (`<!channel>`) and link is written inside `<…>`, so escaping these three neutralises injection.

import { OWNER_MARK } from '../core/policy.js';
import { printable } from '../core/text.js';

const ELLIPSIS = '…';
// A partial `&amp;` / `&lt;` / `&gt;` at the end of a cut string.
const PARTIAL_ENTITY = /&(?:a|am|amp|l|lt|g|gt)?$/;
const SLACK_USER_ID = /^[UW][A-Z0-9]{1,20}$/;

/**
 * Escapes exactly `&`, `<` and `>` for Slack mrkdwn, and makes controls and bidi/zero-width marks
 * visible (U+FFFD): provider text such as a token name is untrusted and must read as it is.
 */
export function escapeMrkdwn(text: string): string {
  return printable(String(text)).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to at most `max` characters with an ellipsis, never halving an entity or a surrogate pair. */
export function truncate(text: string, max: number): string {
  const s = String(text);
  if (s.length <= max) return s;
  if (max <= 0) return '';
  let cut = s.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(PARTIAL_ENTITY, '');
  return cut + ELLIPSIS;
}

/** Escapes user text and cuts it to `max` characters of mrkdwn. */
export function safe(text: string, max = 3000): string {
  return truncate(escapeMrkdwn(text), max);
}

/** Inline code for user text: backticks and line breaks (which would end the span) are replaced. */
export function code(text: string, max = 300): string {
  const inner = String(text)
    .replace(/`/g, 'ˋ')
    .replace(/[\r\n]+/g, ' ');
  const body = safe(inner, max);
  // An empty or blank span renders as literal backticks.
  return body.trim() === '' ? '` `' : `\`${body}\``;
}

/** Bold user text; asterisks and line breaks would end the emphasis, so they are replaced. */
export function bold(text: string, max = 300): string {
  const inner = String(text)
    .replace(/\*/g, '∗')
    .replace(/[\r\n]+/g, ' ')
    .trim();
  return inner === '' ? '' : `*${safe(inner, max)}*`;
}

/** Text for a `plain_text` object: no escaping needed, cut to the limit, never empty (Slack rejects that). */
export function plain(text: string, max = 3000): string {
  const s = truncate(String(text), max);
  return s.trim() === '' ? '-' : s;
}

/** A `<@U…>` mention for a validated Slack user id; anything else is shown as escaped text. */
export function mention(userId: string): string {
  return SLACK_USER_ID.test(userId) ? `<@${userId}>` : safe(userId, 40);
}

/** A short UTC time for replies (`2027-01-31 14:05 UTC`), or the escaped input when it is not a time. */
export function shortTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '-';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return safe(iso, 40);
  const s = new Date(t).toISOString();
  return s.endsWith('T00:00:00.000Z') ? s.slice(0, 10) : `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}

/**
 * A time every reader sees in their own time zone: Slack's `<!date^…>` token, with the UTC time as the
 * fallback for clients (and notifications) that cannot format it. A midnight-UTC value is a date only.
 */
export function slackDate(iso: string | null | undefined, missing = 'unknown'): string {
  if (iso === null || iso === undefined || iso === '') return missing;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return safe(iso, 40);
  const dateOnly = new Date(t).toISOString().endsWith('T00:00:00.000Z');
  const format = dateOnly ? '{date_short_pretty}' : '{date_short_pretty} at {time}';
  return `<!date^${Math.floor(t / 1000)}^${format}|${shortTime(iso)}>`;
}

const OWNER_MENTION = new RegExp(`(${OWNER_MARK})&lt;@([UW][A-Z0-9]{1,20})&gt;`, 'g');

/**
 * Escaped refusal text with the token owner's mention kept (`minted for <@U…>`, written by the policy):
 * only that phrase becomes a mention, so a mention typed into a command never pings anyone.
 */
export function withOwnerMention(escaped: string): string {
  return escaped.replace(OWNER_MENTION, '$1<@$2>');
}
