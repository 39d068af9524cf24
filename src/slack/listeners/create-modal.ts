import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { commandJob, type JobOrigin } from '../../commands/job.js';
import { commandFromModal, modalValues } from '../modal-submission.js';
import { QUEUE_DOWN, nextCorrelationId, type IngressKit } from './kit.js';
import { BAD_FORM, createFormMeta } from './values.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/** The create form's submission: field errors go back into the form; an allowed create is queued. */
export function createModalListener(kit: IngressKit): (args: ViewArgs) => Promise<void> {
  return async ({ body, view, ack }) => {
    const result = commandFromModal(modalValues(view.state), new Date());
    if (!result.ok) return ack({ response_action: 'errors', errors: result.errors });
    let meta: ReturnType<typeof createFormMeta>;
    try {
      meta = createFormMeta(view.private_metadata);
    } catch {
      kit.deps.log.warn('form metadata refused', { user: body.user.id, viewId: view.id });
      return ack({ response_action: 'errors', errors: { target: BAD_FORM } });
    }
    const origin: JobOrigin = {
      userId: body.user.id,
      teamId: body.user.team_id ?? body.team?.id ?? '',
      channelId: meta.channelId ?? '',
      responseUrl: meta.responseUrl,
    };
    const c = result.command;
    const correlationId = nextCorrelationId(kit);
    const refusal = await kit.refusalOf(origin.userId, origin.teamId, c);
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
