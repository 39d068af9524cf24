import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Command } from '../../commands/command.js';
import { approvalJob, commandJob, type JobOrigin } from '../../commands/job.js';
import { dropped } from '../../core/dropped.js';
import { parseRef, printRef } from '../../core/ref.js';
import { confirmRevokeView, errorView } from '../views.js';
import { QUEUE_DOWN, newCorrelationId, type IngressKit } from './kit.js';

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
  };
}

/** Every button, by action id. */
export function buttonHandlers(kit: IngressKit): Record<string, (a: ButtonArgs) => Promise<void>> {
  const decide =
    (decision: 'approved' | 'denied') =>
    async ({ body, action }: ButtonArgs): Promise<void> => {
      const head = { id: body.trigger_id, correlationId: newCorrelationId(), origin: originOf(body) };
      await kit.enqueue(approvalJob(head, action.value ?? '', decision));
    };
  return {
    async revoke_confirm({ body, action, respond }) {
      const correlationId = newCorrelationId();
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
    async revoke_cancel({ respond }) {
      await respond({ delete_original: true });
    },
    async revoke_request({ action, respond }) {
      const { ref } = JSON.parse(action.value ?? '{}') as { ref?: string };
      const view = confirmRevokeView(printRef(await kit.hashed(parseRef(ref ?? ''))));
      await respond({ response_type: 'ephemeral', replace_original: false, ...view } as never);
    },
    approval_approve: decide('approved'),
    approval_deny: decide('denied'),
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
      const correlationId = newCorrelationId();
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
