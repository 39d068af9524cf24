// Views of a bulk revocation: the preview, the progress message (updated in place), the summary, the
// typed-confirmation modal.
import { etaMs, progressBar, settledOf, type BulkItem, type BulkJob } from '../../core/bulk.js';
import type { Reply } from '../../commands/reply.js';
import { bold, code, mention, safe } from '../mrkdwn.js';
import { actions, button, context, message, plainText, section, type Block, type View } from './blocks.js';

type Preview = Extract<Reply, { kind: 'bulk_preview' }>;

/** `1 min 20 s`, `40 s`, `under a second`. */
export function durationText(ms: number): string {
  if (ms < 1000) return 'under a second';
  const s = Math.ceil(ms / 1000);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min${s % 60 ? ` ${s % 60} s` : ''}` : `${s} s`;
}

/** The preview: counts per connection, first names, how each goes, what is left alone, the estimate. */
export function bulkPreviewView(p: Preview): View {
  const sel = safe(p.selection, 500);
  if (p.total === 0) {
    const none = `:information_source: No token to revoke matches ${sel}.`;
    return message(`No token matches ${p.selection}`, [section(none), ...leftAlone(p), ...partialNote(p)]);
  }
  const lines = p.perConnection.map(
    (c) =>
      `• ${bold(c.target, 100)}: ${c.count} token${c.count === 1 ? '' : 's'}, ${safe(c.how, 100)} — ${c.names.map((n) => safe(n, 60)).join(', ')}${c.count > c.names.length ? ', …' : ''}`,
  );
  const blocks: Block[] = [
    section(
      `:rotating_light: *Preview: revoke ${p.total} token${p.total === 1 ? '' : 's'}* matching ${sel}. Nothing has changed yet.`,
    ),
    section(lines.join('\n')),
    context(`Estimated time at the providers' documented rate limits: ${durationText(p.estimateMs)}.`),
    ...leftAlone(p),
    ...partialNote(p),
  ];
  if (p.bulkId) blocks.push(actions('bulk_confirm', confirmButtons(p)));
  return message(`Preview: revoke ${p.total} tokens matching ${p.selection}`, blocks);
}

function confirmButtons(p: Preview): Block[] {
  const id = p.bulkId as string;
  const cancel = button('Cancel', 'bulk_cancel', { value: id });
  if (p.typedConfirm)
    return [
      button(`Revoke ${p.total} tokens…`, 'bulk_confirm_typed', {
        value: JSON.stringify({ id, total: p.total }),
        style: 'danger',
      }),
      cancel,
    ];
  const confirm = {
    title: 'Revoke these tokens?',
    text: `${p.total} token${p.total === 1 ? '' : 's'} stop working now. This cannot be undone.`,
    confirm: 'Revoke',
    deny: 'Keep them',
    danger: true,
  };
  return [
    button(`Revoke ${p.total} token${p.total === 1 ? '' : 's'}`, 'bulk_confirm', {
      value: id,
      style: 'danger',
      confirm,
    }),
    cancel,
  ];
}

function leftAlone(p: Pick<Preview, 'skipped'>): Block[] {
  if (p.skipped.length === 0) return [];
  const lines = p.skipped.slice(0, 10).map((s) => `• ${code(s.ref, 200)} ${safe(s.name, 60)}: ${safe(s.why, 120)}`);
  const more = p.skipped.length > 10 ? `\n…and ${p.skipped.length - 10} more` : '';
  return [section(`*Left alone (never touched):*\n${lines.join('\n')}${more}`)];
}

function partialNote(p: Pick<Preview, 'partial'>): Block[] {
  if (p.partial.length === 0) return [];
  return [
    context(
      `:warning: ${p.partial.map((t) => safe(t, 60)).join(', ')} could not be listed: only the tokens tokenops minted there are included.`,
    ),
  ];
}

/** The progress message: a bar, done / failed / remaining, the ETA, and Stop while it runs. */
export function bulkProgressView(job: BulkJob, nowMs: number): View {
  const c = job.counts ?? {};
  const settled = settledOf(c);
  const left = job.total - settled;
  const started = Date.parse(job.startedAt ?? job.createdAt);
  const eta = etaMs(settled, job.total, started, nowMs) ?? job.estimateMs;
  const state =
    job.status === 'done'
      ? 'done'
      : job.status === 'stopped'
        ? 'stopped'
        : job.status === 'stopping'
          ? 'stopping'
          : 'running';
  const head = `${state === 'done' ? ':white_check_mark:' : state === 'running' ? ':hourglass_flowing_sand:' : ':octagonal_sign:'} *Bulk revoke ${state}* — ${safe(job.selection, 300)} (by ${job.actor === 'tokenops' ? 'tokenops' : mention(job.actor)}, ${job.source})`;
  const counts = `\`${progressBar(settled, job.total)}\` ${settled}/${job.total}\n*${c.revoked ?? 0}* revoked · *${c.not_found ?? 0}* already gone · *${c.failed ?? 0}* failed · *${c.cancelled ?? 0}* cancelled · *${left}* remaining`;
  const blocks: Block[] = [section(head), section(counts)];
  if (state === 'running') {
    blocks.push(context(`ETA ${eta === undefined ? 'unknown' : durationText(eta)}`));
    blocks.push(actions('bulk_stop', [button('Stop', 'bulk_stop', { value: job.id, style: 'danger' })]));
  }
  return message(`Bulk revoke ${state}: ${settled}/${job.total}`, blocks);
}

/** The summary in the progress message's thread: the outcome and every token that still failed, with why. */
export function bulkSummaryView(job: BulkJob, failed: readonly BulkItem[]): View {
  const c = job.counts ?? {};
  const head = `*Bulk revoke ${job.status}*: ${c.revoked ?? 0} revoked, ${c.not_found ?? 0} already gone, ${c.failed ?? 0} failed, ${c.cancelled ?? 0} cancelled of ${job.total}.`;
  const blocks: Block[] = [section(head)];
  if (failed.length > 0) {
    const lines = failed
      .slice(0, 40)
      .map((i) => `• ${code(i.ref, 200)} ${safe(i.name, 60)}: ${safe(i.detail ?? i.errorCode ?? 'failed', 200)}`);
    blocks.push(section(`*Still working (revoke these by hand):*\n${lines.join('\n')}`.slice(0, 2900)));
    if (failed.length > 40) blocks.push(context(`…and ${failed.length - 40} more; see /token audit.`));
  }
  if (job.stoppedBy) blocks.push(context(`Stopped by ${mention(job.stoppedBy)}.`));
  return message(`Bulk revoke ${job.status}: ${c.revoked ?? 0} revoked, ${c.failed ?? 0} failed`, blocks);
}

/** The modal where the person types the number of tokens to confirm a large bulk revocation. */
export function bulkConfirmModalView(args: {
  id: string;
  total: number;
  privateMetadata: string;
}): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: 'bulk_confirm_modal',
    private_metadata: args.privateMetadata,
    title: plainText('Confirm bulk revoke', 24),
    submit: plainText('Revoke', 24),
    close: plainText('Cancel', 24),
    blocks: [
      section(
        `:rotating_light: This revokes *${args.total}* tokens. Their secrets stop working at once; it cannot be undone.`,
      ),
      {
        type: 'input',
        block_id: 'count',
        label: plainText('Type the number of tokens to revoke', 150),
        element: { type: 'plain_text_input', action_id: 'value', placeholder: plainText(String(args.total), 150) },
      },
    ],
  };
}
