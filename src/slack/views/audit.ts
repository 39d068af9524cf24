// Audit views: one compact notice per change for the audit channel, and the `/token audit` listing.
import type { AuditOutcome, AuditRecord } from '../../core/audit.js';
import { providerLabel } from '../../providers/descriptors.js';
import { bold, code, mention, safe, slackDate, withOwnerMention } from '../mrkdwn.js';
import { context, header, message, section, type Block, type View } from './blocks.js';

const OUTCOME: Record<AuditOutcome, { emoji: string; label: string }> = {
  in_progress: { emoji: ':hourglass_flowing_sand:', label: 'in progress' },
  succeeded: { emoji: ':white_check_mark:', label: 'succeeded' },
  failed: { emoji: ':x:', label: 'failed' },
  refused: { emoji: ':no_entry:', label: 'refused' },
  pending_approval: { emoji: ':hourglass_flowing_sand:', label: 'waiting for approval' },
  undone: { emoji: ':leftwards_arrow_with_hook:', label: 'undone' },
  not_found: { emoji: ':grey_question:', label: 'no such token (nothing revoked)' },
  interrupted: { emoji: ':warning:', label: 'interrupted' },
  orphan_revoked: { emoji: ':broom:', label: 'interrupted; the orphaned token was revoked' },
};

const MAX_LIST_RECORDS = 100;
const SECTION_BUDGET = 2900;

function outcomeOf(r: AuditRecord): { emoji: string; label: string } {
  return OUTCOME[r.outcome] ?? { emoji: ':grey_question:', label: safe(String(r.outcome), 40) };
}

/** What was acted on: the REF, or the provider:connection when there is no token yet. */
function subject(r: AuditRecord): string {
  return code(r.ref ?? `${r.provider}:${r.connection}`, 300);
}

/** The token's name and last characters, as short mrkdwn. */
function tokenBits(r: AuditRecord): string[] {
  const bits: string[] = [];
  if (r.tokenName) bits.push(bold(r.tokenName, 150));
  if (r.last4) bits.push(`ends ${code(`…${r.last4}`, 20)}`);
  return bits;
}

/**
 * The audit channel talks about people, not to them: a refusal reason written for the refused person
 * ("your roles … Ask your tokenops admin") is put in the third person.
 */
export function thirdPerson(text: string): string {
  return text
    .replace(/\s*Ask your tokenops admin for access\.?/g, '')
    .replace(/^Not allowed:\s*/, '')
    .replace(/\byou have no\b/g, 'they have no')
    .replace(/\bYou cannot\b/g, 'They cannot')
    .replace(/\byou cannot\b/g, 'they cannot')
    .replace(/\byour own\b/g, 'their own')
    .replace(/\bYour roles\b/g, 'Their roles')
    .replace(/\byour roles\b/g, 'their roles')
    .replace(/\bwho you are\b/g, 'who they are')
    .replace(/\bYou\b/g, 'They')
    .replace(/\byou\b/g, 'they')
    .replace(/\byour\b/g, 'their');
}

/** One audit notice: who, what, which REF, name, last 4, reason, outcome and error code. */
export function auditNoticeView(r: AuditRecord): View {
  const o = outcomeOf(r);
  const action = safe(String(r.action), 40);
  const first = `${o.emoji} ${mention(r.actor)} *${action}* ${subject(r)}: ${o.label}`;
  const lines = [first, tokenBits(r).join(' · ')].filter(Boolean);
  if (r.reason) lines.push(`Reason: ${safe(r.reason, 1000)}`);
  if (r.detail) lines.push(withOwnerMention(safe(r.outcome === 'refused' ? thirdPerson(r.detail) : r.detail, 500)));
  const meta = [slackDate(r.at)];
  if (r.errorCode) meta.push(`error ${code(r.errorCode, 60)}`);
  if (r.correlationId) meta.push(`ref id ${code(r.correlationId, 100)}`);
  const fallback = `${safe(r.actor, 40)} ${action} ${safe(r.ref ?? `${r.provider}:${r.connection}`, 300)}: ${o.label}`;
  return message(fallback, [section(lines.join('\n')), context(meta.join(' · '))]);
}

/** One line of the audit listing (also on the Home tab). */
export function auditLine(r: AuditRecord): string {
  const o = outcomeOf(r);
  const parts = [`${slackDate(r.at)} ${o.emoji} ${mention(r.actor)} ${safe(String(r.action), 40)} ${subject(r)}`];
  parts.push(...tokenBits(r));
  if (r.outcome !== 'succeeded') parts.push(r.errorCode ? `${o.label} (${code(r.errorCode, 60)})` : o.label);
  if (r.reason) parts.push(`“${safe(r.reason, 200)}”`);
  return parts.join(' · ');
}

/** Sections of lines, each under Slack's section limit. */
function packLines(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + line.length + 1 > SECTION_BUDGET) {
      blocks.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) blocks.push(section(current));
  return blocks;
}

/** `/token audit`: recent records, newest first as given, one compact line each. */
export function auditListView(records: AuditRecord[], opts: { sinceDays: number; provider?: string }): View {
  const days = opts.sinceDays === 1 ? 'the last day' : `the last ${Math.floor(opts.sinceDays)} days`;
  const label = opts.provider ? providerLabel(opts.provider) : '';
  const title = `Audit: ${days}${label ? ` (${label})` : ''}`;
  const blocks: Block[] = [header(title)];
  if (records.length === 0) blocks.push(section('No changes in that time.'));
  const shown = records.slice(0, MAX_LIST_RECORDS);
  blocks.push(...packLines(shown.map(auditLine)));
  if (records.length > shown.length) {
    blocks.push(
      context(`Showing the latest ${shown.length} of ${records.length}: narrow it with a provider or --since.`),
    );
  }
  return message(`${safe(title, 200)}: ${records.length} changes`, blocks);
}
