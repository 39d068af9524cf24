import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Command } from '../../commands/command.js';
import { approvalJob, commandJob, type JobOrigin } from '../../commands/job.js';
import { dropped } from '../../core/dropped.js';
import { printRef } from '../../core/ref.js';
import { parseRef } from '../../providers/ref.js';
import { fromIngressKit, interactionButtons } from '../interactions.js';
import { confirmRevokeView, errorView, revokeKeptView } from '../views.js';
import { bulkButtons } from './bulk.js';
import { QUEUE_DOWN, nextCorrelationId, type IngressKit } from './kit.js';

/** What a button listener gets from Bolt. */
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Who clicked, and where to answer (replacing the clicked message when asked). */
function originOf(body: BlockAction, replaceOriginal = false): JobOrigin {
  return {
    userId: body.user.id,
    teamId: body.user.team_id ?? body.team?.id ?? '',
    channelId: body.channel?.id ?? '',
    responseUrl: body.response_url,
    replaceOriginal,
    messageTs: body.message?.ts,
  };
}

/** Every button, by action id. */
export function buttonHandlers(kit: IngressKit): Record<string, (a: ButtonArgs) => Promise<void>> {
  const decide =
    (decision: 'approved' | 'denied') =>
    async ({ body, action }: ButtonArgs): Promise<void> => {
      const head = { id: body.trigger_id, correlationId: nextCorrelationId(kit), origin: originOf(body) };
      await kit.enqueue(approvalJob(head, action.value ?? '', decision));
    };
  return {
    async revoke_confirm({ body, action, respond }) {
      const correlationId = nextCorrelationId(kit);
      const origin = originOf(body, true);
      const { ref: refText, reason } = JSON.parse(action.value ?? '{}') as { ref?: string; reason?: string };
      const ref = await kit.hashed(parseRef(refText ?? ''));
      const command: Command = { name: 'revoke', ref, reason };
      const refusal = await kit
        .refusalOf(origin.userId, origin.teamId, command)
        .catch(() => 'Slack could not confirm who you are.');
      if (refusal) {
        await respond({
          response_type: 'ephemeral',
          replace_original: true,
          ...errorView(`Not allowed: ${refusal}`),
        } as never);
        return kit.auditRefusal(origin, correlationId, command, refusal);
      }
      await kit.enqueue(commandJob({ id: body.trigger_id, correlationId, origin }, command));
    },
    async revoke_cancel({ action, respond }) {
      // The prompt becomes what happened: nothing. No live buttons are left behind.
      const view = revokeKeptView(action.value ?? 'the token');
      await respond({ response_type: 'ephemeral', replace_original: true, ...view } as never);
    },
    async revoke_request({ body, action, respond }) {
      const { ref } = JSON.parse(action.value ?? '{}') as { ref?: string };
      const parsed = await kit.hashed(parseRef(ref ?? ''));
      const teamId = body.user.team_id ?? body.team?.id ?? '';
      const refusal = await kit
        .refusalOf(body.user.id, teamId, { name: 'revoke', ref: parsed })
        .catch(() => 'Slack could not confirm who you are.');
      // The message that offered Revoke turns into the confirmation, then into the outcome.
      const view = refusal ? errorView(`Not allowed: ${refusal}`) : confirmRevokeView(printRef(parsed));
      await respond({ response_type: 'ephemeral', replace_original: !refusal, ...view } as never);
    },
    approval_approve: decide('approved'),
    // Compromise mode: confirm (button or typed), cancel the preview, stop a running job.
    ...bulkButtons(kit),
    // Deny (a reason modal first), paging, Rotate, "create another", Home refresh.
    ...interactionButtons(fromIngressKit(kit)),
  };
}

/**
 * One listener for every button (Bolt runs each listener's middleware on every request). The click
 * is acked first; a failure after that is told to the person, or a revoke would silently not happen.
 */
export function buttonsListener(kit: IngressKit): { ids: RegExp; listener: (args: ButtonArgs) => Promise<void> } {
  const handlers = buttonHandlers(kit);
  const ids = new RegExp(`^(${Object.keys(handlers).join('|')})$`);
  const listener = async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    try {
      await handlers[args.action.action_id]?.(args);
    } catch (err) {
      const correlationId = nextCorrelationId(kit);
      const { log } = kit.deps;
      log.error('button failed', { actionId: args.action.action_id, correlationId, error: (err as Error).name });
      const view = errorView(QUEUE_DOWN, { correlationId });
      await args
        .respond({ response_type: 'ephemeral', replace_original: false, ...view } as never)
        .catch(dropped(log, 'button failure notice', correlationId));
    }
  };
  return { ids, listener };
}
