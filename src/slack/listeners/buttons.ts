import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Command } from '../../commands/command.js';
import { approvalJob, commandJob, type JobOrigin } from '../../commands/job.js';
import { dropped } from '../../core/dropped.js';
import { printRef } from '../../core/ref.js';
import { fromIngressKit, interactionButtons } from '../interactions.js';
import { confirmRevokeView, errorView, revokeKeptView, type View } from '../views.js';
import { bulkButtons } from './bulk.js';
import { BAD_BUTTON, BadValueError, approvalButton, refButton } from './values.js';
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

/** Audits a refused click, then tells the person: the audit never waits on (or is lost with) the reply. */
async function refuseClick(
  kit: IngressKit,
  a: ButtonArgs,
  refused: { origin: JobOrigin; correlationId: string; command: Command; refusal: string; replace: boolean },
): Promise<void> {
  await kit.auditRefusal(refused.origin, refused.correlationId, refused.command, refused.refusal);
  const view = errorView(`Not allowed: ${refused.refusal}`);
  await a.respond({ response_type: 'ephemeral', replace_original: refused.replace, ...view } as never);
}

/** Every button, by action id. */
export function buttonHandlers(kit: IngressKit): Record<string, (a: ButtonArgs) => Promise<void>> {
  const decide =
    (decision: 'approved' | 'denied') =>
    async ({ body, action }: ButtonArgs): Promise<void> => {
      const approvalId = approvalButton(action.value);
      const head = { id: body.trigger_id, correlationId: nextCorrelationId(kit), origin: originOf(body) };
      await kit.enqueue(approvalJob(head, approvalId, decision));
    };
  return {
    async revoke_confirm(a) {
      const correlationId = nextCorrelationId(kit);
      const origin = originOf(a.body, true);
      const { ref: parsed, reason } = refButton(a.action.value);
      const command: Command = { name: 'revoke', ref: await kit.hashed(parsed), reason };
      const refusal = await kit.refusalOf(origin.userId, origin.teamId, command);
      if (refusal) return refuseClick(kit, a, { origin, correlationId, command, refusal, replace: true });
      await kit.enqueue(commandJob({ id: a.body.trigger_id, correlationId, origin }, command));
    },
    async revoke_cancel({ action, respond }) {
      // The prompt becomes what happened: nothing. No live buttons are left behind.
      const view = revokeKeptView(action.value ?? 'the token');
      await respond({ response_type: 'ephemeral', replace_original: true, ...view } as never);
    },
    async revoke_request({ body, action, respond }) {
      const parsed = await kit.hashed(refButton(action.value).ref);
      const teamId = body.user.team_id ?? body.team?.id ?? '';
      const refusal = await kit.refusalOf(body.user.id, teamId, { name: 'revoke', ref: parsed });
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

/** The answer to a click that failed after its ack: junk data, or the queue not taking the job. */
function failedClickView(kit: IngressKit, a: ButtonArgs, err: unknown): View {
  const correlationId = nextCorrelationId(kit);
  const { log } = kit.deps;
  const fields = { actionId: a.action.action_id, user: a.body.user?.id, correlationId };
  if (err instanceof BadValueError) {
    // Forged or stale: worth a WARN (someone may be probing), never an ERROR alarm.
    log.warn('button value refused', { ...fields, what: err.what });
    return errorView(BAD_BUTTON);
  }
  log.error('button failed', { ...fields, error: (err as Error).name });
  return errorView(QUEUE_DOWN, { correlationId });
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
      const view = failedClickView(kit, args, err);
      await args
        .respond({ response_type: 'ephemeral', replace_original: false, ...view } as never)
        .catch(dropped(kit.deps.log, 'button failure notice', args.body.trigger_id));
    }
  };
  return { ids, listener };
}
