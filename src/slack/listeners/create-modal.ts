import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { commandJob, type JobOrigin } from '../../commands/job.js';
import { commandFromModal, modalValues } from '../modal-submission.js';
import { QUEUE_DOWN, newCorrelationId, type IngressKit } from './kit.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/** The create form's submission: field errors go back into the form; an allowed create is queued. */
export function createModalListener(kit: IngressKit): (args: ViewArgs) => Promise<void> {
  return async ({ body, view, ack }) => {
    const result = commandFromModal(modalValues(view.state), new Date());
    if (!result.ok) return ack({ response_action: 'errors', errors: result.errors });
    const meta = JSON.parse(view.private_metadata || '{}') as { channelId?: string; responseUrl?: string };
    const origin: JobOrigin = {
      userId: body.user.id,
      teamId: body.user.team_id ?? body.team?.id ?? '',
      channelId: meta.channelId ?? '',
      responseUrl: meta.responseUrl,
    };
    const c = result.command;
    const correlationId = newCorrelationId();
    const refusal = await kit
      .refusalOf(origin.userId, origin.teamId, c)
      .catch(() => 'Slack could not confirm who you are.');
    if (refusal) {
      await kit.auditRefusal(origin, correlationId, c, refusal);
      return ack({ response_action: 'errors', errors: { target: `Not allowed: ${refusal}`.slice(0, 150) } });
    }
    try {
      await kit.enqueue(commandJob({ id: `view-${view.id}`, correlationId, origin }, c));
    } catch {
      return ack({ response_action: 'errors', errors: { name: QUEUE_DOWN.slice(0, 150) } });
    }
    return ack();
  };
}
