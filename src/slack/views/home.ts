// The App Home tab: a person's own tokens with their expiry, what expires soon (with Rotate where they
// may rotate), approvals waiting, and for security roles the latest audit entries. Published with
// views.publish each time the tab is opened.
import type { AuditRecord } from '../../core/audit.js';
import { progressBar, settledOf, type BulkJob } from '../../core/bulk.js';
import type { ApprovalRequest, TokenRecord } from '../../core/ports.js';
import { providerLabel } from '../../providers/descriptors.js';
import { bold, code, mention, safe, slackDate } from '../mrkdwn.js';
import { auditLine } from './audit.js';
import { actions, button, context, divider, fitsValue, header, plainText, section, type Block } from './blocks.js';

/** A Home tab view for `views.publish`. */
export interface HomeView {
  type: 'home';
  blocks: Block[];
}

/** Days ahead that count as "expires soon". */
export const EXPIRING_DAYS = 14;
const MAX_HOME_BLOCKS = 100;
const MAX_OWN = 30;
const MAX_EXPIRING = 10;
const MAX_PENDING = 10;
const MAX_AUDIT = 10;

/** One own token as a short line. */
function ownLine(t: TokenRecord): string {
  const where = `${safe(providerLabel(t.provider), 60)} · ${safe(t.connection, 60)}`;
  const expiry = t.expiresAt ? `expires ${slackDate(t.expiresAt)}` : 'never expires';
  return `${bold(t.name, 150) || '_(no name)_'} · ${where} · ${code(t.ref, 300)} · ends ${code(`…${t.last4}`, 20)} · ${expiry}`;
}

/** The Home tab. `mayRotate(ref)` says whether to offer Rotate; `audit` is given only to security roles. */
export function homeView(args: {
  userId: string;
  own: TokenRecord[];
  now: Date;
  mayRotate: (t: TokenRecord) => boolean;
  /** The person's own requests still waiting. */
  myPending: ApprovalRequest[];
  /** Requests the person may decide (approvers only). */
  toDecide?: ApprovalRequest[] | undefined;
  /** Recent audit entries (security roles only). */
  audit?: AuditRecord[] | undefined;
  /** A part that could not be read, said rather than hidden. */
  problems?: string[] | undefined;
  /** The person's bulk revocations still running (compromise mode). */
  bulk?: BulkJob[] | undefined;
}): HomeView {
  const now = args.now.getTime();
  const live = args.own.filter((t) => !t.revokedAt);
  const soon = live
    .filter((t) => t.expiresAt && Date.parse(t.expiresAt) - now <= EXPIRING_DAYS * 86_400_000)
    .sort((a, b) => Date.parse(a.expiresAt ?? '') - Date.parse(b.expiresAt ?? ''));
  const blocks: Block[] = [
    header('tokenops'),
    context(
      `Hello ${mention(args.userId)}. Type \`/token help\` anywhere for every command; secrets only ever come to your DM with the bot.`,
    ),
  ];
  if (args.bulk && args.bulk.length > 0) blocks.push(header('Bulk revocations running'), ...args.bulk.map(bulkLine));
  blocks.push(header(`Expiring within ${EXPIRING_DAYS} days`));
  if (soon.length === 0) blocks.push(section('Nothing of yours expires soon. :tada:'));
  for (const t of soon.slice(0, MAX_EXPIRING)) {
    const past = Date.parse(t.expiresAt ?? '') <= now;
    const text = `${past ? ':red_circle: expired' : ':alarm_clock:'} ${ownLine(t)}`;
    const value = JSON.stringify({ ref: t.ref });
    const rotate =
      !past && args.mayRotate(t) && fitsValue(value)
        ? button('Rotate', 'rotate_request', {
            value,
            style: 'primary',
            confirm: {
              title: 'Rotate this token?',
              text: `A new secret for ${t.name || t.ref} goes to your DM with the bot; then the old one is retired.`,
              confirm: 'Rotate',
              deny: 'Not now',
            },
          })
        : undefined;
    blocks.push(section(text, rotate));
  }
  blocks.push(divider(), header('Your tokens'));
  if (live.length === 0) blocks.push(section('You have no tokens created through tokenops yet. Try `/token create`.'));
  for (const t of live.slice(0, MAX_OWN)) blocks.push(section(ownLine(t)));
  if (live.length > MAX_OWN)
    blocks.push(context(`…and ${live.length - MAX_OWN} more: \`/token list --mine\` shows them all.`));
  blocks.push(divider(), header('Approvals'));
  const pendingLine = (r: ApprovalRequest, who: boolean): string =>
    `:hourglass: ${who ? `${mention(r.requester)}: ` : ''}${safe(r.summary, 300)} · asked ${slackDate(r.createdAt)}`;
  if (args.myPending.length === 0) blocks.push(section('None of your requests is waiting for approval.'));
  else
    blocks.push(
      section(
        `*Your requests waiting*\n${args.myPending
          .slice(0, MAX_PENDING)
          .map((r) => pendingLine(r, false))
          .join('\n')}`,
      ),
    );
  if (args.toDecide && args.toDecide.length > 0) {
    const lines = args.toDecide.slice(0, MAX_PENDING).map((r) => pendingLine(r, true));
    blocks.push(section(`*Waiting for an approver* (decide in the approvals channel)\n${lines.join('\n')}`));
  }
  if (args.audit) {
    blocks.push(divider(), header('Recent changes'));
    if (args.audit.length === 0) blocks.push(section('No changes in the last 7 days.'));
    else blocks.push(section(args.audit.slice(0, MAX_AUDIT).map(auditLine).join('\n')));
    blocks.push(context('`/token audit --since 30d` shows more.'));
  }
  if (args.problems && args.problems.length > 0)
    blocks.push(context(...args.problems.map((p) => `:warning: ${safe(p, 300)}`)));
  blocks.push(actions('home_actions', [button('Refresh', 'home_refresh', { value: 'refresh' })]));
  return { type: 'home', blocks: capHome(blocks) };
}

/** A running bulk job: its selection, a bar and the counts, and Stop. */
function bulkLine(job: BulkJob): Block {
  const c = job.counts ?? {};
  const settled = settledOf(c);
  const text = `:rotating_light: ${safe(job.selection, 200)} · \`${progressBar(settled, job.total, 10)}\` ${settled}/${job.total} · ${c.failed ?? 0} failed${job.status === 'stopping' ? ' · stopping' : ''}`;
  const stop = job.status === 'running' ? button('Stop', 'bulk_stop', { value: job.id, style: 'danger' }) : undefined;
  return section(text, stop);
}

/** Keeps a Home tab within Slack's 100 blocks. */
function capHome(blocks: Block[]): Block[] {
  if (blocks.length <= MAX_HOME_BLOCKS) return blocks;
  return [...blocks.slice(0, MAX_HOME_BLOCKS - 1), { type: 'context', elements: [plainText('…more not shown.')] }];
}
