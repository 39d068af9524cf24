import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Command } from '../../commands/command.js';
import { parseCommand } from '../../commands/grammar.js';
import { USAGE } from '../../commands/help.js';
import { commandJob, type JobOrigin } from '../../commands/job.js';
import { printRef } from '../../core/ref.js';
import { fingerprint } from '../../core/secret.js';
import { approvalMarks, createTargets, fromIngressKit } from '../interactions.js';
import { confirmRevokeView, createModalView, errorView, helpView, workingView } from '../views.js';
import { isLeakedCommand, leakedCommand } from './incident.js';
import { QUEUE_DOWN, accessCheckFailure, ephemeral, nextCorrelationId, type IngressKit } from './kit.js';

type SlashArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const NO_CREATE =
  'none of the providers you may create on can create tokens over their API; see /token providers. Ask your tokenops admin for access.';
const NO_FORM = 'Slack did not open the form in time. Type /token create again, or give the fields on one line.';

/** `/token …`: parse, hash pasted secrets, authorize (auditing refusals), then answer or enqueue. */
export function slashCommandListener(kit: IngressKit): (args: SlashArgs) => Promise<void> {
  return async (args) => {
    const { command, ack } = args;
    // Before the parser: whatever follows `leaked` may be a secret, never to be echoed in an error.
    if (isLeakedCommand(command.text)) return leakedCommand(kit, args);
    const correlationId = nextCorrelationId(kit);
    const parsed = parseCommand(command.text);
    if (!parsed.ok) return ack(ephemeral(errorView(parsed.error, { usage: parsed.usage })));
    let c = parsed.command;
    // A pasted Vector Charts secret as the id: hash it before it reaches a reply, a job or the audit.
    if ('ref' in c) c = { ...c, ref: await kit.hashed(c.ref) };
    if (c.name === 'help') return ack(ephemeral(helpView(c.topic)));
    const origin: JobOrigin = {
      userId: command.user_id,
      teamId: command.team_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
      // The worker's answer replaces the "Working on it…" ack: one answer per command.
      replaceOriginal: true,
    };
    const refusal = await refusalFor(kit, origin, c).catch(accessCheckFailure);
    if (refusal) {
      await kit.auditRefusal(origin, correlationId, c, refusal);
      return ack(ephemeral(errorView(`Not allowed: ${refusal}`)));
    }
    if (c.name === 'create_modal') return openCreateModal(kit, args);
    if (c.name === 'revoke') return ack(ephemeral(confirmRevokeView(printRef(c.ref), { reason: c.reason })));
    if (c.name === 'find' && c.query.length >= 16) {
      // It may be a pasted secret: only its fingerprints travel on (as typed, and lower-cased for names).
      const key = await kit.deps.fingerprintKey();
      c = { ...c, query: `sha256:${fingerprint(c.query, key)}:${fingerprint(c.query.toLowerCase(), key)}` };
    }
    try {
      await kit.enqueue(commandJob({ id: command.trigger_id, correlationId, origin }, c));
    } catch {
      return ack(ephemeral(errorView(QUEUE_DOWN, { correlationId })));
    }
    return ack(ephemeral(workingView(`/token ${c.name}`)));
  };
}

/**
 * The create form is allowed when the user may create on a provider that can create. Otherwise the
 * real reason (a guest, another workspace, no role), the same words the command line gives.
 */
async function refusalFor(kit: IngressKit, origin: JobOrigin, c: Command): Promise<string | undefined> {
  if (c.name !== 'create_modal') return kit.refusalOf(origin.userId, origin.teamId, c);
  const providers = await kit.creatableProviders(origin.userId, origin.teamId);
  if (createTargets(fromIngressKit(kit), providers).length > 0) return undefined;
  return (await kit.refusalOf(origin.userId, origin.teamId, { name: 'create_modal' })) ?? NO_CREATE;
}

/** Opens the create form, offering only the connections the user may create on. */
async function openCreateModal(kit: IngressKit, { command, ack, client }: SlashArgs): Promise<void> {
  const mayCreate = await kit.creatableProviders(command.user_id, command.team_id);
  try {
    await client.views.open({
      trigger_id: command.trigger_id,
      view: createModalView({
        targets: createTargets(fromIngressKit(kit), mayCreate),
        privateMetadata: JSON.stringify({ channelId: command.channel_id, responseUrl: command.response_url }),
        needsApproval: approvalMarks(kit.deps.policy),
      }) as never,
    });
  } catch {
    return ack(ephemeral(errorView(NO_FORM, { usage: USAGE.create })));
  }
  return ack();
}
