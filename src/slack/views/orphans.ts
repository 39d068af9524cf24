// The requester's DM when the sweep settled a create or rotate that was interrupted.
import type { AuditRecord } from '../../core/audit.js';
import { providerLabel } from '../../providers/descriptors.js';
import { code, safe } from '../mrkdwn.js';
import { message, section, type View } from './blocks.js';

/** What the requester hears about their interrupted request, in plain words. */
export function orphanNoticeView(o: { record: AuditRecord; revoked: readonly string[]; unchecked: boolean }): View {
  const r = o.record;
  const label = providerLabel(r.provider);
  const what = r.tokenName ? `"${safe(r.tokenName, 200)}"` : code(r.ref ?? '', 300);
  const head = `:warning: Your request to ${safe(r.action, 20)} ${what} on ${safe(label, 40)} was interrupted before you received a secret.`;
  let tail: string;
  if (o.revoked.length > 0)
    tail = `The token it left at the provider (${o.revoked.map((ref) => code(ref, 300)).join(', ')}) was found and revoked, so no live secret is left behind. Run the command again if you still need one.`;
  else if (o.unchecked)
    tail = `tokenops could not check the provider for a token it may have left. Look for it with ${code(`/token find ${r.tokenName ?? ''}`.trim(), 300)} and revoke it, or ask your security team.`;
  else if (r.action === 'create')
    tail = 'No token was left at the provider: nothing was created. Run the command again if you still need one.';
  else
    tail = `No new token was found at the provider. Rotate ${code(r.ref ?? '', 300)} again to be sure its secret is yours.`;
  return message(`Your ${r.action} was interrupted`, [section(`${head}\n${tail}`)]);
}
